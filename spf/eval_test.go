package spf

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// check runs a MAIL FROM check of sender from ip against z, failing the
// test if it takes long: no record may make a check hang.
func check(t *testing.T, z *dnstest.Zone, ip, sender string) Result {
	t.Helper()
	start := time.Now()
	res := Check(context.Background(), z.Resolver(), Args{IP: netip.MustParseAddr(ip), MailFrom: sender, HELO: "mail.example.org"})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("check took %v", d)
	}
	if (res.Status == StatusTempError || res.Status == StatusPermError) != (res.Err != nil && res.Status != StatusNone) {
		t.Errorf("status %s with error %v", res.Status, res.Err)
	}
	return res
}

func TestCheckHostile(t *testing.T) {
	test := func(name string, z *dnstest.Zone, ip string, want Status, wantErr error) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			res := check(t, z, ip, "user@example.com")
			if res.Status != want || !errors.Is(res.Err, wantErr) {
				t.Errorf("got %s, %v; want %s, %v\n%s", res.Status, res.Err, want, wantErr, res.Explain())
			}
			if res.Trace.Lookups > res.Trace.LookupLimit+1 || res.Trace.VoidLookups > res.Trace.VoidLimit+1 {
				t.Errorf("limits overrun: %d lookups, %d void", res.Trace.Lookups, res.Trace.VoidLookups)
			}
		})
	}

	// RFC 7208, section 4.6.4: a loop ends at the lookup limit.
	test("include loop", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 include:loop.example.com -all").
		AddTXT("loop.example.com", "v=spf1 include:example.com -all"),
		"192.0.2.1", StatusPermError, ErrLookupLimit)

	test("redirect loop", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 redirect=loop.example.com").
		AddTXT("loop.example.com", "v=spf1 redirect=example.com"),
		"192.0.2.1", StatusPermError, ErrLookupLimit)

	test("self redirect", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 redirect=%{d}"),
		"192.0.2.1", StatusPermError, ErrLookupLimit)

	chain := func(n int) *dnstest.Zone {
		z := dnstest.NewZone().AddTXT("example.com", "v=spf1 include:i1.example.com -all")
		for i := 1; i < n; i++ {
			z.AddTXT(fmt.Sprintf("i%d.example.com", i), fmt.Sprintf("v=spf1 include:i%d.example.com", i+1))
		}
		return z.AddTXT(fmt.Sprintf("i%d.example.com", n), "v=spf1 ip4:192.0.2.0/24")
	}
	test("10 includes", chain(10), "192.0.2.1", StatusPass, nil)
	test("11 includes", chain(11), "192.0.2.1", StatusPermError, ErrLookupLimit)

	// RFC 7208, section 4.6.4: the third lookup that finds nothing ends
	// the check.
	test("2 void lookups", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 a:n1.example.com mx:n2.example.com -all"),
		"192.0.2.1", StatusFail, nil)
	test("3 void lookups", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com -all"),
		"192.0.2.1", StatusPermError, ErrVoidLimit)

	var big strings.Builder
	big.WriteString("v=spf1")
	for i := 0; big.Len() < 4096; i++ {
		fmt.Fprintf(&big, " ip4:198.51.%d.%d/32", i/250, i%250)
	}
	big.WriteString(" ip4:192.0.2.1 -all")
	test("4 KB record", dnstest.NewZone().AddTXT("example.com", big.String()), "192.0.2.1", StatusPass, nil)

	test("macro explosion", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 exists:"+strings.Repeat("%{s}%{l}%{o}%{d}%{h}", 200)+".example.com -all"),
		"192.0.2.1", StatusFail, nil)

	test("20 ptr terms", dnstest.NewZone().
		AddTXT("example.com", "v=spf1"+strings.Repeat(" ptr", 20)+" -all").
		AddReverse("192.0.2.1", "host.example.net").
		AddA("host.example.net", "192.0.2.1"),
		"192.0.2.1", StatusPermError, ErrLookupLimit)

	mxZone := func(n int) *dnstest.Zone {
		z := dnstest.NewZone().AddTXT("example.com", "v=spf1 mx -all")
		for i := range n {
			host := fmt.Sprintf("mx%d.example.com", i)
			z.AddMX("example.com", uint16(i), host).AddA(host, fmt.Sprintf("198.51.100.%d", i))
		}
		return z
	}
	test("10 MX names", mxZone(10), "198.51.100.9", StatusPass, nil)
	test("11 MX names", mxZone(11), "198.51.100.1", StatusPermError, ErrMXLimit)

	ptrZone := dnstest.NewZone().AddTXT("example.com", "v=spf1 ptr -all")
	for i := range 12 {
		host := fmt.Sprintf("h%d.example.com", i)
		ptrZone.AddReverse("192.0.2.1", host).AddA(host, "192.0.2.1")
	}
	test("12 PTR names", ptrZone, "192.0.2.1", StatusPass, nil)

	test("include without record", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 include:none.example.com -all").AddName("none.example.com"),
		"192.0.2.1", StatusPermError, ErrIncludeNone)

	test("redirect without record", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 redirect=none.example.com"),
		"192.0.2.1", StatusPermError, ErrRedirectNone)

	test("include timeout", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 include:slow.example.com -all").SetTimeout("slow.example.com", ""),
		"192.0.2.1", StatusTempError, ErrDNS)

	test("servfail", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 a:bad.example.com -all").SetServFail("bad.example.com", "A"),
		"192.0.2.1", StatusTempError, ErrDNS)

	test("two records", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 +all").AddTXT("example.com", "v=spf1 -all"),
		"192.0.2.1", StatusPermError, ErrMultipleRecords)

	test("syntax error after a match", dnstest.NewZone().
		AddTXT("example.com", "v=spf1 +all moo"),
		"192.0.2.1", StatusPermError, ErrSyntax)
}

