package mailbox

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// want describes one expected scan item.
type want struct {
	loc    string // Location.String()
	offset int64
	data   string // checked when err is nil or ErrTruncated
	format Format
	err    error // sentinel, or nil
}

// scanPaths runs a scan and returns its items.
func scanPaths(t *testing.T, paths []string, opts Options) []*Message {
	t.Helper()
	var out []*Message
	for m, err := range All(context.Background(), paths, opts) {
		if m == nil {
			t.Fatalf("scan stopped: %v", err)
		}
		out = append(out, m)
	}
	return out
}

// check compares scan items with the expectations.
func check(t *testing.T, got []*Message, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, m := range got {
			t.Logf("got %s @%d %s err=%v data=%q", m.Location, m.Location.Offset, m.Format, m.Err, trunc(m.Data))
		}
		t.Fatalf("got %d items, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		m := got[i]
		if m.Location.String() != w.loc || m.Location.Offset != w.offset {
			t.Errorf("item %d: location %s @%d, want %s @%d", i, m.Location, m.Location.Offset, w.loc, w.offset)
		}
		if w.format != "" && m.Format != w.format {
			t.Errorf("item %d (%s): format %s, want %s", i, w.loc, m.Format, w.format)
		}
		if w.err == nil && m.Err != nil {
			t.Errorf("item %d (%s): unexpected error %v", i, w.loc, m.Err)
		}
		if w.err != nil && !errors.Is(m.Err, w.err) {
			t.Errorf("item %d (%s): error %v, want %v", i, w.loc, m.Err, w.err)
		}
		if (w.err == nil || w.err == ErrTruncated) && string(m.Data) != w.data {
			t.Errorf("item %d (%s): data\n%q\nwant\n%q", i, w.loc, m.Data, w.data)
		}
	}
}

