package header

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func read(t *testing.T, s string, lim Limits) ([]Field, string, error) {
	t.Helper()
	r := bufio.NewReaderSize(strings.NewReader(s), 4096)
	f, err := Read(r, lim)
	rest, _ := io.ReadAll(r)
	return f, string(rest), err
}

func TestRead(t *testing.T) {
	msg := "From: a@example.com\nSubject: hello\n world\n\tagain\nTo : b@example.net\n\nbody line\n"
	fields, body, err := read(t, msg, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) != 3 {
		t.Fatalf("got %d fields, want 3", len(fields))
	}
	if got := string(fields[1].Raw); got != "Subject: hello\r\n world\r\n\tagain\r\n" {
		t.Errorf("Raw = %q", got)
	}
	if got := fields[1].Value(); got != "hello world\tagain" {
		t.Errorf("Value = %q", got)
	}
	if !fields[2].Is("to") || fields[2].Name != "To" || fields[2].Line != 5 {
		t.Errorf("field 2 = %+v", fields[2])
	}
	if body != "body line\n" {
		t.Errorf("body = %q", body)
	}
	if v := Values(fields, "FROM"); len(v) != 1 || v[0] != "a@example.com" {
		t.Errorf("Values = %q", v)
	}
}

func TestReadHeadersOnly(t *testing.T) {
	fields, _, err := read(t, "From: a@example.com\r\nTo: b@example.net", Limits{})
	if err != nil || len(fields) != 2 || fields[1].Value() != "b@example.net" {
		t.Fatalf("fields=%v err=%v", fields, err)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		lim  Limits
		want error
		line int
	}{
		{"empty", "", Limits{}, ErrEmpty, 0},
		{"blank first", "\r\nbody", Limits{}, ErrEmpty, 0},
		{"continuation first", " folded\r\n", Limits{}, ErrSyntax, 1},
		{"no colon", "From: a\r\nthis is not a header\r\n", Limits{}, ErrSyntax, 2},
		{"binary", "From: a\r\n\x00\x01\x02:\xff\r\n", Limits{}, ErrSyntax, 2},
		{"long line", "From: a\r\nX: " + strings.Repeat("a", 1<<20) + "\r\n", Limits{}, ErrLimit, 2},
		{"long folded", "X: a\r\n" + strings.Repeat(" b\r\n", 100), Limits{MaxFieldBytes: 64}, ErrLimit, 1},
		{"many fields", strings.Repeat("X: y\r\n", 10000), Limits{}, ErrLimit, 1001},
		{"big block", strings.Repeat("X: "+strings.Repeat("y", 2000)+"\r\n", 1000), Limits{}, ErrLimit, 523},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := read(t, tc.in, tc.lim)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var he *Error
			if tc.line > 0 && (!errors.As(err, &he) || he.Line != tc.line) {
				t.Errorf("err = %v, want line %d", err, tc.line)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add("From: a@example.com\r\nSubject: x\r\n y\r\n\r\nbody")
	f.Add("A:\n\n")
	f.Add(" x\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := Read(bufio.NewReader(strings.NewReader(s)), Limits{MaxFields: 50, MaxFieldBytes: 512, MaxBlockBytes: 4096})
		if err != nil {
			return
		}
		for _, fl := range fields {
			if !strings.HasSuffix(string(fl.Raw), "\r\n") || !strings.HasPrefix(string(fl.Raw), fl.Name) {
				t.Fatalf("bad field %q", fl.Raw)
			}
			if got, want := fl.Value(), unfoldReference(fl.RawValue()); got != want {
				t.Fatalf("Value of %q = %q, want %q", fl.Raw, got, want)
			}
		}
	})
}

// unfoldReference is RFC 5322, section 2.2.3, written plainly: remove
// every CRLF, then trim the surrounding white space.
// A CRLF before a line without leading white space (a damaged fold the
// lenient reading joined) stands for one space.
func unfoldReference(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	s = strings.ReplaceAll(s, "\r\n ", " ")
	s = strings.ReplaceAll(s, "\r\n\t", "\t")
	return strings.ReplaceAll(s, "\r\n", " ")
}

func TestFieldIsASCIIOnly(t *testing.T) {
	f := Field{Name: "DKIM-Signature"}
	if !f.Is("dkim-signature") || !f.Is("DKIM-SIGNATURE") {
		t.Error("Is must ignore ASCII letter case")
	}
	if f.Is("DKIM-Signatur") || f.Is("DKIM-Signatures") {
		t.Error("Is matched a name of another length")
	}
	// U+212A KELVIN SIGN folds to k under Unicode simple folding, but a
	// field name is US-ASCII: "\u212aey" is not "Key".
	if (Field{Name: "\u212aey"}).Is("Key") {
		t.Error("a non-ASCII name matched an ASCII one through Unicode folding")
	}
}
