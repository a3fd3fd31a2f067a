package spf

import (
	"context"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// newLoopbackClient returns a DNS client that asks only the loopback test
// server at addr, with a timeout generous enough for a busy machine: these
// queries are answered, and a slow answer must not read as a timeout.
// The client never gives up on the server (MaxFailures -1).
func newLoopbackClient(t testing.TB, addr string, cacheSize int) *dnsclient.Client {
	t.Helper()
	return loopbackClient(t, addr, cacheSize, 5*time.Second, 2)
}

func loopbackClient(t testing.TB, addr string, cacheSize int, timeout time.Duration, tries int) *dnsclient.Client {
	t.Helper()
	c, err := dnsclient.New(dnsclient.Config{
		Servers:     []string{addr},
		Timeout:     timeout,
		Tries:       tries,
		CacheSize:   cacheSize,
		MaxFailures: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// splitResolver asks the loopback server through a client with a short
// timeout for the questions the zone drops on purpose (the suite's
// TIMEOUT cases), and through a patient one for every other question, so
// the suite stays quick without a slow answer ever reading as a timeout.
type splitResolver struct {
	zone           *dnstest.Zone
	quick, patient *dnsclient.Client
}

// newSplitResolver returns a splitResolver for the server at addr serving
// zone.
func newSplitResolver(t testing.TB, addr string, zone *dnstest.Zone) *splitResolver {
	return &splitResolver{zone: zone,
		quick:   loopbackClient(t, addr, -1, 150*time.Millisecond, 1),
		patient: loopbackClient(t, addr, -1, 5*time.Second, 2)}
}

// pick returns the client for a question about name of any of types.
func (r *splitResolver) pick(name string, types ...uint16) *dnsclient.Client {
	for _, qt := range types {
		if r.zone.Drops(name, qt) {
			return r.quick
		}
	}
	return r.patient
}

func (r *splitResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	return r.pick(name, dns.TypeTXT).LookupTXT(ctx, name)
}

func (r *splitResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	return r.pick(name, dns.TypeMX).LookupMX(ctx, name)
}

func (r *splitResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return r.pick(host, dns.TypeA, dns.TypeAAAA).LookupIPAddr(ctx, host)
}

func (r *splitResolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	name, err := dns.ReverseAddr(addr)
	if err != nil {
		return r.patient.LookupAddr(ctx, addr)
	}
	return r.pick(name, dns.TypePTR).LookupAddr(ctx, addr)
}

// TestRFC7208OverDNS runs the RFC 7208 suite through the real DNS client
// against a DNS server on 127.0.0.1 serving each scenario's zone, to prove
// the path over real DNS messages (NXDOMAIN versus NODATA, SERVFAIL,
// dropped queries, CNAMEs, long TXT records).
func TestRFC7208OverDNS(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: timeouts over the loopback network")
	}
	// Cases that cannot pass over DNS (none at present; list each with its reason).
	skip := map[string]string{}
	suites := loadSuites(t, "rfc7208-tests.yml")
	srv := dnstest.StartServer(t, dnstest.NewZone())
	passed, total := 0, 0
	for _, s := range suites {
		zone := suiteZone(t, s.ZoneData)
		srv.SetZone(zone)
		client := newSplitResolver(t, srv.Addr, zone)
		ids := make([]string, 0, len(s.Tests))
		for id := range s.Tests {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			c := s.Tests[id]
			total++
			t.Run(s.Description+"/"+id, func(t *testing.T) {
				diff := runSuiteCase(t, client, c)
				if reason, ok := skip[id]; ok && diff != "" {
					t.Skipf("expected difference: %s (%s)", reason, diff)
				}
				if diff != "" {
					t.Errorf("%s: %s", c.Description, diff)
					return
				}
				passed++
			})
		}
	}
	t.Logf("rfc7208-tests.yml over loopback DNS: %d of %d cases pass", passed, total)
}
