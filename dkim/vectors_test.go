package dkim

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/testshared"
)

type vectorCase struct {
	ID          string   `json:"id"`
	Description string   `json:"description"`
	EML         string   `json:"eml"`
	Zone        string   `json:"zone"`
	VerifyTime  *int64   `json:"verify_time"`
	RFCExpect   []string `json:"rfc_expect"`
	RFCNote     string   `json:"rfc_note"`
	Signatures  []struct {
		Index     int    `json:"index"`
		D         string `json:"d"`
		S         string `json:"s"`
		A         string `json:"a"`
		RFCExpect string `json:"rfc_expect"`
	} `json:"signatures"`
}

// TestVectors runs the conformance vectors: every signature must get the
// result its rfc_expect names ("a|b" accepts either), verified at
// verify_time with the case's zone served over loopback DNS.
func TestVectors(t *testing.T) {
	dir := testshared.Dir(t, "conformance/dkim/vectors")
	data, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []vectorCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.ID, func(t *testing.T) {
			msg, err := os.ReadFile(filepath.Join(dir, tc.EML))
			if err != nil {
				t.Fatal(err)
			}
			zdata, err := os.ReadFile(filepath.Join(dir, tc.Zone))
			if err != nil {
				t.Fatal(err)
			}
			cz, err := dnstest.ParseOracleZone(zdata)
			if err != nil {
				t.Fatal(err)
			}
			r := loopbackResolver(t, cz)
			opts := Options{}
			if tc.VerifyTime != nil {
				opts.Now = atTime(*tc.VerifyTime)
			}
			res, err := Verify(context.Background(), r, bytes.NewReader(msg), opts)
			if err != nil {
				t.Fatal(err)
			}
			// The per-signature entries are authoritative. In one case
			// (dkimpy-rfc6376-signed) the message-level list has an entry
			// more than the message has DKIM-Signature fields; say so.
			var want []string
			for _, s := range tc.Signatures {
				want = append(want, s.RFCExpect)
			}
			if len(tc.RFCExpect) != len(want) {
				t.Logf("vector data: message-level rfc_expect %v has %d entries, the %d signatures say %v; using the latter", tc.RFCExpect, len(tc.RFCExpect), len(want), want)
			}
			if len(res) != len(want) {
				t.Fatalf("%d results, want %d (%v)", len(res), len(want), want)
			}
			for i, w := range want {
				got := string(res[i].Status)
				if !oneOf(got, w) {
					t.Errorf("signature %d: %s (%s: %v), want %s; note: %s", i, got, res[i].Reason, res[i].Err, w, tc.RFCNote)
				} else {
					t.Logf("signature %d: %s", i, res[i].String())
				}
			}
		})
	}
}

func oneOf(got, want string) bool {
	for w := range strings.SplitSeq(want, "|") {
		if got == w {
			return true
		}
	}
	return false
}

// TestStalwart runs the stalwart mail-auth DKIM messages: DNS lines, a
// blank line, then the message with LF line ends. Upstream asserts that
// the last DKIM-Signature passes at time 1667843664; 002 publishes a bare
// RSAPublicKey, which this package accepts with a warning.
func TestStalwart(t *testing.T) {
	dir := testshared.Dir(t, "conformance/dkim/stalwart")
	for _, name := range []string{"001.txt", "002.txt", "003.txt", "004.txt", "005.txt", "006.txt"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
			dnsPart, msg, ok := bytes.Cut(data, []byte("\n\n"))
			if !ok {
				t.Fatal("no blank line after the DNS records")
			}
			z := dnstest.NewZone()
			for line := range strings.SplitSeq(string(dnsPart), "\n") {
				owner, txt, ok := strings.Cut(strings.TrimSpace(line), " ")
				if !ok {
					continue
				}
				z.AddTXT(owner, splitTXT(txt)...)
			}
			msg = bytes.ReplaceAll(msg, []byte("\n"), []byte("\r\n"))
			r := loopbackResolver(t, z)
			res, err := Verify(context.Background(), r, bytes.NewReader(msg), Options{Now: atTime(1667843664)})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) == 0 {
				t.Fatal("no signatures")
			}
			last := res[len(res)-1]
			if last.Status != StatusPass {
				t.Errorf("last signature: %s (%v)", last.Status, last.Err)
			}
			for _, r := range res {
				t.Logf("%s warnings=%v", r.String(), r.Warnings)
			}
		})
	}
}

// splitTXT cuts a long TXT value into 255-byte character-strings.
func splitTXT(s string) []string {
	var out []string
	for len(s) > 255 {
		out = append(out, s[:255])
		s = s[255:]
	}
	return append(out, s)
}
