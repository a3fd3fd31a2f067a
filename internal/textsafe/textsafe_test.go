package textsafe

import "testing"

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "spf=pass smtp.mailfrom=example.com", "spf=pass smtp.mailfrom=example.com"},
		{"csi colour", "\x1b[31mred\x1b[0m text", "red text"},
		{"cursor up and erase", "ok\x1b[1A\x1b[2Kforged", "okforged"},
		{"osc title bel", "\x1b]0;pwned\x07after", "after"},
		{"osc title st", "\x1b]2;pwned\x1b\\after", "after"},
		{"c0 and del", "a\x00b\x07c\x7fd", "abcd"},
		{"c1 csi", "a\u009b31mb", "a31mb"},
		{"newlines", "line1\r\nline2\tend", "line1  line2 end"},
		{"bidi override", "paypal\u202e.com", "paypal.com"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"unicode kept", "Jürgen — 日本", "Jürgen — 日本"},
		{"trailing esc", "x\x1b", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Clean(tc.in); got != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func FuzzClean(f *testing.F) {
	f.Add("\x1b[31mred\x1b]0;t\x07")
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) {
				t.Fatalf("Clean(%q) left %U", s, r)
			}
		}
	})
}
