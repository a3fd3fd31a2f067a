package dmarc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

func queryNames(qs []Query) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Name)
	}
	return out
}

// labels returns a name with n labels ending in example.com (n >= 2), or
// "com" for n == 1.
func labels(n int) string {
	parts := []string{"com", "example"}
	for i := 3; i <= n; i++ {
		parts = append(parts, string(rune('a'+i-3)))
	}
	if n == 1 {
		return "com"
	}
	slices.Reverse(parts[:min(n, len(parts))])
	return strings.Join(parts[:n], ".")
}

func TestLabels(t *testing.T) {
	if got := labels(4); got != "b.a.example.com" {
		t.Fatalf("labels(4) = %q", got)
	}
}

func TestWalkTargets(t *testing.T) {
	// Names with odd dots give what splitting into labels gives.
	for _, d := range []string{"", ".", "a.", "a..b", ".a.b", "a.b.c.d.e.f.g.h.i.j."} {
		var want []string
		want = append(want, d)
		l := strings.Split(d, ".")
		start := 1
		if len(l) > 8 {
			start = len(l) - 7
		}
		for i := start; i < len(l); i++ {
			want = append(want, strings.Join(l[i:], "."))
		}
		if got := walkTargets(d); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", d, got, want)
		}
	}
	for n := 1; n <= 10; n++ {
		d := labels(n)
		got := walkTargets(d)
		var want []string
		want = append(want, d)
		l := strings.Split(d, ".")
		start := 1
		if n > 8 {
			start = n - 7
		}
		for i := start; i < n; i++ {
			want = append(want, strings.Join(l[i:], "."))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d labels: %v, want %v", n, got, want)
		}
		if len(got) > maxWalkQueries {
			t.Errorf("%d labels: %d queries", n, len(got))
		}
	}
}

func TestDiscoverNoRecordAllDepths(t *testing.T) {
	for n := 1; n <= 10; n++ {
		d := labels(n)
		t.Run(d, func(t *testing.T) {
			r := dnstest.NewZone().Resolver()
			bis := Discover(context.Background(), r, d, ModeBis)
			var want []string
			for _, target := range walkTargets(d) {
				want = append(want, "_dmarc."+target)
			}
			if got := queryNames(bis.Queries); !slices.Equal(got, want) {
				t.Errorf("bis queries = %v, want %v", got, want)
			}
			if !errors.Is(bis.Err, ErrNoRecord) || bis.Status() != StatusNone || bis.OrgDomain != d {
				t.Errorf("bis: err %v, status %q, org %q", bis.Err, bis.Status(), bis.OrgDomain)
			}
			old := Discover(context.Background(), r, d, Mode7489)
			want = []string{"_dmarc." + d}
			if n > 2 {
				want = append(want, "_dmarc.example.com")
			}
			if got := queryNames(old.Queries); !slices.Equal(got, want) {
				t.Errorf("7489 queries = %v, want %v", got, want)
			}
			if !errors.Is(old.Err, ErrNoRecord) {
				t.Errorf("7489 err = %v", old.Err)
			}
		})
	}
}

func TestDiscoverRecordAtOrg(t *testing.T) {
	z := dnstest.NewZone().AddTXT("_dmarc.example.com", "v=DMARC1; p=reject")
	for n := 2; n <= 10; n++ {
		d := labels(n)
		t.Run(d, func(t *testing.T) {
			r := z.Resolver()
			bis := Discover(context.Background(), r, d, ModeBis)
			if bis.Err != nil || bis.PolicyDomain != "example.com" || bis.OrgDomain != "example.com" {
				t.Fatalf("bis: %+v", bis)
			}
			// The walk goes on to _dmarc.com to settle the organizational
			// domain.
			var want []string
			for _, target := range walkTargets(d) {
				want = append(want, "_dmarc."+target)
			}
			if got := queryNames(bis.Queries); !slices.Equal(got, want) {
				t.Errorf("bis queries = %v, want %v", got, want)
			}
			old := Discover(context.Background(), r, d, Mode7489)
			if old.Err != nil || old.PolicyDomain != "example.com" || old.OrgDomain != "example.com" {
				t.Fatalf("7489: %+v", old)
			}
			want = []string{"_dmarc." + d}
			if n > 2 {
				want = append(want, "_dmarc.example.com")
			}
			if got := queryNames(old.Queries); !slices.Equal(got, want) {
				t.Errorf("7489 queries = %v, want %v", got, want)
			}
		})
	}
}

func TestDiscoverPSD(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.bank.example", "v=DMARC1; p=reject; psd=y").
		AddTXT("_dmarc.mail.corp.example", "v=DMARC1; p=quarantine; psd=n").
		AddTXT("_dmarc.corp.example", "v=DMARC1; p=reject").
		AddTXT("_dmarc.self.example", "v=DMARC1; p=none; psd=y")
	tests := []struct {
		domain, policyDomain, org string
		queries                   []string
	}{
		// psd=y: the organizational domain is one label below.
		{"x.giant.bank.example", "bank.example", "giant.bank.example",
			[]string{"_dmarc.x.giant.bank.example", "_dmarc.giant.bank.example", "_dmarc.bank.example"}},
		// psd=n: the walk stops; corp.example is not consulted.
		{"a.mail.corp.example", "mail.corp.example", "mail.corp.example",
			[]string{"_dmarc.a.mail.corp.example", "_dmarc.mail.corp.example"}},
		// psd=y on the Author Domain itself: its own organizational domain.
		{"self.example", "self.example", "self.example", []string{"_dmarc.self.example"}},
	}
	for _, tc := range tests {
		t.Run(tc.domain, func(t *testing.T) {
			d := Discover(context.Background(), z.Resolver(), tc.domain, ModeBis)
			if d.Err != nil || d.PolicyDomain != tc.policyDomain || d.OrgDomain != tc.org {
				t.Errorf("got policy %q org %q err %v; want %q %q", d.PolicyDomain, d.OrgDomain, d.Err, tc.policyDomain, tc.org)
			}
			if got := queryNames(d.Queries); !slices.Equal(got, tc.queries) {
				t.Errorf("queries = %v, want %v", got, tc.queries)
			}
		})
	}
}

