package dmarc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/internal/dnstest"
)

// TestTreeWalkAboveZoneFails runs RFC 9989 evaluations behind a server
// that is authoritative for example.com only and answers REFUSED, or
// SERVFAIL, for every name above it: the tree walk cannot ask _dmarc.com.
// Where that failure cannot change the outcome (the policy is known, and
// the alignment needs no organizational domain or the Public Suffix List
// agrees with what the walk saw), the evaluation finishes and a note names
// the failed query; where it can, the result is temperror.
func TestTreeWalkAboveZoneFails(t *testing.T) {
	zone := func() *dnstest.Zone {
		return dnstest.NewZone().
			AddTXT("_dmarc.example.com", "v=DMARC1; p=reject").
			AddTXT("_dmarc.strict.example.com", "v=DMARC1; p=quarantine; adkim=s; aspf=s").
			AddTXT("_dmarc.alone.example.net", "v=DMARC1; p=reject; sp=none").
			AddName("example.com").AddA("sub.example.com", "192.0.2.1")
	}
	pass := func(d string) DKIMInput { return DKIMInput{Result: AuthPass, Domain: d} }
	tests := []struct {
		name   string
		in     Input
		status Status
		policy Policy
		note   bool // a note names the failed query
	}{
		{"identical SPF pass", Input{FromDomain: "example.com", SPF: SPFInput{Result: AuthPass, MailFromDomain: "example.com"}}, StatusPass, PolicyReject, true},
		{"relaxed DKIM, PSL agrees", Input{FromDomain: "example.com", DKIM: []DKIMInput{pass("mail.example.com")}}, StatusPass, PolicyReject, true},
		{"subdomain From, relaxed DKIM", Input{FromDomain: "sub.example.com", DKIM: []DKIMInput{pass("other.example.com")}}, StatusPass, PolicyReject, true},
		{"strict alignment, other domain", Input{FromDomain: "strict.example.com", DKIM: []DKIMInput{pass("example.com")}}, StatusFail, PolicyQuarantine, true},
		{"nothing passed", Input{FromDomain: "example.com", SPF: SPFInput{Result: AuthFail, MailFromDomain: "example.com"}}, StatusFail, PolicyReject, true},
		// Under example.net only alone.example.net publishes a record,
		// so the walk would make it the organizational domain; the
		// Public Suffix List says example.net. What _dmarc.net holds
		// could settle it, so the failure matters.
		{"PSL disagrees", Input{FromDomain: "alone.example.net", DKIM: []DKIMInput{pass("b.example.net")}}, StatusTemperror, PolicyReject, false},
	}
	for _, rcode := range []int{dns.RcodeRefused, dns.RcodeServerFailure} {
		t.Run(dns.RcodeToString[rcode], func(t *testing.T) {
			c, srv := loopbackResolver(t, zone(), 0)
			srv.SetOutsideRcode("example.com", rcode)
			cnet, srvNet := loopbackResolver(t, zone(), 0)
			srvNet.SetOutsideRcode("example.net", rcode)
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					r, above := c, "_dmarc.com"
					if strings.HasSuffix(tc.in.FromDomain, ".net") {
						r, above = cnet, "_dmarc.net"
					}
					res := Evaluate(context.Background(), r, tc.in, Options{Mode: ModeBis})
					if res.Status != tc.status || res.Policy != tc.policy {
						t.Fatalf("got %s policy %q (%v, notes %q), want %s policy %q", res.Status, res.Policy, res.Err, res.Notes, tc.status, tc.policy)
					}
					if tc.note != (len(res.Notes) > 0) || (tc.note && !strings.Contains(strings.Join(res.Notes, " "), above)) {
						t.Errorf("notes %q, want a note naming _dmarc.com: %v", res.Notes, tc.note)
					}
					if tc.status == StatusTemperror && (!errors.Is(res.Err, ErrDNS) || !strings.Contains(res.Err.Error(), above)) {
						t.Errorf("err %v, want the failed query named", res.Err)
					}
					if tc.status == StatusFail && res.Disposition != tc.policy {
						t.Errorf("disposition %q, want %q", res.Disposition, tc.policy)
					}
				})
			}
			// RFC 7489 mode uses the Public Suffix List and never asks
			// above the organizational domain.
			res := Evaluate(context.Background(), c, tests[1].in, Options{Mode: Mode7489})
			if res.Status != StatusPass || len(res.Notes) != 0 {
				t.Errorf("7489: %s %v %q", res.Status, res.Err, res.Notes)
			}
		})
	}
}
