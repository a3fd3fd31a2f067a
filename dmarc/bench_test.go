package dmarc

import (
	"context"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

// benchZone is a policy at an organizational domain, a From address two
// labels below it, and an SPF identifier on a third name, so one evaluation
// walks several names.
func benchZone() (*dnstest.Zone, Input) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:d@example.com").
		AddA("news.mail.example.com", "192.0.2.1")
	in := Input{
		FromDomain: "news.mail.example.com",
		SPF:        SPFInput{Result: AuthPass, MailFromDomain: "bounce.example.com"},
		DKIM:       []DKIMInput{{AuthFail, "example.com"}, {AuthPass, "esp.example.net"}},
	}
	return z, in
}

// BenchmarkEvaluateLoopbackCold evaluates against the loopback DNS server
// through dnsclient with its cache flushed before every evaluation: every
// query goes over UDP.
func BenchmarkEvaluateLoopbackCold(b *testing.B) {
	z, in := benchZone()
	c, _ := loopbackResolver(b, z, 0)
	ctx := context.Background()
	for b.Loop() {
		c.FlushCache()
		if res := Evaluate(ctx, c, in, Options{}); res.Status != StatusPass {
			b.Fatalf("status %s: %v", res.Status, res.Err)
		}
	}
}

// BenchmarkEvaluateLoopbackWarm is the same with the client's cache warm.
func BenchmarkEvaluateLoopbackWarm(b *testing.B) {
	z, in := benchZone()
	c, _ := loopbackResolver(b, z, 0)
	ctx := context.Background()
	Evaluate(ctx, c, in, Options{})
	for b.Loop() {
		if res := Evaluate(ctx, c, in, Options{}); res.Status != StatusPass {
			b.Fatalf("status %s: %v", res.Status, res.Err)
		}
	}
}

// BenchmarkEvaluateFake evaluates against the in-memory fake resolver: the
// cost of the DMARC logic itself.
func BenchmarkEvaluateFake(b *testing.B) {
	z, in := benchZone()
	r := z.Resolver()
	ctx := context.Background()
	for b.Loop() {
		r.Reset()
		if res := Evaluate(ctx, r, in, Options{}); res.Status != StatusPass {
			b.Fatalf("status %s: %v", res.Status, res.Err)
		}
	}
}

// BenchmarkParseRecord parses a record with every tag.
func BenchmarkParseRecord(b *testing.B) {
	txt := "v=DMARC1; p=reject; sp=quarantine; np=none; adkim=s; aspf=r; pct=50; fo=1:d; rf=afrf; ri=3600; " +
		"rua=mailto:agg@example.com!10m,mailto:other@example.net; ruf=mailto:fail@example.com; psd=n; t=y"
	for b.Loop() {
		if _, _, err := ParseRecord(txt); err != nil {
			b.Fatal(err)
		}
	}
}
