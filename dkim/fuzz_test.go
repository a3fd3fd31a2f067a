package dkim

import (
	"bytes"
	"testing"
)

// FuzzParseSignature checks that parsing never panics and that a parsed
// signature is self-consistent: its tags' offsets point at their values.
func FuzzParseSignature(f *testing.F) {
	f.Add("v=1; a=rsa-sha256; c=relaxed/simple; d=example.com; s=sel; t=1700000000; h=From:To; bh=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=; b=dGVzdA==")
	f.Add("v=1; a=ed25519-sha256; d=example.com; s=s; h=from : to; l=10; i=@mail.example.com;\r\n\tbh=YQ==;\r\n\tb=YQ =")
	f.Add("v=1;;a=rsa-sha1; x=1; t=2")
	f.Add("a=b; a=c")
	f.Fuzz(func(t *testing.T, s string) {
		sig, err := ParseSignature(s)
		if err != nil {
			return
		}
		for _, tag := range sig.tags {
			if s[tag.Start:tag.End] != tag.Value {
				t.Fatalf("tag %s: offsets %d..%d give %q, value %q", tag.Name, tag.Start, tag.End, s[tag.Start:tag.End], tag.Value)
			}
			if tag.EqualEnd > tag.Start || tag.SpecEnd < tag.End {
				t.Fatalf("tag %s: bad spans %+v", tag.Name, tag)
			}
		}
		if sig.Domain == "" || sig.Selector == "" || len(sig.Headers) == 0 {
			t.Fatalf("parsed signature lacks required values: %+v", sig)
		}
		// Removing b= and canonicalizing must work on any parsed field.
		if _, err := appendSignatureField(nil, []byte("DKIM-Signature:"+s+"\r\n"), CanonRelaxed); err != nil {
			t.Fatalf("AppendSignatureField: %v", err)
		}
	})
}

// FuzzParseKey checks that key parsing never panics and that a parsed key
// is usable or revoked.
func FuzzParseKey(f *testing.F) {
	f.Add("v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB")
	f.Add("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	f.Add("k=rsa; p=")
	f.Add("v=DKIM2; p=abc; h=sha1:sha256; s=email; t=y:s")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			return
		}
		if !k.Revoked && (k.Public == nil || k.Bits == 0) {
			t.Fatalf("key neither revoked nor usable: %+v", k)
		}
	})
}

// FuzzBodyCanon checks that canonicalizing a body written in arbitrary
// chunks gives the same bytes as writing it at once, for both algorithms,
// that the result is the one referenceBodyCanon gives, and that the
// relaxed output never has white space before a line end.
func FuzzBodyCanon(f *testing.F) {
	f.Add([]byte("Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n\r\n\r\n"), uint8(3), uint8(7))
	f.Add([]byte("a \t b\r\r\n\n \r\n\t\r\nlast"), uint8(1), uint8(1))
	f.Add([]byte(""), uint8(0), uint8(0))
	f.Add([]byte("\r"), uint8(1), uint8(2))
	f.Add([]byte("  lead\t\ttab  two  spaces \r\n \t \r\nx \ty\t \r\n"), uint8(4), uint8(3))
	f.Fuzz(func(t *testing.T, body []byte, a, b uint8) {
		for _, c := range []Canonicalization{CanonSimple, CanonRelaxed} {
			var one, many bytes.Buffer
			bc := newBodyCanonicalizer(&one, c)
			bc.Write(body)
			bc.Close()
			bc = newBodyCanonicalizer(&many, c)
			rest := body
			sizes := []int{int(a)%17 + 1, int(b)%5 + 1}
			for i := 0; len(rest) > 0; i++ {
				n := min(sizes[i%2], len(rest))
				bc.Write(rest[:n])
				rest = rest[n:]
			}
			bc.Close()
			if !bytes.Equal(one.Bytes(), many.Bytes()) {
				t.Fatalf("%s: chunked %q, one-shot %q", c, many.Bytes(), one.Bytes())
			}
			if want := referenceBodyCanon(body, c == CanonRelaxed); one.String() != want {
				t.Fatalf("%s: %q canonicalized to %q, want %q", c, body, one.Bytes(), want)
			}
			out := one.Bytes()
			if c == CanonRelaxed && (bytes.Contains(out, []byte(" \r\n")) || bytes.Contains(out, []byte("\t"))) {
				t.Fatalf("relaxed output keeps white space: %q", out)
			}
			if len(out) > 0 && !bytes.HasSuffix(out, crlf) {
				t.Fatalf("%s: output does not end in CRLF: %q", c, out)
			}
			if bytes.HasSuffix(out, []byte("\r\n\r\n")) {
				t.Fatalf("%s: trailing empty line kept: %q", c, out)
			}
		}
	})
}
