package dnsclient_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/dnswire"
)

func TestLookups(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	c := newClient(t, srv, nil)
	ctx := context.Background()
	big, _ := testZone().Resolver().LookupTXT(ctx, "big.example.com")
	tests := []struct {
		name string
		call func() (any, error)
		want any
	}{
		{"txt multi-string", func() (any, error) { return c.LookupTXT(ctx, "Example.COM") }, []string{"v=spf1 ip4:192.0.2.0/24 -all", `odd "quoted" \ bytes` + "\x00\xff"}},
		{"txt 4 KB", func() (any, error) { return c.LookupTXT(ctx, "big.example.com.") }, big},
		{"a", func() (any, error) { return c.LookupNetIP(ctx, "ip4", "example.com") }, []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")}},
		{"aaaa", func() (any, error) { return c.LookupNetIP(ctx, "ip6", "example.com") }, []netip.Addr{netip.MustParseAddr("2001:db8::1")}},
		{"ipaddr", func() (any, error) {
			addrs, err := c.LookupIPAddr(ctx, "example.com")
			var s []string
			for _, a := range addrs {
				s = append(s, a.String())
			}
			return s, err
		}, []string{"192.0.2.1", "192.0.2.2", "2001:db8::1"}},
		{"host partial", func() (any, error) { return c.LookupHost(ctx, "v4only.example.com") }, []string{"192.0.2.3"}},
		{"mx", func() (any, error) {
			mx, err := c.LookupMX(ctx, "example.com")
			var s []string
			for _, m := range mx {
				s = append(s, m.Host)
			}
			return s, err
		}, []string{"mx1.example.com.", "mx2.example.com."}},
		{"ptr v4", func() (any, error) { return c.LookupAddr(ctx, "192.0.2.1") }, []string{"mail.example.com."}},
		{"ptr v6", func() (any, error) { return c.LookupAddr(ctx, "2001:db8::1") }, []string{"mail6.example.com."}},
		{"cname chain", func() (any, error) { return c.LookupNetIP(ctx, "ip4", "www.example.com") }, []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")}},
		{"canonical name", func() (any, error) { return c.LookupCNAME(ctx, "www.example.com") }, "example.com."},
		{"idna", func() (any, error) { return c.LookupTXT(ctx, "BÜCHER.example") }, []string{"idna"}},
		{"idna a-label", func() (any, error) { return c.LookupTXT(ctx, "xn--bcher-kva.example") }, []string{"idna"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.call()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Expected %q, got %q", tc.want, got)
			}
		})
	}
}

func TestErrorClasses(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Timeout = 150 * time.Millisecond; cfg.Tries = 2 })
	ctx := context.Background()
	tests := []struct {
		name     string
		qname    string
		qtype    uint16
		sentinel error
		class    dnsclient.Class
	}{
		{"nxdomain", "absent.example.com", dns.TypeTXT, dnsclient.ErrNXDomain, dnsclient.ClassNXDomain},
		{"nodata", "v4only.example.com", dns.TypeTXT, dnsclient.ErrNoData, dnsclient.ClassNoData},
		{"nodata after cname", "www.example.com", dns.TypePTR, dnsclient.ErrNoData, dnsclient.ClassNoData},
		{"nxdomain after cname", "dangling.example.com", dns.TypeTXT, dnsclient.ErrNXDomain, dnsclient.ClassNXDomain},
		{"servfail", "broken.example.com", dns.TypeTXT, dnsclient.ErrServFail, dnsclient.ClassServFail},
		{"timeout", "slow.example.com", dns.TypeTXT, dnsclient.ErrTimeout, dnsclient.ClassTimeout},
		{"cname loop", "loop1.example.com", dns.TypeTXT, dnsclient.ErrMalformed, dnsclient.ClassError},
		{"name too long", strings.Repeat("abcdefgh.", 30) + "example", dns.TypeTXT, dnsclient.ErrMalformed, dnsclient.ClassError},
		{"label too long", strings.Repeat("a", 64) + ".example", dns.TypeTXT, dnsclient.ErrMalformed, dnsclient.ClassError},
		{"empty label", "a..example", dns.TypeTXT, dnsclient.ErrMalformed, dnsclient.ClassError},
		{"empty name", "", dns.TypeTXT, dnsclient.ErrMalformed, dnsclient.ClassError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			ans, err := c.Query(ctx, tc.qname, tc.qtype)
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("Expected %v, got %v", tc.sentinel, err)
			}
			if got := dnsclient.Classify(err); got != tc.class {
				t.Errorf("Expected class %s, got %s", tc.class, got)
			}
			var de *net.DNSError
			if !errors.As(err, &de) {
				t.Errorf("Expected a *net.DNSError, got %T", err)
			}
			switch tc.class {
			case dnsclient.ClassNXDomain, dnsclient.ClassNoData:
				if ans == nil || ans.Class != tc.class {
					t.Errorf("Expected an answer of class %s, got %+v", tc.class, ans)
				}
			case dnsclient.ClassTimeout:
				// Two tries of 150ms each: the query gives up rather than
				// waiting for the silent server (the context has no
				// deadline). The bound only tells giving up from hanging,
				// with room for a loaded machine running tests under -race.
				if d := time.Since(start); d > 10*time.Second {
					t.Errorf("Expected the timeout after two tries of 150ms, took %v", d)
				}
			}
		})
	}
}