func TestCheckLimitOverrides(t *testing.T) {
	z := dnstest.NewZone().AddTXT("example.com", "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com a:n4.example.com -all")
	args := Args{IP: netip.MustParseAddr("192.0.2.1"), MailFrom: "a@example.com", VoidLimit: 4}
	if res := Check(context.Background(), z.Resolver(), args); res.Status != StatusFail {
		t.Errorf("VoidLimit 4: %s %v", res.Status, res.Err)
	}
	args.VoidLimit, args.LookupLimit = 0, 2
	if res := Check(context.Background(), z.Resolver(), args); !errors.Is(res.Err, ErrLookupLimit) {
		t.Errorf("LookupLimit 2: %s %v", res.Status, res.Err)
	}
}

func TestCheckCanceled(t *testing.T) {
	z := dnstest.NewZone().AddTXT("example.com", "v=spf1 -all")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Check(ctx, z.Resolver(), Args{IP: netip.MustParseAddr("192.0.2.1"), MailFrom: "a@example.com"})
	if res.Status != StatusTempError || !errors.Is(res.Err, ErrDNS) || !errors.Is(res.Err, context.Canceled) {
		t.Errorf("got %s, %v; want temperror wrapping context.Canceled", res.Status, res.Err)
	}
}

func TestCheckIdentities(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("example.com", "v=spf1 ip4:192.0.2.0/24 -all").
		AddTXT("mail.example.org", "v=spf1 a -all").
		AddA("mail.example.org", "198.51.100.7")
	ip := netip.MustParseAddr("198.51.100.7")
	tests := []struct {
		name       string
		args       Args
		want       Status
		domain     string
		sender     string
		invalidErr bool
	}{
		{"mail from", Args{IP: ip, MailFrom: "u@example.com", HELO: "mail.example.org"}, StatusFail, "example.com", "u@example.com", false},
		{"null sender", Args{IP: ip, HELO: "mail.example.org"}, StatusPass, "mail.example.org", "postmaster@mail.example.org", false},
		{"helo identity", Args{IP: ip, MailFrom: "u@example.com", HELO: "mail.example.org", Identity: IdentityHELO}, StatusPass, "mail.example.org", "postmaster@mail.example.org", false},
		{"no local part", Args{IP: ip, MailFrom: "@example.com"}, StatusFail, "example.com", "postmaster@example.com", false},
		{"ipv4-mapped", Args{IP: netip.MustParseAddr("::ffff:192.0.2.9"), MailFrom: "u@example.com"}, StatusPass, "example.com", "u@example.com", false},
		{"single label", Args{IP: ip, MailFrom: "u@localhost"}, StatusNone, "localhost", "u@localhost", true},
		{"domain literal", Args{IP: ip, HELO: "[192.0.2.1]"}, StatusNone, "[192.0.2.1]", "postmaster@[192.0.2.1]", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Check(context.Background(), z.Resolver(), tc.args)
			if res.Status != tc.want || res.Domain != tc.domain || res.Sender != tc.sender {
				t.Errorf("got %s %q %q, want %s %q %q", res.Status, res.Domain, res.Sender, tc.want, tc.domain, tc.sender)
			}
			if tc.invalidErr != errors.Is(res.Err, ErrInvalidDomain) {
				t.Errorf("err %v", res.Err)
			}
		})
	}
	res := Check(context.Background(), z.Resolver(), Args{MailFrom: "u@example.com"})
	if res.Status != StatusNone || !errors.Is(res.Err, ErrInvalidIP) {
		t.Errorf("no IP: %s %v", res.Status, res.Err)
	}
}