func trunc(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const (
	from1 = "From alice@example.com Thu Jan  1 00:00:00 2015\n"
	from2 = "From bob@example.org Fri Jan  2 10:20:30 2015\n"
	msgA  = "From: alice@example.com\nSubject: a\n\nbody a\n"
	msgB  = "From: bob@example.org\nSubject: b\n\nbody b\n"
)

func TestMbox(t *testing.T) {
	off := func(parts ...string) int64 {
		n := 0
		for _, p := range parts {
			n += len(p)
		}
		return int64(n)
	}
	tests := []struct {
		name    string
		content string
		opts    Options
		wants   []want // loc is relative to the file name "box"
	}{
		{
			name:    "two messages",
			content: from1 + msgA + "\n" + from2 + msgB + "\n",
			wants: []want{
				{loc: "#1", offset: off(from1), data: msgA, format: FormatMbox},
				{loc: "#2", offset: off(from1, msgA, "\n", from2), data: msgB, format: FormatMbox},
			},
		},
		{
			name:    "no empty line at end of file",
			content: from1 + msgA + "\n" + from2 + msgB,
			wants: []want{
				{loc: "#1", offset: off(from1), data: msgA},
				{loc: "#2", offset: off(from1, msgA, "\n", from2), data: msgB},
			},
		},
		{
			name:    "mboxrd unquoting",
			content: from1 + "Subject: q\n\n>From here\n>>From there\n>>>From far\n> From spaced\n>Fromage\n\n" + from2 + msgB,
			wants: []want{
				{loc: "#1", offset: off(from1), data: "Subject: q\n\nFrom here\n>From there\n>>From far\n> From spaced\n>Fromage\n"},
				{loc: "#2", offset: off(from1, "Subject: q\n\n>From here\n>>From there\n>>>From far\n> From spaced\n>Fromage\n\n", from2), data: msgB},
			},
		},
		{
			name:    "mboxo unquoting",
			content: from1 + "Subject: q\n\n>From here\n>>From there\n\n",
			opts:    Options{Unquote: UnquoteMboxo},
			wants:   []want{{loc: "#1", offset: off(from1), data: "Subject: q\n\nFrom here\n>>From there\n"}},
		},
		{
			name:    "no unquoting",
			content: from1 + "Subject: q\n\n>From here\n\n",
			opts:    Options{Unquote: UnquoteNone},
			wants:   []want{{loc: "#1", offset: off(from1), data: "Subject: q\n\n>From here\n"}},
		},
		{
			name: "From lines in the body",
			// Not preceded by an empty line, or not shaped like a From_
			// line: both stay in the body.
			content: from1 + "Subject: f\n\nline\n" + from2 + "\nFrom here on, we agree.\nFrom Mon to Fri\n\n" + from2 + msgB,
			wants: []want{
				{loc: "#1", offset: off(from1), data: "Subject: f\n\nline\n" + from2 + "\nFrom here on, we agree.\nFrom Mon to Fri\n"},
				{loc: "#2", offset: off(from1, "Subject: f\n\nline\n", from2, "\nFrom here on, we agree.\nFrom Mon to Fri\n\n", from2), data: msgB},
			},
		},
		{
			name:    "Google Takeout",
			content: "From 1753422133512133621@xxx Tue Oct 29 15:35:11 +0000 2024\nX-GM-THRID: 1\n" + msgA + "\nFrom 1753422133512133622@xxx Wed Oct 30 01:02:03 +0000 2024\n" + msgB,
			wants: []want{
				{loc: "#1", offset: off("From 1753422133512133621@xxx Tue Oct 29 15:35:11 +0000 2024\n"), data: "X-GM-THRID: 1\n" + msgA},
				{loc: "#2", offset: off("From 1753422133512133621@xxx Tue Oct 29 15:35:11 +0000 2024\nX-GM-THRID: 1\n", msgA, "\nFrom 1753422133512133622@xxx Wed Oct 30 01:02:03 +0000 2024\n"), data: msgB},
			},
		},
		{
			name:    "Thunderbird",
			content: "From - Mon Jan  1 00:00:00 2024\n" + msgA + "\nFrom - Mon Jan  1 00:00:01 2024\n" + msgB,
			wants: []want{
				{loc: "#1", offset: off("From - Mon Jan  1 00:00:00 2024\n"), data: msgA},
				{loc: "#2", offset: off("From - Mon Jan  1 00:00:00 2024\n", msgA, "\nFrom - Mon Jan  1 00:00:01 2024\n"), data: msgB},
			},
		},
		{
			name:    "CRLF",
			content: crlf(from1 + msgA + "\n>From x\n\n" + from2 + msgB + "\n"),
			wants: []want{
				{loc: "#1", offset: off(crlf(from1)), data: crlf(msgA + "\nFrom x\n")},
				{loc: "#2", offset: off(crlf(from1 + msgA + "\n>From x\n\n" + from2)), data: crlf(msgB)},
			},
		},
		{
			name:    "mboxcl2 with a From_ line in the body",
			content: from1 + cl2Header + cl2Body + "\n" + from2 + msgB,
			wants: []want{
				{loc: "#1", offset: off(from1), data: cl2Header + cl2Body, format: FormatMboxCL2},
				{loc: "#2", offset: off(from1, cl2Header, cl2Body, "\n", from2), data: msgB, format: FormatMbox},
			},
		},
		{
			name:    "mboxcl2 without separator line",
			content: from1 + "Content-Length: 5\n\nbody\n" + from2 + "Content-Length: 0\n\n",
			wants: []want{
				{loc: "#1", offset: off(from1), data: "Content-Length: 5\n\nbody\n", format: FormatMboxCL2},
				{loc: "#2", offset: off(from1, "Content-Length: 5\n\nbody\n", from2), data: "Content-Length: 0\n\n", format: FormatMboxCL2},
			},
		},
		{
			name:    "Content-Length too large falls back to From_ lines",
			content: from1 + "Content-Length: 9999\n\nbody\n\n" + from2 + msgB,
			wants: []want{
				{loc: "#1", offset: off(from1), data: "Content-Length: 9999\n\nbody\n", format: FormatMbox},
				{loc: "#2", offset: off(from1, "Content-Length: 9999\n\nbody\n\n", from2), data: msgB},
			},
		},
		{
			name:    "Content-Length too small falls back to From_ lines",
			content: from1 + "Content-Length: 2\n\nbody\nmore\n\n" + from2 + msgB,
			wants: []want{
				{loc: "#1", offset: off(from1), data: "Content-Length: 2\n\nbody\nmore\n", format: FormatMbox},
				{loc: "#2", offset: off(from1, "Content-Length: 2\n\nbody\nmore\n\n", from2), data: msgB},
			},
		},
		{
			name:    "truncated last line",
			content: from1 + msgA + "\n" + from2 + "From: bob@example.org\n\nbody cut sh",
			wants: []want{
				{loc: "#1", offset: off(from1), data: msgA},
				{loc: "#2", offset: off(from1, msgA, "\n", from2), data: "From: bob@example.org\n\nbody cut sh", err: ErrTruncated},
			},
		},
		{
			name:    "truncated header",
			content: from1 + msgA + "\n" + from2 + "From: bob@example.org\nSubj",
			wants: []want{
				{loc: "#1", offset: off(from1), data: msgA},
				{loc: "#2", offset: off(from1, msgA, "\n", from2), data: "From: bob@example.org\nSubj", err: ErrTruncated},
			},
		},
		{
			name:    "empty message",
			content: from1 + "\n" + from2 + msgB,
			wants: []want{
				{loc: "#1", offset: off(from1), err: ErrEmpty},
				{loc: "#2", offset: off(from1, "\n", from2), data: msgB},
			},
		},
		{
			name:    "oversize message is skipped",
			content: from1 + msgA + strings.Repeat("x", 100) + "\n\n" + from2 + msgB,
			opts:    Options{MaxMessageSize: 100},
			wants: []want{
				{loc: "#1", offset: off(from1), err: ErrTooLarge},
				{loc: "#2", offset: off(from1, msgA, strings.Repeat("x", 100), "\n\n", from2), data: msgB},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "box")
			writeFile(t, p, tc.content)
			wants := make([]want, len(tc.wants))
			for i, w := range tc.wants {
				w.loc = p + w.loc
				wants[i] = w
			}
			check(t, scanPaths(t, []string{p}, tc.opts), wants)
		})
	}
}

// An mboxcl2 message whose body holds an unquoted From_ line.
const (
	cl2Body   = "intro\n\n" + from2 + ">From kept\n"
	cl2Header = "Subject: cl\nContent-Length: 64\n\n"
)

func TestCL2Length(t *testing.T) {
	if n := len(cl2Body); n != 64 {
		t.Fatalf("cl2Body is %d bytes; update cl2Header", n)
	}
}

func crlf(s string) string {
	return strings.ReplaceAll(s, "\n", "\r\n")
}
