package dnsclient_test

import (
	"context"
	"testing"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// BenchmarkLookupTXT compares a lookup that goes to the loopback server
// (cold: cache disabled) with one answered from the cache (warm).
func BenchmarkLookupTXT(b *testing.B) {
	srv := dnstest.StartServer(b, testZone())
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		c := newClient(b, srv, func(cfg *dnsclient.Config) { cfg.CacheSize = -1 })
		for b.Loop() {
			if _, err := c.LookupTXT(ctx, "example.com"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		c := newClient(b, srv, nil)
		if _, err := c.LookupTXT(ctx, "example.com"); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.LookupTXT(ctx, "example.com"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm-parallel", func(b *testing.B) {
		c := newClient(b, srv, nil)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.LookupTXT(ctx, "example.com"); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
