package dmarc

import (
	"context"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

func TestEvaluateNonexistentPolicy(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.example.org", "v=DMARC1; p=reject; sp=quarantine; np=none").
		AddA("www.example.org", "192.0.2.1").
		AddMX("mx-only.example.org", 10, "mx.example.org").
		AddTXT("txt-only.example.org", "hello").
		SetTimeout("slow.example.org", "A")
	tests := []struct {
		from   string
		policy Policy
		tag    string
	}{
		{"example.org", PolicyReject, "p"},
		{"www.example.org", PolicyQuarantine, "sp"},      // exists (A)
		{"mx-only.example.org", PolicyQuarantine, "sp"},  // exists (MX)
		{"txt-only.example.org", PolicyQuarantine, "sp"}, // NODATA: exists
		{"ghost.example.org", PolicyNone, "np"},          // NXDOMAIN for A, AAAA and MX
		{"slow.example.org", PolicyQuarantine, "sp"},     // unknown: assumed to exist
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			res := Evaluate(context.Background(), z.Resolver(), Input{FromDomain: tc.from}, Options{})
			if res.Status != StatusFail || res.Policy != tc.policy || res.PolicyTag != tc.tag {
				t.Errorf("status %s policy %s (%s); want fail %s (%s)", res.Status, res.Policy, res.PolicyTag, tc.policy, tc.tag)
			}
		})
	}
	// RFC 7489 knows no np=: sp= applies to the nonexistent subdomain.
	res := Evaluate(context.Background(), z.Resolver(), Input{FromDomain: "ghost.example.org"}, Options{Mode: Mode7489})
	if res.Policy != PolicyQuarantine {
		t.Errorf("7489 ghost policy = %s", res.Policy)
	}
}

func TestEvaluatePctSampling(t *testing.T) {
	z := dnstest.NewZone().AddTXT("_dmarc.example.com", "v=DMARC1; p=reject; pct=30")
	in := Input{FromDomain: "example.com"}
	tests := []struct {
		draw  int
		disp  Policy
		apply bool
	}{
		{0, PolicyReject, true},
		{29, PolicyReject, true},
		{30, PolicyQuarantine, false}, // RFC 7489, section 6.6.4: reject outside the sample is quarantine
		{99, PolicyQuarantine, false},
	}
	for _, tc := range tests {
		res := Evaluate(context.Background(), z.Resolver(), in, Options{Mode: Mode7489, Sample: func() int { return tc.draw }})
		if res.Disposition != tc.disp || res.ApplyPolicy != tc.apply {
			t.Errorf("draw %d: disposition %s apply %v (%s)", tc.draw, res.Disposition, res.ApplyPolicy, res.DispositionReason)
		}
	}
	// A seeded source gives the same sequence of dispositions every time.
	run := func() []Policy {
		s := SeededSample(42)
		var out []Policy
		for range 50 {
			out = append(out, Evaluate(context.Background(), z.Resolver(), in, Options{Mode: Mode7489, Sample: s}).Disposition)
		}
		return out
	}
	a, b := run(), run()
	applied := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seeded sampling differs at %d", i)
		}
		if a[i] == PolicyReject {
			applied++
		}
	}
	if applied == 0 || applied == 50 {
		t.Errorf("pct=30 applied to %d of 50", applied)
	}
	// pct= is obsolete in RFC 9989: the policy always applies.
	res := Evaluate(context.Background(), z.Resolver(), in, Options{Sample: func() int { return 99 }})
	if res.Disposition != PolicyReject || !res.ApplyPolicy {
		t.Errorf("bis: %s %v", res.Disposition, res.ApplyPolicy)
	}
}

func TestEvaluateTestingMode(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.r.example", "v=DMARC1; p=reject; t=y").
		AddTXT("_dmarc.q.example", "v=DMARC1; p=quarantine; t=y")
	for _, tc := range []struct {
		from       string
		mode       Mode
		disp       Policy
		applyWants bool
	}{
		{"r.example", ModeBis, PolicyQuarantine, false},
		{"q.example", ModeBis, PolicyNone, false},
		{"r.example", Mode7489, PolicyReject, true}, // t= is unknown to RFC 7489
	} {
		res := Evaluate(context.Background(), z.Resolver(), Input{FromDomain: tc.from}, Options{Mode: tc.mode})
		if res.Status != StatusFail || res.Disposition != tc.disp || res.ApplyPolicy != tc.applyWants {
			t.Errorf("%s %s: %s %s %v", tc.from, tc.mode, res.Status, res.Disposition, res.ApplyPolicy)
		}
	}
}