func TestTCPFallback(t *testing.T) {
	tests := []struct {
		name, qname string
		setup       func(*dnstest.Server)
	}{
		{"oversized answer", "big.example.com", func(*dnstest.Server) {}},
		{"forced on name", "example.com", func(s *dnstest.Server) { s.Zone().SetTruncate("example.com") }},
		{"forced on all", "v4only.example.com", func(s *dnstest.Server) { s.SetTruncateAll(true) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := dnstest.StartServer(t, testZone())
			tc.setup(srv)
			c := newClient(t, srv, nil)
			ans, err := c.Query(context.Background(), tc.qname, dns.TypeTXT)
			if err != nil && !errors.Is(err, dnsclient.ErrNoData) {
				t.Fatal(err)
			}
			if ans.Transport != "tcp" {
				t.Errorf("Expected the answer over tcp, got %q", ans.Transport)
			}
			if u, c := srv.Count(dnstest.TransportUDP), srv.Count(dnstest.TransportTCP); u != 1 || c != 1 {
				t.Errorf("Expected one UDP and one TCP query, got %d and %d", u, c)
			}
		})
	}
}

func TestCache(t *testing.T) {
	z := dnstest.NewZone().AddTXT("a.example", "one").SetTTL("a.example", 60)
	srv := dnstest.StartServer(t, z)
	clk := newClock()
	c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Now = clk.Now })
	ctx := context.Background()
	lookup := func(want string, wantCached bool, wantQueries int) {
		t.Helper()
		ans, err := c.Query(ctx, "a.example", dns.TypeTXT)
		if err != nil {
			t.Fatal(err)
		}
		if got := dnswire.TXTString(ans.Records[0].(*dns.TXT)); got != want {
			t.Errorf("Expected %q, got %q", want, got)
		}
		if ans.Cached != wantCached {
			t.Errorf("Expected cached %v, got %v", wantCached, ans.Cached)
		}
		if n := srv.Count(""); n != wantQueries {
			t.Errorf("Expected %d server queries, got %d", wantQueries, n)
		}
	}
	lookup("one", false, 1)
	srv.SetZone(dnstest.NewZone().AddTXT("a.example", "two"))
	clk.Advance(59 * time.Second)
	lookup("one", true, 1) // still fresh
	ans, _ := c.Query(ctx, "a.example", dns.TypeTXT)
	if ans.TTL != time.Second {
		t.Errorf("Expected a remaining TTL of 1s, got %v", ans.TTL)
	}
	clk.Advance(time.Second)
	lookup("two", false, 2) // expired
	c.FlushCache()
	lookup("two", false, 3)
}

func TestNegativeCache(t *testing.T) {
	tests := []struct {
		name, qname string
		class       dnsclient.Class
	}{
		{"nxdomain", "absent.example", dnsclient.ClassNXDomain},
		{"nodata", "a.example", dnsclient.ClassNoData},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := dnstest.NewZone().AddA("a.example", "192.0.2.1").SetNegativeTTL(30)
			srv := dnstest.StartServer(t, z)
			clk := newClock()
			c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Now = clk.Now })
			ctx := context.Background()
			for i, step := range []struct {
				advance time.Duration
				queries int
				cached  bool
			}{{0, 1, false}, {29 * time.Second, 1, true}, {time.Second, 2, false}} {
				clk.Advance(step.advance)
				ans, err := c.Query(ctx, tc.qname, dns.TypeTXT)
				if dnsclient.Classify(err) != tc.class {
					t.Fatalf("step %d: Expected %s, got %v", i, tc.class, err)
				}
				if ans.Cached != step.cached || srv.Count("") != step.queries {
					t.Errorf("step %d: Expected cached %v after %d queries, got %v after %d", i, step.cached, step.queries, ans.Cached, srv.Count(""))
				}
			}
		})
	}
}

