package dnstest

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnswire"
)

// testZone returns a zone exercising every feature of the fake.
func testZone() *Zone {
	return NewZone().
		AddTXT("Example.COM.", "v=spf1 ", "-all").
		AddTXT("example.com", `quote" back\ byte`+"\x01").
		AddA("example.com", "192.0.2.1").
		AddAAAA("example.com", "2001:db8::1").
		AddMX("example.com", 20, "mx2.example.com").
		AddMX("example.com", 10, "MX1.example.com.").
		AddReverse("192.0.2.1", "example.com").
		AddReverse("2001:db8::1", "v6.example.com").
		SetCNAME("www.example.com", "example.com").
		SetCNAME("loop1.example", "loop2.example").
		SetCNAME("loop2.example", "loop1.example").
		AddTXT("slow.example", "x").SetTimeout("slow.example", "").
		AddTXT("halfslow.example", "v=spf1").SetTimeout("halfslow.example", AllTypes).
		AddA("txtslow.example", "192.0.2.9").SetTimeout("txtslow.example", "TXT").
		SetServFail("broken.example", "").
		AddA("v4only.example", "192.0.2.2")
}

func TestResolver(t *testing.T) {
	ctx := context.Background()
	r := testZone().Resolver()
	tests := []struct {
		name  string
		call  func() (any, error)
		want  any
		class dnsclient.Class
	}{
		{"txt", func() (any, error) { return r.LookupTXT(ctx, "example.com") }, []string{"v=spf1 -all", `quote" back\ byte` + "\x01"}, dnsclient.ClassOK},
		{"txt via cname", func() (any, error) { return r.LookupTXT(ctx, "WWW.example.com.") }, []string{"v=spf1 -all", `quote" back\ byte` + "\x01"}, dnsclient.ClassOK},
		{"mx sorted", func() (any, error) {
			mx, err := r.LookupMX(ctx, "example.com")
			var hosts []string
			for _, m := range mx {
				hosts = append(hosts, m.Host)
			}
			return hosts, err
		}, []string{"mx1.example.com.", "mx2.example.com."}, dnsclient.ClassOK},
		{"netip both", func() (any, error) { return r.LookupNetIP(ctx, "ip", "example.com") }, []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")}, dnsclient.ClassOK},
		{"netip v6 nodata", func() (any, error) { return r.LookupNetIP(ctx, "ip6", "v4only.example") }, nil, dnsclient.ClassNoData},
		{"host partial", func() (any, error) { return r.LookupHost(ctx, "v4only.example") }, []string{"192.0.2.2"}, dnsclient.ClassOK},
		{"ptr v4", func() (any, error) { return r.LookupAddr(ctx, "192.0.2.1") }, []string{"example.com."}, dnsclient.ClassOK},
		{"ptr v6", func() (any, error) { return r.LookupAddr(ctx, "2001:db8::1") }, []string{"v6.example.com."}, dnsclient.ClassOK},
		{"cname", func() (any, error) { return r.LookupCNAME(ctx, "www.example.com") }, "example.com.", dnsclient.ClassOK},
		{"nxdomain", func() (any, error) { return r.LookupTXT(ctx, "nope.example") }, nil, dnsclient.ClassNXDomain},
		{"nodata", func() (any, error) { return r.LookupTXT(ctx, "v4only.example") }, nil, dnsclient.ClassNoData},
		{"timeout name", func() (any, error) { return r.LookupTXT(ctx, "slow.example") }, nil, dnsclient.ClassTimeout},
		{"timeout unlisted", func() (any, error) { return r.LookupMX(ctx, "halfslow.example") }, nil, dnsclient.ClassTimeout},
		{"listed answers", func() (any, error) { return r.LookupTXT(ctx, "halfslow.example") }, []string{"v=spf1"}, dnsclient.ClassOK},
		{"timeout one type", func() (any, error) { return r.LookupTXT(ctx, "txtslow.example") }, nil, dnsclient.ClassTimeout},
		{"other type answers", func() (any, error) { return r.LookupHost(ctx, "txtslow.example") }, []string{"192.0.2.9"}, dnsclient.ClassOK},
		{"servfail", func() (any, error) { return r.LookupTXT(ctx, "broken.example") }, nil, dnsclient.ClassServFail},
		{"loop", func() (any, error) { return r.LookupTXT(ctx, "loop1.example") }, nil, dnsclient.ClassError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.call()
			if c := dnsclient.Classify(err); c != tc.class {
				t.Fatalf("Expected class %s, got %s (%v)", tc.class, c, err)
			}
			if err != nil {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Expected %#v, got %#v", tc.want, got)
			}
		})
	}
}

func TestResolverLoopIsMalformed(t *testing.T) {
	r := testZone().Resolver()
	_, err := r.LookupTXT(context.Background(), "loop1.example")
	if !errors.Is(err, dnsclient.ErrMalformed) {
		t.Fatalf("Expected ErrMalformed, got %v", err)
	}
}

func TestResolverLog(t *testing.T) {
	r := testZone().Resolver()
	ctx := context.Background()
	_, _ = r.LookupTXT(ctx, "_dmarc.Example.com.")
	_, _ = r.LookupIPAddr(ctx, "example.com")
	_, _ = r.LookupAddr(ctx, "192.0.2.1")
	want := []string{"TXT _dmarc.example.com", "A example.com", "AAAA example.com", "PTR 1.2.0.192.in-addr.arpa"}
	var got []string
	for _, q := range r.Queries() {
		got = append(got, q.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Expected %q, got %q", want, got)
	}
	if r.Count() != 4 {
		t.Errorf("Expected 4 queries, got %d", r.Count())
	}
	r.Reset()
	if r.Count() != 0 {
		t.Errorf("Expected an empty log after Reset, got %d", r.Count())
	}
}

func TestResolverCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := testZone().Resolver()
	_, err := r.LookupTXT(ctx, "example.com")
	if dnsclient.Classify(err) != dnsclient.ClassCanceled {
		t.Fatalf("Expected canceled, got %v", err)
	}
	if r.Count() != 0 {
		t.Errorf("Expected no query logged, got %d", r.Count())
	}
}

func TestZoneLongTXTAndIDNA(t *testing.T) {
	long := strings.Repeat("k", 4000)
	z := NewZone().AddTXT("bücher.example", long)
	r := z.Resolver()
	got, err := r.LookupTXT(context.Background(), "xn--bcher-kva.example")
	if err != nil || len(got) != 1 || got[0] != long {
		t.Fatalf("Expected the 4000-byte record, got %d records, err %v", len(got), err)
	}
	if _, err := r.LookupTXT(context.Background(), "BÜCHER.example"); err != nil {
		t.Errorf("Expected the U-label name to resolve, got %v", err)
	}
}

func TestZoneClone(t *testing.T) {
	z := NewZone().AddTXT("a.example", "one")
	c := z.Clone()
	z.SetTimeout("a.example", "TXT")
	if _, err := c.Resolver().LookupTXT(context.Background(), "a.example"); err != nil {
		t.Fatalf("Expected the clone unchanged, got %v", err)
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", `a"b\c`, "\x00\xff\x7f", `\123`} {
		if got := dnswire.Unescape(escapeTXT(s)); got != s {
			t.Errorf("Expected %q, got %q", s, got)
		}
	}
}
