package message

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// TestParseMatchesRead checks that Parse, which aliases its input, gives
// the same Message as Read for every shape of input Read accepts, the
// repository's sample messages included.
func TestParseMatchesRead(t *testing.T) {
	inputs := map[string]string{
		"crlf message":       "From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n",
		"lf message":         "From: a@example.com\nSubject: x\n\nbody\n",
		"mixed line ends":    "From: a@example.com\r\nSubject: x\n\r\nbody\r\n",
		"headers only":       "From: a@example.com\r\nSubject: x\r\n",
		"headers, blank":     "From: a@example.com\r\n\r\n",
		"bom and blanks":     "\xef\xbb\xbf\r\n\r\nFrom: a@example.com\r\n\r\nbody",
		"mbox separator":     "From x@example.com Mon Jan  1 00:00:00 2024\r\nFrom: a@example.com\r\n\r\nbody\r\n",
		"indented paste":     "    From: a@example.com\n    Subject: x\n\n  body stays\n",
		"folded field":       "From: \"A\r\n B\" <a@example.com>\r\n\r\nb",
		"long body":          "From: a@example.com\r\n\r\n" + strings.Repeat("line of the body\r\n", 2000),
		"empty":              "",
		"binary":             "\x00\x01\x02 junk",
		"syntax after field": "From: a@example.com\r\nnot a field\r\n\r\n",
	}
	files, _ := filepath.Glob("../../testdata/*.eml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = string(data)
	}
	for name, in := range inputs {
		for _, opts := range []Options{{}, {MaxBodyBytes: 10}, {MaxBodyBytes: -1}} {
			t.Run(name, func(t *testing.T) {
				want, wantErr := Read(strings.NewReader(in), opts)
				got, gotErr := Parse([]byte(in), opts)
				if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
					t.Fatalf("error %v, Read says %v", gotErr, wantErr)
				}
				if want == nil || got == nil {
					if want != got {
						t.Fatalf("message %v, Read gives %v", got, want)
					}
					return
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("Bytes = %q, Read gives %q", got.Bytes(), want.Bytes())
				}
				got.raw, want.raw, got.hdr, want.hdr = nil, nil, nil, nil
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Parse = %+v, Read gives %+v", got, want)
				}
			})
		}
	}
}

// TestParseAliases checks that a CRLF message is not copied.
func TestParseAliases(t *testing.T) {
	data := []byte("From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n")
	m, err := Parse(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if &m.Body[0] != &data[len(data)-6] {
		t.Error("Body is a copy")
	}
	if b := m.Bytes(); &b[0] != &data[0] || len(b) != len(data) {
		t.Error("Bytes is a copy")
	}
	// A bare LF header is normalized, so Bytes cannot alias.
	lf := []byte("From: a@example.com\n\nbody\r\n")
	m, err = Parse(lf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(m.Bytes()); got != "From: a@example.com\r\n\r\nbody\r\n" {
		t.Errorf("Bytes = %q", got)
	}
	if _, err := Parse(nil, Options{}); !errors.Is(err, ErrNotMessage) {
		t.Errorf("empty input: %v", err)
	}
}

// TestReaderParts checks that Reader gives the bytes of Bytes, read in
// small pieces or written at once.
func TestReaderParts(t *testing.T) {
	m, err := Parse([]byte("From: a@example.com\nSubject: x\n\nline one\nline two\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "From: a@example.com\r\nSubject: x\r\n\r\nline one\nline two\n"
	small, err := io.ReadAll(iotest.OneByteReader(m.Reader()))
	if err != nil || string(small) != want {
		t.Errorf("read: %q, %v", small, err)
	}
	var whole bytes.Buffer
	if n, err := m.Reader().(io.WriterTo).WriteTo(&whole); err != nil || n != int64(len(want)) || whole.String() != want {
		t.Errorf("WriteTo: %q, %d, %v", whole.String(), n, err)
	}
	if string(m.Bytes()) != want {
		t.Errorf("Bytes = %q", m.Bytes())
	}
}