// TestFailuresRemembered: a failed query (SERVFAIL, timeout) is remembered
// for Config.FailureTTL and answered from the cache with the same class of
// error, then asked again; with FailureTTL negative it is never kept.
func TestFailuresRemembered(t *testing.T) {
	z := testZone()
	srv := dnstest.StartServer(t, z)
	clk := newClock()
	c := newClient(t, srv, func(cfg *dnsclient.Config) {
		cfg.Timeout = 100 * time.Millisecond
		cfg.Tries = 1
		cfg.Now = clk.Now
		cfg.MaxFailures = -1
		cfg.FailureTTL = 10 * time.Second
	})
	off := newClient(t, srv, func(cfg *dnsclient.Config) {
		cfg.Timeout = 100 * time.Millisecond
		cfg.Tries = 1
		cfg.FailureTTL = -1
		cfg.MaxFailures = -1
	})
	for _, tc := range []struct {
		name  string
		class dnsclient.Class
	}{{"broken.example.com", dnsclient.ClassServFail}, {"slow.example.com", dnsclient.ClassTimeout}} {
		t.Run(tc.name, func(t *testing.T) {
			srv.Reset()
			for i := range 3 {
				_, err := c.LookupTXT(context.Background(), tc.name)
				if dnsclient.Classify(err) != tc.class {
					t.Fatalf("query %d: class %s (%v), want %s", i, dnsclient.Classify(err), err, tc.class)
				}
				if i > 0 && !strings.Contains(err.Error(), "remembered") {
					t.Errorf("query %d: %v does not say it was remembered", i, err)
				}
			}
			if n := srv.Count(""); n != 1 {
				t.Errorf("Expected 1 server query within the failure TTL, got %d", n)
			}
			clk.Advance(11 * time.Second)
			if _, err := c.LookupTXT(context.Background(), tc.name); dnsclient.Classify(err) != tc.class {
				t.Fatalf("after the TTL: %v", err)
			}
			if n := srv.Count(""); n != 2 {
				t.Errorf("Expected the query asked again after the failure TTL, got %d queries", n)
			}
			srv.Reset()
			for range 2 {
				if _, err := off.LookupTXT(context.Background(), tc.name); !dnsclient.IsTemporary(err) {
					t.Fatalf("Expected a temporary error, got %v", err)
				}
			}
			if n := srv.Count(""); n != 2 {
				t.Errorf("FailureTTL -1: expected 2 server queries, got %d", n)
			}
		})
	}
}

func TestCacheEviction(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.CacheSize = 2 })
	ctx := context.Background()
	for _, name := range []string{"example.com", "v4only.example.com", "mx1.example.com", "example.com"} {
		_, _ = c.LookupNetIP(ctx, "ip4", name)
	}
	if n := srv.Count(""); n != 4 {
		t.Errorf("Expected the first entry evicted (4 queries), got %d", n)
	}
	d := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.CacheSize = -1 })
	srv.Reset()
	_, _ = d.LookupTXT(ctx, "example.com")
	_, _ = d.LookupTXT(ctx, "example.com")
	if n := srv.Count(""); n != 2 {
		t.Errorf("Expected no caching (2 queries), got %d", n)
	}
}

func TestCollapse(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	srv.SetDelay(100 * time.Millisecond)
	c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Timeout = time.Second })
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			got, err := c.LookupTXT(context.Background(), "example.com")
			if err == nil && len(got) != 2 {
				err = errors.New("wrong answer")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if q := srv.Count(""); q != 1 {
		t.Errorf("Expected 1 server query for %d callers, got %d", n, q)
	}
}

func TestCancel(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	srv.SetDelay(3 * time.Second)
	c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Timeout = 5 * time.Second })
	tests := []struct {
		name  string
		ctx   func() (context.Context, context.CancelFunc)
		class dnsclient.Class
	}{
		{"canceled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			return ctx, cancel
		}, dnsclient.ClassCanceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, dnsclient.ClassTimeout},
		{"already canceled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, dnsclient.ClassCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			_, err := c.LookupTXT(ctx, "example.com")
			if d := time.Since(start); d > time.Second {
				t.Errorf("Expected a prompt return, took %v", d)
			}
			if got := dnsclient.Classify(err); got != tc.class {
				t.Errorf("Expected %s, got %s (%v)", tc.class, got, err)
			}
		})
	}
	t.Run("direct exchange", func(t *testing.T) {
		// Without a cache the exchange itself must stop at once too.
		d := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Timeout = 5 * time.Second; cfg.CacheSize = -1 })
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := d.LookupMX(ctx, "example.com")
		if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
			t.Errorf("Expected context.Canceled promptly, got %v after %v", err, time.Since(start))
		}
	})
}

func TestServerFailover(t *testing.T) {
	bad := dnstest.StartServer(t, dnstest.NewZone().SetServFail("example.com", ""))
	good := dnstest.StartServer(t, testZone())
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{bad.Addr, good.Addr}, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ans, err := c.Query(context.Background(), "example.com", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Server != good.Addr || bad.Count("") != 1 {
		t.Errorf("Expected the second server to answer after one SERVFAIL, got %s (%d)", ans.Server, bad.Count(""))
	}
}

func TestAbandonedFlight(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	srv.SetDelay(200 * time.Millisecond)
	c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Timeout = time.Second })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := c.LookupTXT(ctx, "example.com"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Expected context.Canceled, got %v", err)
	}
	// A later caller must not join the abandoned exchange.
	got, err := c.LookupTXT(context.Background(), "example.com")
	if err != nil || len(got) != 2 {
		t.Fatalf("Expected the records, got %q, %v", got, err)
	}
	if n := srv.Count(""); n != 2 {
		t.Errorf("Expected 2 server queries, got %d", n)
	}
}
