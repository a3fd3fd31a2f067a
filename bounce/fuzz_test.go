package bounce

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseMessage checks that any input, however hostile, parses without
// a panic and within bounds: never more recipients than the limit, nor
// (for input with no transfer or charset encoding, whose text is the
// input's own) more recipients than input lines, since each recipient is
// read from a line or a block of its own; every status is a valid code;
// every recipient is explained; and findings carry no control character.
func FuzzParseMessage(f *testing.F) {
	for _, pattern := range []string{
		filepath.Join("..", "testdata", "bounce-*.eml"),
		filepath.Join("..", "testdata", "bounce", "real", "*.eml"),
	} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("Subject: Undeliverable: x\n\nDiagnostic information for administrators:\nGenerating server:\n\na@b\nRemote Server returned '535 5.7.139 x\n"))
	f.Add([]byte("Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b\nStatus: 5.7.26\n\n--b--\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, ok, err := ParseMessage(bytes.NewReader(data))
		if err != nil || !ok {
			if rep != nil {
				t.Fatalf("not a bounce, but a report: %+v", rep)
			}
			return
		}
		if len(rep.Recipients) > maxRecipients {
			t.Fatalf("%d recipients, limit %d", len(rep.Recipients), maxRecipients)
		}
		lower := strings.ToLower(string(data))
		encoded := strings.Contains(lower, "base64") || strings.Contains(lower, "quoted-printable") || strings.Contains(lower, "charset")
		if lines := bytes.Count(data, []byte("\n")) + 1; !encoded && len(rep.Recipients) > lines {
			t.Fatalf("%d recipients from %d lines", len(rep.Recipients), lines)
		}
		for _, r := range rep.Recipients {
			if r.Status != "" && !validStatus(r.Status) {
				t.Fatalf("invalid status %q", r.Status)
			}
			if r.Explanation.Summary == "" || r.Explanation.Category == "" {
				t.Fatalf("unexplained recipient %+v", r)
			}
			if r.Explanation.Auth != (r.Explanation.Category != CategoryOther) {
				t.Fatalf("auth %v with category %q", r.Explanation.Auth, r.Explanation.Category)
			}
		}
		for _, fd := range Findings(rep) {
			for _, c := range fd.Message {
				if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) {
					t.Fatalf("finding %s carries control character %U", fd.Code, c)
				}
			}
		}
	})
}
