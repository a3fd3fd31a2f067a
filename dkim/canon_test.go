package dkim

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dkimcore"
)

// TestCanonicalizeHeader uses the example of RFC 6376, section 3.4.5.
func TestCanonicalizeHeader(t *testing.T) {
	tests := []struct {
		name  string
		field string
		c     Canonicalization
		want  string
	}{
		{"relaxed A", "A: X\r\n", CanonRelaxed, "a:X\r\n"},
		{"relaxed B", "B : Y\t\r\n\tZ  \r\n", CanonRelaxed, "b:Y Z\r\n"},
		{"simple B", "B : Y\t\r\n\tZ  \r\n", CanonSimple, "B : Y\t\r\n\tZ  \r\n"},
		{"relaxed empty value", "X-Empty:   \r\n", CanonRelaxed, "x-empty:\r\n"},
		{"relaxed no space", "SUBJECT:a\t\tb\r\n", CanonRelaxed, "subject:a b\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(canonicalizeHeader(nil, []byte(tc.field), tc.c)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestBodyCanon uses RFC 6376, section 3.4.5 and the empty-body rules of
// sections 3.4.3 and 3.4.4.
func TestBodyCanon(t *testing.T) {
	tests := []struct {
		name string
		body string
		c    Canonicalization
		want string
	}{
		{"rfc relaxed", " C \r\nD \t E\r\n\r\n\r\n", CanonRelaxed, " C\r\nD E\r\n"},
		{"rfc simple", " C \r\nD \t E\r\n\r\n\r\n", CanonSimple, " C \r\nD \t E\r\n"},
		{"empty simple", "", CanonSimple, "\r\n"},
		{"empty relaxed", "", CanonRelaxed, ""},
		{"blank lines simple", "\r\n\r\n", CanonSimple, "\r\n"},
		{"white space lines relaxed", " \r\n\t\r\n", CanonRelaxed, ""},
		{"no final CRLF", "abc", CanonSimple, "abc\r\n"},
		{"no final CRLF relaxed", "abc  ", CanonRelaxed, "abc\r\n"},
		{"bare LF", "a\nb\n\n", CanonSimple, "a\r\nb\r\n"},
		{"bare CR kept", "a\rb\r\n", CanonSimple, "a\rb\r\n"},
		{"inner blank lines kept", "a\r\n\r\n\r\nb\r\n", CanonRelaxed, "a\r\n\r\n\r\nb\r\n"},
		{"single spaces kept", "one two three\r\n", CanonRelaxed, "one two three\r\n"},
		{"tabs and runs", "\ta  b\tc \t d\t\r\n", CanonRelaxed, " a b c d\r\n"},
		{"space before tab", "a \tb\r\n", CanonRelaxed, "a b\r\n"},
		{"long line with many runs", strings.Repeat("ab  ", 3000) + "\r\n", CanonRelaxed, strings.TrimSuffix(strings.Repeat("ab ", 3000), " ") + "\r\n"},
		{"long plain line", strings.Repeat("abcdefgh ", 2000) + "\r\n", CanonRelaxed, strings.TrimSuffix(strings.Repeat("abcdefgh ", 2000), " ") + "\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			bc := newBodyCanonicalizer(&out, tc.c)
			bc.Write([]byte(tc.body))
			if err := bc.Close(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("got %q, want %q", out.String(), tc.want)
			}
			if bc.Len() != int64(len(tc.want)) {
				t.Errorf("Len = %d", bc.Len())
			}
		})
	}
}

// referenceBodyCanon is RFC 6376, sections 3.4.3 and 3.4.4, written line
// by line for clarity rather than speed; tests compare bodyCanon with it.
func referenceBodyCanon(body []byte, relaxed bool) string {
	lines := strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // the body ends with a line end
	}
	for i, l := range lines {
		if relaxed {
			l = strings.ReplaceAll(l, "\t", " ")
			for strings.Contains(l, "  ") {
				l = strings.ReplaceAll(l, "  ", " ")
			}
			lines[i] = strings.TrimSuffix(l, " ")
		}
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	switch {
	case len(lines) > 0:
		return strings.Join(lines, "\r\n") + "\r\n"
	case relaxed:
		return ""
	default:
		return "\r\n"
	}
}

// TestHashBody checks the well-known hashes of the empty body and that
// several specs share one pass.
func TestHashBody(t *testing.T) {
	body := "Hi.\r\n\r\nWe lost the game. Are you hungry yet?\r\n\r\nJoe.\r\n"
	got, err := hashBody(strings.NewReader(body), []bodySpec{
		{Canon: CanonSimple, Hash: crypto.SHA256, Length: -1},
		{Canon: CanonRelaxed, Hash: crypto.SHA256, Length: -1},
		{Canon: CanonRelaxed, Hash: crypto.SHA256, Length: 0},
		{Canon: CanonSimple, Hash: crypto.SHA256, Length: -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString
	// RFC 6376, Appendix A.2 (simple body of the example message).
	if s := enc(got[0].Sum); s != "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=" {
		t.Errorf("simple: %s", s)
	}
	// The hash of nothing, as l=0 hashes no byte.
	if s := enc(got[2].Sum); s != "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" {
		t.Errorf("l=0: %s", s)
	}
	if !bytes.Equal(got[0].Sum, got[3].Sum) {
		t.Error("repeated spec differs")
	}
	if got[2].CanonicalLength != got[1].CanonicalLength {
		t.Error("CanonicalLength should be the whole body")
	}
}

// TestParseTagList covers RFC 6376, section 3.2.
func TestParseTagList(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
		err  error
	}{
		{"simple", "a=1; b=2", map[string]string{"a": "1", "b": "2"}, nil},
		{"trailing semicolon and FWS", " a = 1 ;\r\n\tb=x y\r\n z ;", map[string]string{"a": "1", "b": "x y\r\n z"}, nil},
		{"empty value", "p=", map[string]string{"p": ""}, nil},
		{"empty spec tolerated", "a=1;;b=2", map[string]string{"a": "1", "b": "2"}, nil},
		{"duplicate", "a=1; a=2", nil, ErrDuplicateTag},
		{"no equals", "a=1; b", nil, ErrTagSyntax},
		{"bad name", "1a=1", nil, ErrTagSyntax},
		{"control char", "a=\x01", nil, ErrTagSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := dkimcore.ParseTagList(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(l) != len(tc.want) {
				t.Fatalf("%d tags, want %d", len(l), len(tc.want))
			}
			for k, v := range tc.want {
				if got, ok := l.Lookup(k); !ok || got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestParseSignatureErrors checks that errors name the tag at fault
// (RFC 6376, section 3.5).
func TestParseSignatureErrors(t *testing.T) {
	base := "v=1; a=rsa-sha256; d=example.com; s=sel; h=From; bh=YQ==; b=YQ=="
	tests := []struct {
		name, in, mention string
	}{
		{"missing d", strings.Replace(base, "d=example.com; ", "", 1), "d="},
		{"bad l", base + "; l=abc", "l="},
		{"bad t", base + "; t=12x", "t="},
		{"x before t", base + "; t=200; x=100", "x="},
		{"empty h entry", strings.Replace(base, "h=From", "h=From::To", 1), "h="},
		{"bad base64", strings.Replace(base, "b=YQ==", "b=!!", 1), "b="},
		{"bad i", base + "; i=nodomain", "i="},
		{"bad a", strings.Replace(base, "a=rsa-sha256", "a=rsa", 1), "a="},
		{"bad domain", strings.Replace(base, "d=example.com", "d=exa mple..com", 1), "d="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSignature(tc.in)
			if !errors.Is(err, ErrMalformedSignature) {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("%v does not mention %s", err, tc.mention)
			}
		})
	}
	s, err := ParseSignature(base + "; c=relaxed; l=10; t=100; x=200")
	if err != nil {
		t.Fatal(err)
	}
	if s.HeaderCanon != CanonRelaxed || s.BodyCanon != CanonSimple || s.Length != 10 || s.Identity != "@example.com" || s.BPrefix() != "YQ==" {
		t.Errorf("parsed %+v", s)
	}
}

// TestParseKey covers RFC 6376, section 3.6.1 and RFC 8463, section 4.
func TestParseKey(t *testing.T) {
	rsaKey := keyRecord(t, loadKey(t, "rsa2048.pem"))
	tests := []struct {
		name    string
		in      string
		err     error
		revoked bool
		bits    int
	}{
		{"rsa", rsaKey, nil, false, 2048},
		{"ed25519", "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", nil, false, 256},
		{"revoked", "v=DKIM1; p=", nil, true, 0},
		{"v not first", "k=rsa; v=DKIM1; p=", ErrKeySyntax, false, 0},
		{"bad v", "v=DKIM2; p=", ErrKeySyntax, false, 0},
		{"missing p", "v=DKIM1; k=rsa", ErrKeySyntax, false, 0},
		{"bad p", "p=AAAA", ErrKeySyntax, false, 0},
		{"short ed25519", "k=ed25519; p=AAAA", ErrKeySyntax, false, 0},
		{"unknown k", "k=dsa; p=AAAA", ErrUnknownKeyType, false, 0},
		{"tag syntax", "v=DKIM1; k", ErrTagSyntax, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseKey(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if k.Revoked != tc.revoked || k.Bits != tc.bits {
				t.Errorf("revoked=%v bits=%d", k.Revoked, k.Bits)
			}
		})
	}
}

// TestBodyCanonWordBoundaries puts the white space that relaxed
// canonicalization must decide about, and the bytes one above SP and tab
// ('!', and 0x01 around tabs), at every offset of the 8-byte words
// that plainRun tests at a time, on lines handled whole (plainLines) and
// on lines that need the slow path, and compares with the line-by-line
// reference.
func TestBodyCanonWordBoundaries(t *testing.T) {
	pieces := []string{"  ", " !", "! ", "\t", " \t", "\x01", "\n\x0b", "\t\x08", " \n", "\n", "\r\n", "\r", " \n", "!!", "\t!", "  !", " ! !"}
	for _, p := range pieces {
		for off := 0; off < 17; off++ {
			for _, tail := range []string{"", "x", " ", "\r\n", "\n\n"} {
				body := []byte(strings.Repeat("a", off) + p + strings.Repeat("b", 9) + " c" + tail + "\nnext line\n")
				for _, c := range []Canonicalization{CanonSimple, CanonRelaxed} {
					var out bytes.Buffer
					bc := newBodyCanonicalizer(&out, c)
					bc.Write(body)
					bc.Close()
					if want := referenceBodyCanon(body, c == CanonRelaxed); out.String() != want {
						t.Errorf("%s %q: got %q, want %q", c, body, out.String(), want)
					}
				}
			}
		}
	}
}