func TestExplainAndTrace(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("example.com", "v=spf1 a:mail.example.com include:_spf.vendor.net ~all").
		AddA("mail.example.com", "192.0.2.10").
		AddTXT("_spf.vendor.net", "v=spf1 ip4:198.51.100.0/24 -all")
	res := check(t, z, "203.0.113.7", "user@example.com")
	want := "softfail: 203.0.113.7 matched ~all in example.com after include:_spf.vendor.net did not list it (2 of 10 lookups used)"
	if got := res.Explain(); got != want {
		t.Errorf("Explain() = %q\nwant        %q", got, want)
	}
	if res.Matched == nil || res.Matched.Domain != "example.com" || res.Matched.Directive.Mechanism != MechanismAll {
		t.Fatalf("Matched = %+v", res.Matched)
	}
	tr := res.Trace
	if len(tr.Records) != 2 || tr.Records[1].Domain != "_spf.vendor.net" || tr.Records[1].Parent != 0 || tr.Records[1].Status != StatusFail {
		t.Errorf("records %+v", tr.Records)
	}
	terms := tr.Records[0].Terms
	if len(terms) != 3 || terms[0].Outcome != OutcomeNoMatch || terms[1].Child != 1 || terms[2].Outcome != OutcomeMatch {
		t.Errorf("terms %+v", terms)
	}
	wantQ := []QueryTrace{
		{Name: "example.com", Type: "TXT", Class: dnsclient.ClassOK, Answers: 1},
		{Name: "mail.example.com", Type: "A", Class: dnsclient.ClassOK, Answers: 1},
		{Name: "_spf.vendor.net", Type: "TXT", Class: dnsclient.ClassOK, Answers: 1},
	}
	if fmt.Sprint(tr.Queries) != fmt.Sprint(wantQ) {
		t.Errorf("queries %+v\nwant    %+v", tr.Queries, wantQ)
	}

	// A redirect is reported as the way to the matching record, and the
	// redirect target's explanation applies (RFC 7208, section 6.2).
	z = dnstest.NewZone().
		AddTXT("example.com", "v=spf1 redirect=_spf.example.com exp=ignored.example.com").
		AddTXT("_spf.example.com", "v=spf1 -all exp=why.example.com").
		AddTXT("why.example.com", "%{i} is not allowed to send as %{s}").
		AddTXT("ignored.example.com", "wrong")
	res = check(t, z, "192.0.2.1", "user@example.com")
	if res.Status != StatusFail || res.Explanation != "192.0.2.1 is not allowed to send as user@example.com" {
		t.Errorf("got %s %q", res.Status, res.Explanation)
	}
	want = "fail: 192.0.2.1 matched -all in _spf.example.com (reached by redirect=_spf.example.com from example.com) (1 of 10 lookups used)"
	if got := res.Explain(); got != want {
		t.Errorf("Explain() = %q\nwant        %q", got, want)
	}

	res = check(t, dnstest.NewZone().AddName("example.com"), "192.0.2.1", "user@example.com")
	if got, want := res.Explain(), "none: example.com publishes no SPF record"; got != want || res.Err != nil {
		t.Errorf("Explain() = %q, err %v; want %q", got, res.Err, want)
	}
	res = check(t, dnstest.NewZone().AddTXT("example.com", "v=spf1 ip4:198.51.100.1"), "192.0.2.1", "user@example.com")
	if got, want := res.Explain(), "neutral: no mechanism for example.com matched 192.0.2.1, so the default applies (0 of 10 lookups used)"; got != want {
		t.Errorf("Explain() = %q, want %q", got, want)
	}
}

func TestAligned(t *testing.T) {
	if !Aligned("bounce.example.com", "example.com", "r") || Aligned("bounce.example.com", "example.com", "s") {
		t.Error("Aligned does not follow RFC 7489, section 3.1.2")
	}
}
