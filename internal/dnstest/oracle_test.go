package dnstest

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/testshared"
)

func TestParseOracleZone(t *testing.T) {
	const zone = `
Example.COM.: "v=spf1 -all"
multi.example: ["one", ["two", "parts"]]
typed.example:
  TXT: ["t"]
  A: [192.0.2.1, 192.0.2.2]
  AAAA: 2001:db8::1
  MX: [[10, mx.example], [5, mx0.example]]
  PTR: [host.example]
alias.example: {CNAME: typed.example}
slow.example: TIMEOUT
txtslow.example: {TXT: TIMEOUT, A: [192.0.2.3]}
star.example: {"*": TIMEOUT, TXT: "listed"}
broken.example: SERVFAIL
spf.example: {SPF: "v=spf1", TXT: "v=spf1 txt"}
empty.example: {}
`
	z, err := ParseOracleZone([]byte(zone))
	if err != nil {
		t.Fatal(err)
	}
	r := z.Resolver()
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func() (string, error)
		want  string
		class dnsclient.Class
	}{
		{"string", txt(ctx, r, "example.com"), "v=spf1 -all", dnsclient.ClassOK},
		{"list", txt(ctx, r, "multi.example"), "one|twoparts", dnsclient.ClassOK},
		{"typed txt", txt(ctx, r, "typed.example"), "t", dnsclient.ClassOK},
		{"typed a", func() (string, error) {
			h, err := r.LookupHost(ctx, "typed.example")
			return strings.Join(h, "|"), err
		}, "192.0.2.1|192.0.2.2|2001:db8::1", dnsclient.ClassOK},
		{"typed mx", func() (string, error) {
			mx, err := r.LookupMX(ctx, "typed.example")
			var hs []string
			for _, m := range mx {
				hs = append(hs, m.Host)
			}
			return strings.Join(hs, "|"), err
		}, "mx0.example.|mx.example.", dnsclient.ClassOK},
		{"cname", txt(ctx, r, "alias.example"), "t", dnsclient.ClassOK},
		{"timeout", txt(ctx, r, "slow.example"), "", dnsclient.ClassTimeout},
		{"type timeout", txt(ctx, r, "txtslow.example"), "", dnsclient.ClassTimeout},
		{"type timeout other", func() (string, error) {
			h, err := r.LookupHost(ctx, "txtslow.example")
			return strings.Join(h, "|"), err
		}, "192.0.2.3", dnsclient.ClassOK},
		{"star listed", txt(ctx, r, "star.example"), "listed", dnsclient.ClassOK},
		{"star unlisted", func() (string, error) {
			_, err := r.LookupMX(ctx, "star.example")
			return "", err
		}, "", dnsclient.ClassTimeout},
		{"servfail", txt(ctx, r, "broken.example"), "", dnsclient.ClassServFail},
		{"spf type ignored", txt(ctx, r, "spf.example"), "v=spf1 txt", dnsclient.ClassOK},
		{"nodata", txt(ctx, r, "empty.example"), "", dnsclient.ClassNoData},
		{"nxdomain", txt(ctx, r, "absent.example"), "", dnsclient.ClassNXDomain},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.call()
			if c := dnsclient.Classify(err); c != tc.class {
				t.Fatalf("Expected class %s, got %s (%v)", tc.class, c, err)
			}
			if got != tc.want {
				t.Errorf("Expected %q, got %q", tc.want, got)
			}
		})
	}
}

// txt returns a call looking up the TXT records of name, joined with "|".
func txt(ctx context.Context, r *Resolver, name string) func() (string, error) {
	return func() (string, error) {
		recs, err := r.LookupTXT(ctx, name)
		return strings.Join(recs, "|"), err
	}
}

func TestParseOracleZoneErrors(t *testing.T) {
	tests := []struct {
		name, zone string
	}{
		{"not a mapping", `["a"]`},
		{"bad yaml", `{a: [`},
		{"bad address", `a.example: {A: [not-an-ip]}`},
		{"v6 as A", `a.example: {A: ["2001:db8::1"]}`},
		{"bad mx", `a.example: {MX: [[10]]}`},
		{"mx range", `a.example: {MX: [[70000, mx.example]]}`},
		{"unknown type", `a.example: {BOGUS: x}`},
		{"unknown timeout type", `a.example: {BOGUS: TIMEOUT}`},
		{"cname list", `a.example: {CNAME: [a, b]}`},
		{"txt number", `a.example: [1]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseOracleZone([]byte(tc.zone)); !errors.Is(err, ErrOracleZone) {
				t.Errorf("Expected ErrOracleZone, got %v", err)
			}
		})
	}
}

func TestOracleZoneDKIMVectors(t *testing.T) {
	dir := testshared.Dir(t, "conformance/dkim/vectors")
	files, err := filepath.Glob(filepath.Join(dir, "*.zone.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("Expected zone files in %s, got %v", dir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			z, err := ParseOracleZone(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(z.Names()) == 0 {
				t.Errorf("Expected names in %s", f)
			}
		})
	}
	t.Run("timeout vector", func(t *testing.T) {
		z, err := ParseOracleZone(testshared.File(t, "conformance/dkim/vectors/gen-key-dns-timeout.zone.json"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = z.Resolver().LookupTXT(context.Background(), "slow._domainkey.example.com")
		if c := dnsclient.Classify(err); c != dnsclient.ClassTimeout {
			t.Errorf("Expected timeout, got %s (%v)", c, err)
		}
	})
}

func TestOracleZoneDMARCCases(t *testing.T) {
	data := testshared.File(t, "conformance/dmarc/dmarc-cases.yaml")
	var suite struct {
		Cases []struct {
			ID   string `yaml:"id"`
			Zone *Zone  `yaml:"zone"`
		} `yaml:"cases"`
	}
	if err := yaml.Unmarshal(data, &suite); err != nil {
		t.Fatal(err)
	}
	if len(suite.Cases) == 0 {
		t.Fatal("Expected cases")
	}
	for _, c := range suite.Cases {
		if c.Zone == nil {
			t.Errorf("%s: Expected a zone", c.ID)
		}
	}
	z := suite.Cases[0].Zone
	r := z.Resolver()
	got, err := r.LookupTXT(context.Background(), "_dmarc.reject.example")
	if err != nil || len(got) != 1 || got[0] != "v=DMARC1; p=reject" {
		t.Errorf("Expected the reject.example record, got %q, %v", got, err)
	}
	_, err = r.LookupTXT(context.Background(), "_dmarc.temperror.example")
	if c := dnsclient.Classify(err); c != dnsclient.ClassTimeout {
		t.Errorf("Expected timeout, got %s", c)
	}
	if suite.Cases[0].Zone == suite.Cases[1].Zone {
		t.Error("Expected each case to get its own zone")
	}
}

func TestZoneUnmarshalJSON(t *testing.T) {
	var v struct {
		Zone Zone `json:"zone"`
	}
	if err := json.Unmarshal([]byte(`{"zone": {"a.example": ["x", ["y", "z"]]}}`), &v); err != nil {
		t.Fatal(err)
	}
	got, err := v.Zone.Resolver().LookupTXT(context.Background(), "a.example")
	if err != nil || strings.Join(got, "|") != "x|yz" {
		t.Errorf("Expected x|yz, got %q, %v", got, err)
	}
}
