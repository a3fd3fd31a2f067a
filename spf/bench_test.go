package spf

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

// benchZone has a one-lookup policy at one.example.com and a chain of ten
// includes at chain.example.com.
func benchZone() *dnstest.Zone {
	z := dnstest.NewZone().
		AddTXT("one.example.com", "v=spf1 a -all").
		AddA("one.example.com", "192.0.2.1").
		AddTXT("chain.example.com", "v=spf1 include:i1.example.com -all")
	for i := 1; i < 10; i++ {
		z.AddTXT(fmt.Sprintf("i%d.example.com", i), fmt.Sprintf("v=spf1 ip4:198.51.100.%d include:i%d.example.com", i, i+1))
	}
	return z.AddTXT("i10.example.com", "v=spf1 ip4:192.0.2.0/24")
}

func benchCheck(b *testing.B, r Resolver, sender string) {
	b.Helper()
	args := Args{IP: netip.MustParseAddr("192.0.2.1"), MailFrom: sender, HELO: "mail.example.org"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if res := Check(ctx, r, args); res.Status != StatusPass {
			b.Fatalf("%s %v", res.Status, res.Err)
		}
	}
}

func BenchmarkCheckOneLookup(b *testing.B) {
	benchCheck(b, benchZone().Resolver(), "user@one.example.com")
}

func BenchmarkCheckIncludeChain(b *testing.B) {
	benchCheck(b, benchZone().Resolver(), "user@chain.example.com")
}

// BenchmarkCheckLoopback runs the checks through the real DNS client
// against the loopback server: cold is a new client (empty cache) per
// check, warm shares one client.
func BenchmarkCheckLoopback(b *testing.B) {
	srv := dnstest.StartServer(b, benchZone())
	for _, sender := range []string{"user@one.example.com", "user@chain.example.com"} {
		b.Run("cold/"+sender, func(b *testing.B) {
			args := Args{IP: netip.MustParseAddr("192.0.2.1"), MailFrom: sender}
			b.ReportAllocs()
			for b.Loop() {
				c := newLoopbackClient(b, srv.Addr, 0)
				if res := Check(context.Background(), c, args); res.Status != StatusPass {
					b.Fatalf("%s %v", res.Status, res.Err)
				}
			}
		})
		b.Run("warm/"+sender, func(b *testing.B) {
			benchCheck(b, newLoopbackClient(b, srv.Addr, 0), sender)
		})
	}
}
