package dmarc

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

func findingCodes(f []Finding) []string {
	var out []string
	for _, x := range f {
		out = append(out, x.Code)
	}
	return out
}

func TestAudit(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=none; np=quarantine; pct=50; "+
			"rua=mailto:agg@example.com,mailto:r@reports.example.net,mailto:x@vendor.example.org; ruf=mailto:f@reports.example.net").
		AddTXT("example.com._report._dmarc.vendor.example.org", "v=DMARC1").
		AddTXT("_dmarc.monitor.example", "v=DMARC1; p=none").
		AddTXT("_dmarc.blogspot.com", "v=DMARC1; p=reject")
	t.Run("findings", func(t *testing.T) {
		rep := Audit(context.Background(), z.Resolver(), "example.com", ModeBis)
		if rep.Err != nil || rep.Record == nil {
			t.Fatalf("err %v", rep.Err)
		}
		codes := findingCodes(rep.Findings)
		for _, want := range []string{"sp-weaker", "np-weaker", "pct-below-100", "obsolete-tag", "unauthorized-report-destination"} {
			if !slices.Contains(codes, want) {
				t.Errorf("findings %v lack %s", codes, want)
			}
		}
		if slices.Contains(codes, "no-rua") || slices.Contains(codes, "policy-none") {
			t.Errorf("unexpected findings %v", codes)
		}
		// reports.example.net (rua and ruf) is unauthorized, vendor.example.org
		// authorized; agg@example.com is internal.
		var unauth, auth int
		for _, d := range rep.External {
			if d.Authorized {
				auth++
			} else {
				unauth++
			}
		}
		if unauth != 2 || auth != 1 {
			t.Errorf("external = %+v", rep.External)
		}
		if len(rep.Tags) != 7 {
			t.Errorf("tags = %+v", rep.Tags)
		}
		for _, tag := range rep.Tags {
			if tag.Meaning == "" {
				t.Errorf("tag %s unexplained", tag.Tag)
			}
		}
		if rep.Findings[0].Severity != SeverityError {
			t.Errorf("findings not sorted: %+v", rep.Findings)
		}
	})
	t.Run("monitoring only", func(t *testing.T) {
		rep := Audit(context.Background(), z.Resolver(), "monitor.example", ModeBis)
		codes := findingCodes(rep.Findings)
		if !slices.Contains(codes, "policy-none") || !slices.Contains(codes, "no-rua") {
			t.Errorf("findings %v", codes)
		}
	})
	t.Run("no record", func(t *testing.T) {
		rep := Audit(context.Background(), z.Resolver(), "absent.example", Mode7489)
		if !errors.Is(rep.Err, ErrNoRecord) || !slices.Contains(findingCodes(rep.Findings), "no-record") {
			t.Errorf("err %v findings %v", rep.Err, findingCodes(rep.Findings))
		}
	})
	t.Run("modes disagree", func(t *testing.T) {
		// Where the two agree: a record under a private-section suffix
		// (ignored by the PSL here) and one under the PSL default rule.
		rep := Audit(context.Background(), z.Resolver(), "x.blogspot.com", ModeBis)
		if rep.OrgDomain7489 != "blogspot.com" || rep.OrgDomainBis != "blogspot.com" {
			t.Errorf("orgs %q %q", rep.OrgDomain7489, rep.OrgDomainBis)
		}
		rep = Audit(context.Background(), z.Resolver(), "deep.sub.monitor.example", ModeBis)
		if rep.OrgDomain7489 != "monitor.example" || rep.OrgDomainBis != "monitor.example" {
			t.Errorf("orgs %q %q", rep.OrgDomain7489, rep.OrgDomainBis)
		}
		// Where they differ: psd=n makes a subdomain its own
		// organizational domain for the tree walk only.
		z2 := dnstest.NewZone().AddTXT("_dmarc.team.example.com", "v=DMARC1; p=reject; psd=n")
		rep = Audit(context.Background(), z2.Resolver(), "team.example.com", ModeBis)
		if rep.OrgDomain7489 != "example.com" || rep.OrgDomainBis != "team.example.com" ||
			!slices.Contains(findingCodes(rep.Findings), "org-domain-mismatch") {
			t.Errorf("orgs %q %q findings %v", rep.OrgDomain7489, rep.OrgDomainBis, findingCodes(rep.Findings))
		}
	})
}
