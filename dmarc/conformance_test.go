package dmarc

import (
	"context"
	"maps"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/testshared"
)

// conformanceCase is one case of conformance/dmarc/dmarc-cases.yaml.
type conformanceCase struct {
	ID         string `yaml:"id"`
	Source     string `yaml:"source"`
	Spec       string `yaml:"spec"`
	Zone       any    `yaml:"zone"`
	FromDomain string `yaml:"from_domain"`
	SPF        struct {
		Result string `yaml:"result"`
		Domain string `yaml:"domain"`
	} `yaml:"spf"`
	DKIM []struct {
		Result string `yaml:"result"`
		D      string `yaml:"d"`
	} `yaml:"dkim"`
	Expected struct {
		DMARC        string            `yaml:"dmarc"`
		PolicyDomain *string           `yaml:"policy_domain"`
		Policy       *string           `yaml:"policy"`
		SPFAligned   *bool             `yaml:"spf_aligned"`
		DKIMAligned  *bool             `yaml:"dkim_aligned"`
		ApplyPolicy  *bool             `yaml:"apply_policy"`
		OrgDomains   map[string]string `yaml:"org_domains"`
		Queries      []string          `yaml:"queries"`
	} `yaml:"expected"`
}

// conformanceExceptions maps the id of each case whose expectation this
// package does not follow to the specification text that makes the
// expectation wrong. Every other case must pass. It is empty: all cases
// agree with RFC 7489 and RFC 9989 as implemented here, including the two
// choices the cases encode:
//   - mox-spf-temperror, mox-dkim-temperror: temperror (not fail) when an
//     aligned identifier had a temporary error and none passed, which
//     RFC 7489 leaves to the receiver;
//   - mox-malformed-record: a component that is not tag=value makes the
//     record unusable (permerror), while unknown tags are ignored (RFC 7489,
//     section 6.3).
func conformanceExceptions() map[string]string {
	return map[string]string{}
}

func TestConformance(t *testing.T) {
	data := testshared.File(t, "conformance/dmarc/dmarc-cases.yaml")
	var suite struct {
		Cases []conformanceCase `yaml:"cases"`
	}
	if err := yaml.Unmarshal(data, &suite); err != nil {
		t.Fatalf("decoding dmarc-cases.yaml: %v", err)
	}
	if len(suite.Cases) == 0 {
		t.Fatal("no cases")
	}
	passed := 0
	exceptions := conformanceExceptions()
	for _, tc := range suite.Cases {
		t.Run(tc.ID, func(t *testing.T) {
			if reason, ok := exceptions[tc.ID]; ok {
				t.Skipf("expectation not followed: %s", reason)
			}
			zone, err := dnstest.OracleZone(tc.Zone)
			if err != nil {
				t.Fatalf("zone: %v", err)
			}
			r := conformanceResolver(t, zone)
			mode := ModeBis
			switch tc.Spec {
			case "rfc7489":
				mode = Mode7489
			case "dmarcbis":
			default:
				t.Fatalf("unknown spec %q", tc.Spec)
			}
			in := Input{FromDomain: tc.FromDomain, SPF: SPFInput{Result: AuthResult(tc.SPF.Result), MailFromDomain: tc.SPF.Domain}}
			for _, d := range tc.DKIM {
				in.DKIM = append(in.DKIM, DKIMInput{Result: AuthResult(d.Result), Domain: d.D})
			}
			res := Evaluate(context.Background(), r, in, Options{Mode: mode, Sample: SeededSample(1)})
			exp := tc.Expected
			if got := string(res.Status); got != exp.DMARC {
				t.Errorf("status = %s, want %s (err %v)", got, exp.DMARC, res.Err)
			}
			if exp.PolicyDomain != nil && res.PolicyDomain != *exp.PolicyDomain {
				t.Errorf("policy domain = %q, want %q", res.PolicyDomain, *exp.PolicyDomain)
			}
			if exp.Policy != nil && string(res.Policy) != *exp.Policy {
				t.Errorf("policy = %q (%s), want %q", res.Policy, res.PolicyTag, *exp.Policy)
			}
			if exp.SPFAligned != nil && res.SPFAligned != *exp.SPFAligned {
				t.Errorf("spf aligned = %v, want %v", res.SPFAligned, *exp.SPFAligned)
			}
			if exp.DKIMAligned != nil && res.DKIMAligned != *exp.DKIMAligned {
				t.Errorf("dkim aligned = %v, want %v", res.DKIMAligned, *exp.DKIMAligned)
			}
			if exp.ApplyPolicy != nil && res.ApplyPolicy != *exp.ApplyPolicy {
				t.Errorf("apply policy = %v, want %v (%s)", res.ApplyPolicy, *exp.ApplyPolicy, res.DispositionReason)
			}
			for d, want := range exp.OrgDomains {
				if got := res.OrgDomains[d]; got != want {
					t.Errorf("org domain of %s = %q, want %q (have %v)", d, got, want, res.OrgDomains)
				}
			}
			if exp.Queries != nil {
				var got []string
				for _, q := range res.Discovery.Queries {
					got = append(got, q.Name)
				}
				if !slices.Equal(got, exp.Queries) {
					t.Errorf("queries =\n  %v\nwant\n  %v", got, exp.Queries)
				}
			}
			if !t.Failed() {
				passed++
			}
		})
	}
	t.Logf("%d of %d cases pass; %d documented exceptions: %v", passed, len(suite.Cases), len(exceptions), slices.Sorted(maps.Keys(exceptions)))
}