func TestDiscoverMultipleRecords(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.sub.example.com", "v=DMARC1; p=none").
		AddTXT("_dmarc.sub.example.com", "v=DMARC1; p=reject").
		AddTXT("_dmarc.example.com", "v=DMARC1; p=quarantine")
	// RFC 7489: two records end discovery, DMARC does not apply.
	old := Discover(context.Background(), z.Resolver(), "sub.example.com", Mode7489)
	if !errors.Is(old.Err, ErrMultipleRecords) || old.Status() != StatusNone {
		t.Errorf("7489: err %v status %q", old.Err, old.Status())
	}
	// RFC 9989: the records are discarded and the walk goes on.
	bis := Discover(context.Background(), z.Resolver(), "sub.example.com", ModeBis)
	if bis.Err != nil || bis.PolicyDomain != "example.com" {
		t.Errorf("bis: policy %q err %v", bis.PolicyDomain, bis.Err)
	}
}

func TestDiscoverTemperror(t *testing.T) {
	tests := []struct {
		name string
		zone *dnstest.Zone
		mode Mode
		eval Status // the evaluation of an SPF pass for the Author Domain itself
	}{
		{"timeout at author 7489", dnstest.NewZone().SetTimeout("_dmarc.sub.example.com", "TXT"), Mode7489, StatusTemperror},
		{"timeout at org 7489", dnstest.NewZone().SetTimeout("_dmarc.example.com", "TXT"), Mode7489, StatusTemperror},
		{"servfail bis", dnstest.NewZone().SetServFail("_dmarc.example.com", "TXT"), ModeBis, StatusTemperror},
		// The policy is known and the passing identifier is the Author
		// Domain itself: the failure above cannot change the result.
		{"timeout above policy bis", dnstest.NewZone().AddTXT("_dmarc.sub.example.com", "v=DMARC1; p=reject").
			SetTimeout("_dmarc.com", "TXT"), ModeBis, StatusPass},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Discover(context.Background(), tc.zone.Resolver(), "sub.example.com", tc.mode)
			if !errors.Is(d.Err, ErrDNS) || d.Status() != StatusTemperror {
				t.Fatalf("err %v status %q", d.Err, d.Status())
			}
			last := d.Queries[len(d.Queries)-1]
			if last.Class != dnsclient.ClassTimeout && last.Class != dnsclient.ClassServFail {
				t.Errorf("last query class = %s", last.Class)
			}
			res := Evaluate(context.Background(), tc.zone.Resolver(), Input{FromDomain: "sub.example.com",
				SPF: SPFInput{Result: AuthPass, MailFromDomain: "sub.example.com"}}, Options{Mode: tc.mode})
			switch {
			case res.Status != tc.eval:
				t.Errorf("Evaluate: %s %v, want %s", res.Status, res.Err, tc.eval)
			case tc.eval == StatusTemperror && !errors.Is(res.Err, ErrDNS):
				t.Errorf("Evaluate: %s %v", res.Status, res.Err)
			case tc.eval != StatusTemperror && (len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "_dmarc.com")):
				t.Errorf("Evaluate: notes %q do not name the failed query", res.Notes)
			}
		})
	}
}

func TestDiscoverInvalidDomain(t *testing.T) {
	d := Discover(context.Background(), dnstest.NewZone().Resolver(), "a..b", ModeBis)
	if !errors.Is(d.Err, ErrInvalidDomain) || d.Status() != StatusPermerror || len(d.Queries) != 0 {
		t.Errorf("%+v", d)
	}
}

// TestLoopback runs np= existence checks and DNS failures through the real
// client against the loopback server, where NXDOMAIN, NODATA, SERVFAIL and
// timeouts are real DNS answers.
func TestLoopback(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.example.org", "v=DMARC1; p=reject; sp=quarantine; np=none").
		AddTXT("txt-only.example.org", "hello").
		AddAAAA("v6.example.org", "2001:db8::1").
		SetServFail("_dmarc.broken.example", "TXT").
		SetTimeout("_dmarc.slow.example", "TXT")
	c, _ := loopbackResolver(t, z, -1)
	tests := []struct {
		from   string
		status Status
		policy Policy
	}{
		{"ghost.example.org", StatusFail, PolicyNone},          // NXDOMAIN: np
		{"txt-only.example.org", StatusFail, PolicyQuarantine}, // NODATA: exists, sp
		{"v6.example.org", StatusFail, PolicyQuarantine},       // AAAA only: exists
		{"broken.example", StatusTemperror, ""},
		{"slow.example", StatusTemperror, ""},
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			res := Evaluate(context.Background(), c, Input{FromDomain: tc.from}, Options{})
			if res.Status != tc.status || res.Policy != tc.policy {
				t.Errorf("status %s policy %q (%v); want %s %q", res.Status, res.Policy, res.Err, tc.status, tc.policy)
			}
			if tc.status == StatusTemperror && !errors.Is(res.Err, ErrDNS) {
				t.Errorf("err = %v", res.Err)
			}
		})
	}
}
