package dmarc

import (
	"testing"
	"time"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// Client is what the loopback tests need from dnsclient.
var _ Resolver = (*dnsclient.Client)(nil)

// loopbackResolver serves z on a DNS server on 127.0.0.1 and returns the
// real client pointed at it. A name the zone marks as timing out costs two
// one-second tries. cacheSize < 0 disables the client's cache.
func loopbackResolver(tb testing.TB, z *dnstest.Zone, cacheSize int) (*dnsclient.Client, *dnstest.Server) {
	tb.Helper()
	srv := dnstest.StartServer(tb, z)
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}, Timeout: time.Second, Tries: 2, CacheSize: cacheSize})
	if err != nil {
		tb.Fatalf("dnsclient.New: %v", err)
	}
	return c, srv
}

// conformanceResolver returns the resolver conformance cases run against:
// the zone served over real DNS on the loopback interface.
func conformanceResolver(t *testing.T, z *dnstest.Zone) Resolver {
	t.Helper()
	c, _ := loopbackResolver(t, z, -1)
	return c
}
