package cli

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"1024", 1024}, {"1KB", 1000}, {"1kb", 1000}, {"1KiB", 1024}, {"2 MiB", 2 << 20},
		{"64MB", 64_000_000}, {"1GiB", 1 << 30}, {"3GB", 3_000_000_000}, {"1.5KiB", 1536}, {"10B", 10},
	}
	for _, tc := range tests {
		if got, err := parseSize(tc.in); err != nil || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "KB", "1XB", "1 K", "-5", "1e3", "99999999999999999999GiB", "1..2MB"} {
		if n, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", bad, n)
		} else if !strings.Contains(err.Error(), "KiB") {
			t.Errorf("parseSize(%q): %v does not list the units", bad, err)
		}
	}
	for n, want := range map[int64]string{64 << 20: "64MiB", 1 << 30: "1GiB", 1536: "1536", 2048: "2KiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestMessagesForPeople: the command's own messages name no internal
// package and say what to do.
func TestMessagesForPeople(t *testing.T) {
	tests := []struct {
		args      []string
		code      int
		want      string
		forbidden string
	}{
		{[]string{"--max-message-size", "1XB", "x.eml"}, exitUsage, "not a size: give bytes, or a number with a unit", "strconv"},
		{[]string{"spf"}, exitUsage, "Usage:\n  authlens spf --ip IP", `not ""`},
		{[]string{"spf", "--helo", "mail.example.com"}, exitUsage, "name the SMTP client's address with --ip", `not ""`},
		{[]string{"--help"}, 0, "or a message matched --fail-on", ""},
		{[]string{"--help"}, 0, "--max-message-size size", ""},
		{[]string{"no-such-file.eml"}, exitFailed, "cannot read", "mailbox:"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, stderr, code := run(t, "", tc.args...)
			all := out + stderr
			if code != tc.code || !strings.Contains(all, tc.want) || tc.forbidden != "" && strings.Contains(all, tc.forbidden) {
				t.Errorf("exit %d (want %d), output %q %q, want %q without %q", code, tc.code, out, stderr, tc.want, tc.forbidden)
			}
		})
	}
	// A size with a unit is taken.
	out, _, code := run(t, "", "--format=json", "--max-message-size", "1KB", root+"/testdata/gmail-dmarc-pass.eml")
	if code != exitFailed || !strings.Contains(out, "message too large") || !strings.Contains(out, "limit 1000") {
		t.Errorf("--max-message-size 1KB: exit %d, %s", code, out)
	}
}
