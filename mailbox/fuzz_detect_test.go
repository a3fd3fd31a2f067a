package mailbox

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzDetect checks Detect on any content: it never panics, never
// consumes what it looks at, never says Maildir, says empty exactly for
// no bytes, gives the same answer however the bytes arrive, tells the
// formats with magic numbers the same way with any buffer size, and
// differs between buffer sizes only where a larger buffer sees more of
// the header (mbox or mboxcl2, a message or unknown).
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		msgA, from1 + msgA, cl2Header + cl2Body, "\xef\xbb\xbf\r\n  From: a\r\n  Subject: b\r\n\r\n", "\x1f\x8b\x08",
		"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "!BDN", "PK\x03\x04", "PK\x05\x06", "%PDF-1.4", "BZh9", "\xfd7zXZ\x00",
		"X-Custom: 1\n continued\nReceived: x\n", "Subject : spaced\n", ": no name\n", "", "\n\n\n",
	} {
		f.Add([]byte(s))
	}
	for _, pattern := range []string{filepath.Join("..", "testdata", "*.eml"), filepath.Join("..", "..", "shared", "samples", "*.eml")} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var first Format
		for i, size := range []int{16, 64, 4096, bufferSize} {
			br := bufio.NewReaderSize(bytes.NewReader(data), size)
			got, err := Detect(br)
			if err != nil {
				t.Fatalf("buffer %d: error %v from a reader that cannot fail", size, err)
			}
			if got == FormatMaildir || (got == FormatEmpty) != (len(data) == 0) {
				t.Fatalf("buffer %d: %s for %d bytes", size, got, len(data))
			}
			if rest, _ := io.ReadAll(br); !bytes.Equal(rest, data) {
				t.Fatalf("buffer %d: Detect consumed input", size)
			}
			slow, err := Detect(bufio.NewReaderSize(iotest.HalfReader(iotest.OneByteReader(bytes.NewReader(data))), size))
			if err != nil || slow != got {
				t.Fatalf("buffer %d: %s, but %s, %v when read a byte at a time", size, got, slow, err)
			}
			if i == 0 {
				first = got
				continue
			}
			if got != first && !(sameFamily(got, first, FormatMbox, FormatMboxCL2) || sameFamily(got, first, FormatEML, FormatUnknown)) {
				t.Fatalf("buffer %d: %s, buffer 16: %s", size, got, first)
			}
		}
		if _, err := Detect(bufio.NewReader(iotest.ErrReader(io.ErrUnexpectedEOF))); err == nil {
			t.Fatal("no error from a reader failing before the first byte")
		}
		if len(data) > 0 {
			r := io.MultiReader(bytes.NewReader(data[:1]), iotest.ErrReader(io.ErrUnexpectedEOF))
			if _, err := Detect(bufio.NewReader(r)); err != nil {
				t.Fatalf("error %v after a byte was read", err)
			}
		}
	})
}

// sameFamily reports whether {a, b} is {x, y}.
func sameFamily(a, b, x, y Format) bool {
	return (a == x && b == y) || (a == y && b == x)
}

// FuzzFromWords holds the word split of From_ lines to strings.FieldsFunc
// on spaces and tabs, cut at 12 words.
func FuzzFromWords(f *testing.F) {
	f.Add([]byte("alice@example.com Thu Jan  1 00:00:00 2015"))
	f.Add([]byte(" \t\"a b\"@x\t\tMon, 01 Jan 2024 00:00:00 +0000 1 2 3 4 5 6 7 8 9 "))
	f.Fuzz(func(t *testing.T, rest []byte) {
		var tok [12][]byte
		n := fromWords(rest, &tok)
		want := strings.FieldsFunc(string(rest), func(r rune) bool { return r == ' ' || r == '\t' })
		want = want[:min(len(want), len(tok))]
		if n != len(want) {
			t.Fatalf("fromWords(%q): %d words, want %d", rest, n, len(want))
		}
		for i := range n {
			if string(tok[i]) != want[i] {
				t.Fatalf("fromWords(%q): word %d is %q, want %q", rest, i, tok[i], want[i])
			}
		}
	})
}
