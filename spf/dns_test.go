package spf

import (
	"slices"
	"testing"
	"time"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// newLoopbackClient returns a DNS client that asks only the loopback test
// server at addr, with a short timeout so the suite's TIMEOUT cases stay
// quick.
func newLoopbackClient(t testing.TB, addr string, cacheSize int) *dnsclient.Client {
	t.Helper()
	c, err := dnsclient.New(dnsclient.Config{
		Servers:   []string{addr},
		Timeout:   150 * time.Millisecond,
		Tries:     1,
		CacheSize: cacheSize,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
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
		srv.SetZone(suiteZone(t, s.ZoneData))
		client := newLoopbackClient(t, srv.Addr, -1)
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
