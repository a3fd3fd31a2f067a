package authres

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/authlens/authlens/internal/testshared"
)

// equalHeaders compares two parsed headers field by field, Problems aside:
// Parse normalizes comments (white space collapsed, quoted-pairs removed) and
// joins the comments of a property, so a header read back from Format's
// output must match exactly.
func equalHeaders(a, b *Header) bool {
	x, y := *a, *b
	x.Problems, y.Problems = nil, nil
	return reflect.DeepEqual(x, y)
}

// fuzzSeeds are realistic values from several receivers plus the edge cases
// the fuzzer found.
var fuzzSeeds = []string{
	"example.org 1; none",
	"spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.com; dkim=pass (signature was verified) header.d=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100",
	"i=2; mx.google.com; dkim=pass header.i=@example.com header.s=sel header.b=\"abcd1234\"; arc=pass (i=1); spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=a@example.com",
	"mx3.messagingengine.com; bimi=pass policy.authority-uri=\r\n https://example.com/a.pem; spf=pass smtp.mailfrom=\r\n \"b=2@example.com\"",
	"foo.example.net (foobar) 1 (baz); dkim (c) / 1 (d) = (e) fail policy (f) . (g) expired (h) = (i) 1362471462",
	"mx.example.com; arc=pass (0 oda=1 ltdi=1 spf=[1,1,smtp.mailfrom=x] dkim=[1,1,header.d=x])",
	"example.com; dkim=pass spf=pass smtp.mailfrom=a@b; x=y (a (b \\) c)) k=\"v\\\"\";",
	"(c) ; none",
	"example.com; foo=bar (unterminated",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	if dir := sharedDir(f); dir != "" {
		var cases []conformanceCase
		if data, err := os.ReadFile(filepath.Join(dir, "authres-cases.json")); err == nil &&
			json.Unmarshal(data, &cases) == nil {
			for _, c := range cases {
				f.Add(c.Header)
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			if h != nil {
				t.Fatalf("non-nil header with error %v", err)
			}
			return
		}
		out := Format(h)
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(h)) failed: %v\ninput: %q\nformatted: %q", err, s, out)
		}
		if len(again.Problems) > 0 {
			t.Fatalf("Format output has problems %v\ninput: %q\nformatted: %q", again.Problems, s, out)
		}
		if !equalHeaders(h, again) {
			t.Fatalf("round trip differs\ninput: %q\nformatted: %q\nfirst:  %+v\nsecond: %+v", s, out, h, again)
		}
		if out2 := Format(again); out2 != out {
			t.Fatalf("Format not stable: %q then %q", out, out2)
		}
	})
}

func FuzzParseReceivedSPF(f *testing.F) {
	for _, s := range []string{
		"pass (mybox.example.org: domain of a@example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=\"a@example.com\"; helo=foo.example.com; receiver=mybox.example.org; identity=mailfrom; mechanism=ip4:192.0.2.0/24",
		"Pass (protection.outlook.com: domain of example.com designates 192.0.2.1 as permitted sender) receiver=protection.outlook.com; client-ip=192.0.2.1; helo=mail.example.com; pr=C",
		"None (x) identity=mailfrom;",
		"softfail (a (b) \\) c",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReceivedSPF(s)
		if (r == nil) == (err == nil) {
			t.Fatalf("ParseReceivedSPF(%q) = %v, %v", s, r, err)
		}
		if r != nil && r.Result == "" {
			t.Fatalf("empty result without error for %q", s)
		}
	})
}

// sharedDir returns the conformance folder, or "" when it is absent. A fuzz
// target must not be skipped for want of extra seeds, so the skip that
// testshared.Dir would perform is turned into an empty answer.
func sharedDir(f *testing.F) (dir string) {
	defer func() {
		if r := recover(); r != nil && r != errNoShared {
			panic(r)
		}
	}()
	return testshared.Dir(noSkipTB{f}, "conformance/authres")
}

var errNoShared = errors.New("shared test data absent")

// noSkipTB turns Skip calls into a panic that sharedDir recovers.
type noSkipTB struct{ testing.TB }

func (noSkipTB) Skipf(string, ...any) { panic(errNoShared) }
