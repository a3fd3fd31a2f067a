package dkim

import (
	"math/rand/v2"
	"testing"

	"github.com/authlens/authlens/internal/dkimcore"
)

// TestFWSPrefix checks the b= prefix against stripping the whole value.
func TestFWSPrefix(t *testing.T) {
	cases := []string{"", "abc", "abcdefgh", "abcdefghij", " a b\r\n\tcdefghij", "abc\r\n def", "abcdefg h", "\r\n \t", "ab cd ef gh ij"}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ab+/= \t\r\n"
	for range 2000 {
		b := make([]byte, rng.IntN(20))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, v := range cases {
		want := dkimcore.StripFWS(v)
		want = want[:min(len(want), 8)]
		if got := fwsPrefix(v, 8); got != want {
			t.Errorf("%q: Expected %q, got %q", v, want, got)
		}
	}
}
