package spf

import (
	"context"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

var fuzzRecords = []string{
	"v=spf1 -all",
	"v=spf1 a mx ptr -all",
	"v=spf1 a:mail.example.com/24//64 mx:example.com//48 ~all",
	"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip6:::ffff:1.2.3.4 ?all",
	"v=spf1 include:_spf.example.net exists:%{ir}.%{l1r-}.bl.%{d2} redirect=_spf.example.com",
	"v=spf1 exp=why.%{d} foo=bar%{c} -all",
	"v=spf1 a:foo:bar/baz.example.com/24",
	"V=SPF1 +ALL",
}

// FuzzParseRecord checks that a parsed record formats to text that parses
// back to the same record.
func FuzzParseRecord(f *testing.F) {
	for _, r := range fuzzRecords {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, txt string) {
		rec, isSPF, err := ParseRecord(txt)
		if !isSPF || err != nil {
			if rec != nil {
				t.Fatalf("record returned with isSPF %v, err %v", isSPF, err)
			}
			return
		}
		s := rec.String()
		rec2, isSPF2, err := ParseRecord(s)
		if err != nil || !isSPF2 {
			t.Fatalf("%q formats to %q, which does not parse: %v", txt, s, err)
		}
		if !reflect.DeepEqual(rec, rec2) {
			t.Fatalf("%q formats to %q, which parses differently:\n%#v\n%#v", txt, s, rec, rec2)
		}
		if s2 := rec2.String(); s2 != s {
			t.Fatalf("String not stable: %q then %q", s, s2)
		}
	})
}

// FuzzExpandMacro checks that expansion never panics and stays within its
// bounds.
func FuzzExpandMacro(f *testing.F) {
	f.Add("%{ir}.%{v}._spf.%{d2}", "strong-bad")
	f.Add("%{l2r+-}.%{S}%%%_%-.example.com", "a+b-c")
	f.Add(strings.Repeat("%{s}", 100), strings.Repeat("x", 200))
	f.Add("%{c} %{r} %{t} %{p}", "")
	f.Fuzz(func(t *testing.T, spec, local string) {
		env := rfcEnv("2001:db8::cb01")
		env.local = local
		env.sender = local + "@" + env.senderDomain
		if name, err := env.expandDomain(spec); err == nil && len(name) > maxDomainLen {
			t.Fatalf("domain of %d characters", len(name))
		}
		if text, err := env.expandExplanation(spec); err == nil && len(text) > maxExplanationLen {
			t.Fatalf("explanation of %d bytes", len(text))
		}
	})
}

// fuzzZone is the fixed zone FuzzCheck evaluates records against.
func fuzzZone() *dnstest.Zone {
	return dnstest.NewZone().
		AddA("example.com", "192.0.2.1").
		AddAAAA("example.com", "2001:db8::1").
		AddMX("example.com", 10, "mx.example.com").
		AddA("mx.example.com", "192.0.2.2").
		AddAAAA("mx.example.com", "2001:db8::2").
		AddReverse("192.0.2.1", "example.com").
		AddReverse("2001:db8::1", "example.com").
		AddTXT("_spf.example.com", "v=spf1 ip4:192.0.2.0/24 -all").
		AddTXT("loop.example.com", "v=spf1 include:example.com").
		AddTXT("why.example.com", "%{i} is not %{d}").
		AddA("1.2.0.192.bl.example.com", "127.0.0.2").
		SetTimeout("slow.example.com", "").
		SetServFail("broken.example.com", "")
}

// FuzzCheck evaluates a fuzzer-supplied record for example.com: no panic,
// a valid status, an error exactly with temperror and permerror, and the
// DNS limits kept.
func FuzzCheck(f *testing.F) {
	for _, r := range fuzzRecords {
		f.Add(r)
	}
	f.Add("v=spf1 include:loop.example.com include:slow.example.com")
	f.Add("v=spf1 a:broken.example.com ptr:example.com exists:%{i}.bl.example.com")
	f.Fuzz(func(t *testing.T, txt string) {
		z := fuzzZone().AddTXT("example.com", txt)
		for _, ip := range []string{"192.0.2.1", "2001:db8::1"} {
			res := Check(context.Background(), z.Resolver(), Args{
				IP: netip.MustParseAddr(ip), MailFrom: "user@example.com", HELO: "mx.example.com",
			})
			switch res.Status {
			case StatusNone, StatusNeutral, StatusPass, StatusFail, StatusSoftFail:
				if res.Err != nil {
					t.Fatalf("%s with error %v", res.Status, res.Err)
				}
			case StatusTempError, StatusPermError:
				if res.Err == nil {
					t.Fatalf("%s without error", res.Status)
				}
			default:
				t.Fatalf("invalid status %q", res.Status)
			}
			if res.Trace.Lookups > res.Trace.LookupLimit+1 || res.Trace.VoidLookups > res.Trace.VoidLimit+1 {
				t.Fatalf("limits overrun: %d lookups, %d void", res.Trace.Lookups, res.Trace.VoidLookups)
			}
			_ = res.Explain()
		}
	})
}
