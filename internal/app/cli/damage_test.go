package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDamagedHeaders: a message whose header block is damaged in one
// place is analysed — the verdict stands — with a header-damaged finding
// naming the line and the damage, through the CLI and a real file.
func TestDamagedHeaders(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(root, "testdata", "gmail-dmarc-pass.eml"))
	if err != nil {
		t.Fatal(err)
	}
	msg := string(orig)
	lineOf := func(s, sub string) int { return strings.Count(s[:strings.Index(s, sub)], "\n") + 1 }
	fold := "        by mx.google.com with ESMTPS"
	tests := []struct {
		name    string
		damaged string
		line    int
		kind    string
	}{
		{"no colon", strings.Replace(msg, fold, strings.TrimSpace(fold), 1), lineOf(msg, fold), "no colon"},
		{"white-space first line", "    \n" + msg, 1, "white-space line"},
		{"bare CR", strings.Replace(msg, "Subject: Your order", "Subject: Your\rorder", 1), lineOf(msg, "Subject:"), "bare CR"},
		{"NUL", strings.Replace(msg, "Subject: Your order", "Subject: Your\x00order", 1), lineOf(msg, "Subject:"), "NUL byte"},
		{"8-bit field name", strings.Replace(msg, "MIME-Version:", "X-Prüfung: ok\nMIME-Version:", 1), lineOf(msg, "MIME-Version:"), "8-bit field name"},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strconv.Itoa(i)+".eml")
			if err := os.WriteFile(path, []byte(tc.damaged), 0o644); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := run(t, "", "--format=json", path)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var rep struct {
				Error   string
				Verdict struct{ Status string }
				From    struct{ Domain string }
				Finding []struct {
					Code, Severity, Message string
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if rep.Error != "" || rep.Verdict.Status != "pass" || rep.From.Domain != "shop.example" {
				t.Errorf("error %q verdict %q from %q: the message was not analysed", rep.Error, rep.Verdict.Status, rep.From.Domain)
			}
			want := "line " + strconv.Itoa(tc.line) + ": " + tc.kind
			found := false
			for _, f := range rep.Finding {
				if f.Code == "header-damaged" {
					found = f.Severity == "low" && strings.Contains(f.Message, want)
					if !found {
						t.Errorf("finding %+v, want low and %q", f, want)
					}
				}
			}
			if !found {
				t.Errorf("no header-damaged finding naming %q in %s", want, out)
			}
		})
	}
	// Text output names the damage too.
	path := filepath.Join(dir, "0.eml")
	out, _, code := run(t, "", "--color=never", path)
	if code != 0 || !strings.Contains(out, "header-damaged") && !strings.Contains(out, "damaged") {
		t.Errorf("exit %d, text report without the damage:\n%s", code, out)
	}
}

// TestNotMessageNamesLine: where the lenient reading stops, the error
// names the line and why.
func TestNotMessageNamesLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "letter.txt")
	os.WriteFile(path, []byte("Dear Alice,\nthe report is attached.\n"), 0o644)
	out, stderr, code := run(t, "", "--format=json", path)
	if code != exitFailed || !strings.Contains(out, "line 1 is not a header field (no colon)") {
		t.Errorf("exit %d, out %s stderr %s", code, out, stderr)
	}
}
