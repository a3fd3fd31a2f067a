package dnsclient_test

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// resolver is the method set protocol packages consume.
type resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

var (
	_ resolver = (*dnsclient.Client)(nil)
	_ resolver = (*dnsclient.ZoneResolver)(nil)
	_ resolver = (*net.Resolver)(nil)
	_ resolver = (*dnstest.Resolver)(nil)
)

// clock is a settable time source for cache tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// newClock returns a clock at a fixed instant.
func newClock() *clock { return &clock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newClient returns a client asking srv, with a timeout generous enough
// for a busy machine: tests about timeouts set their own.
func newClient(tb testing.TB, srv *dnstest.Server, mod func(*dnsclient.Config)) *dnsclient.Client {
	tb.Helper()
	cfg := dnsclient.Config{Servers: []string{srv.Addr}, Timeout: 5 * time.Second, Tries: 2}
	if mod != nil {
		mod(&cfg)
	}
	c, err := dnsclient.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// testZone returns the zone most client tests run against.
func testZone() *dnstest.Zone {
	big := make([]byte, 4096)
	for i := range big {
		big[i] = 'a' + byte(i%26)
	}
	return dnstest.NewZone().
		AddTXT("example.com", "v=spf1 ", "ip4:192.0.2.0/24 ", "-all").
		AddTXT("example.com", `odd "quoted" \ bytes`+"\x00\xff").
		AddA("example.com", "192.0.2.1").
		AddA("example.com", "192.0.2.2").
		AddAAAA("example.com", "2001:db8::1").
		AddMX("example.com", 20, "mx2.example.com").
		AddMX("example.com", 10, "mx1.example.com").
		AddTXT("big.example.com", string(big)).
		AddReverse("192.0.2.1", "mail.example.com").
		AddReverse("2001:db8::1", "mail6.example.com").
		SetCNAME("www.example.com", "alias.example.com").
		SetCNAME("alias.example.com", "example.com").
		SetCNAME("dangling.example.com", "nowhere.example.com").
		SetCNAME("loop1.example.com", "loop2.example.com").
		SetCNAME("loop2.example.com", "loop1.example.com").
		AddTXT("bücher.example", "idna").
		AddA("v4only.example.com", "192.0.2.3").
		AddTXT("slow.example.com", "x").SetTimeout("slow.example.com", "").
		SetServFail("broken.example.com", "")
}
