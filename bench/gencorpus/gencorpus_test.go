package main

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	msgauth "github.com/emersion/go-msgauth/dkim"
)

// TestSignaturesVerify checks the generated DKIM signatures with
// go-msgauth's verifier against the records of the generated zone.
func TestSignaturesVerify(t *testing.T) {
	k, err := loadKeys(1)
	if err != nil {
		t.Fatal(err)
	}
	g := newGenerator(rand.New(rand.NewPCG(1, 2)), k)
	txt := map[string]string{}
	for line := range strings.Lines(string(g.zone())) {
		f := strings.SplitN(line, "\t", 4)
		if len(f) == 4 && strings.Contains(f[0], "_domainkey") {
			v := strings.NewReplacer("( ", "", " )", "", `" "`, "", `"`, "", "\n", "").Replace(f[3])
			txt[strings.TrimSuffix(f[0], ".")] = v
		}
	}
	opts := &msgauth.VerifyOptions{LookupTXT: func(name string) ([]string, error) { return []string{txt[name]}, nil }}
	for i := range 20 {
		m, err := g.message(i)
		if err != nil {
			t.Fatal(err)
		}
		var mbox bytes.Buffer
		w := bufio.NewWriter(&mbox)
		if _, err := writeMbox(w, m); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		vs, err := msgauth.VerifyWithOptions(bytes.NewReader(m.data), opts)
		if err != nil || len(vs) != 1 || vs[0].Err != nil {
			t.Errorf("message %d: %v %+v", i, err, vs)
		}
	}
}
