package cli

import (
	"bytes"
	"testing"
)

// noMessageBodyRef is the plain statement of noMessageBody: with every
// CRLF read as LF, nothing but white space after the first empty line, or
// no empty line at all.
func noMessageBodyRef(data []byte) bool {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	i := bytes.Index(data, []byte("\n\n"))
	return i < 0 || len(bytes.TrimSpace(data[i:])) == 0
}

func TestNoMessageBody(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"From: a@example.com\r\nSubject: x\r\n", true},
		{"From: a@example.com\r\n\r\n", true},
		{"From: a@example.com\r\n\r\n \r\n\t\r\n", true},
		{"From: a@example.com\r\n\r\nbody\r\n", false},
		{"From: a@example.com\n\nbody\n", false},
		{"From: a@example.com\n\r\nbody", false},
		{"From: a@example.com\r\n\nbody", false},
		{"\nbody", true},
		{"\n\nbody", false},
		{"", true},
		{"From: a\r\r\nx\r\n\r\n\u00a0", true},
	} {
		if got := noMessageBody([]byte(c.in)); got != c.want {
			t.Errorf("noMessageBody(%q) = %v, want %v", c.in, got, c.want)
		}
		if ref := noMessageBodyRef([]byte(c.in)); ref != c.want {
			t.Errorf("reference(%q) = %v, want %v", c.in, ref, c.want)
		}
	}
}

// FuzzNoMessageBody holds noMessageBody, which reads in place, to its
// plain statement, which copies the message.
func FuzzNoMessageBody(f *testing.F) {
	for _, s := range []string{"a: b\r\n\r\nc", "a: b\n\n \n", "\r\n\r\n", "x\n\r\r\n\n", "a\n\r\n\u0085"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := noMessageBody(data), noMessageBodyRef(data); got != want {
			t.Fatalf("noMessageBody(%q) = %v, the plain statement says %v", data, got, want)
		}
	})
}