func TestEvaluateHELOOnlyWithoutMailFrom(t *testing.T) {
	z := dnstest.NewZone().AddTXT("_dmarc.example.com", "v=DMARC1; p=reject")
	// CVE-2019-20790: with a MAIL FROM, a passing HELO must not count.
	in := Input{FromDomain: "example.com", SPF: SPFInput{Result: AuthPass, MailFromDomain: "attacker.example", HELODomain: "mail.example.com"}}
	if res := Evaluate(context.Background(), z.Resolver(), in, Options{}); res.Status != StatusFail || res.SPFAligned {
		t.Errorf("HELO used despite MAIL FROM: %s", res.Status)
	}
	in.SPF.MailFromDomain = ""
	if res := Evaluate(context.Background(), z.Resolver(), in, Options{}); res.Status != StatusPass || !res.SPFAligned {
		t.Errorf("null MAIL FROM: HELO not used: %s", res.Status)
	}
}

func TestEvaluateMultipleFrom(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.a.example", "v=DMARC1; p=none").
		AddTXT("_dmarc.b.example", "v=DMARC1; p=reject")
	in := Input{FromDomains: []string{"a.example", "B.example", "a.example"},
		DKIM: []DKIMInput{{Result: AuthPass, Domain: "a.example"}}}
	res := Evaluate(context.Background(), z.Resolver(), in, Options{})
	if len(res.PerDomain) != 2 {
		t.Fatalf("per-domain results = %d", len(res.PerDomain))
	}
	if res.Status != StatusFail || res.Domain != "b.example" || res.Disposition != PolicyReject {
		t.Errorf("strictest = %s %s %s", res.Domain, res.Status, res.Disposition)
	}
}

func TestEvaluateDKIMAlignment(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.example.com", "v=DMARC1; p=reject").
		AddTXT("_dmarc.strict.example", "v=DMARC1; p=reject; adkim=s")
	tests := []struct {
		name, from string
		dkim       []DKIMInput
		mode       Mode
		status     Status
		alignedD   string
	}{
		{"second signature aligns", "example.com", []DKIMInput{{AuthPass, "other.net"}, {AuthPass, "mail.example.com"}}, ModeBis, StatusPass, "mail.example.com"},
		{"failing aligned signature", "example.com", []DKIMInput{{AuthFail, "example.com"}}, ModeBis, StatusFail, ""},
		{"temperror aligned", "example.com", []DKIMInput{{AuthTemperror, "example.com"}}, Mode7489, StatusTemperror, ""},
		{"strict subdomain", "strict.example", []DKIMInput{{AuthPass, "a.strict.example"}}, ModeBis, StatusFail, ""},
		{"strict exact", "strict.example", []DKIMInput{{AuthPass, "Strict.Example."}}, ModeBis, StatusPass, "Strict.Example."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Evaluate(context.Background(), z.Resolver(), Input{FromDomain: tc.from, DKIM: tc.dkim}, Options{Mode: tc.mode})
			if res.Status != tc.status || res.AlignedDKIMDomain != tc.alignedD {
				t.Errorf("status %s aligned d=%q; want %s %q", res.Status, res.AlignedDKIMDomain, tc.status, tc.alignedD)
			}
		})
	}
}

func TestEvaluateSharesWalkQueries(t *testing.T) {
	z := dnstest.NewZone().AddTXT("_dmarc.example.com", "v=DMARC1; p=reject")
	r := z.Resolver()
	res := Evaluate(context.Background(), r, Input{FromDomain: "a.example.com",
		SPF:  SPFInput{Result: AuthPass, MailFromDomain: "bounce.example.com"},
		DKIM: []DKIMInput{{AuthPass, "example.com"}}}, Options{})
	// a.example.com walk: 3 TXT; bounce.example.com: 1 new TXT (the rest
	// cached); np existence check: none (no sp=/np=).
	if res.Status != StatusPass || len(res.Queries) != 4 || r.Count() != 4 {
		t.Errorf("status %s, %d queries logged, %d made: %v", res.Status, len(res.Queries), r.Count(), queryNames(res.Queries))
	}
	if res.OrgDomains["bounce.example.com"] != "example.com" {
		t.Errorf("org domains %v", res.OrgDomains)
	}
}
