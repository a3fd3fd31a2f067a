package dmarc_test

import (
	"context"
	"fmt"

	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/internal/dnstest"
)

func ExampleParseRecord() {
	rec, isDMARC, err := dmarc.ParseRecord("v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com!10m")
	if !isDMARC || err != nil {
		fmt.Println("not usable:", err)
		return
	}
	fmt.Println(rec.Policy, rec.Pct(), rec.AggregateReports[0].Limit())
	for _, d := range rec.DiagnosesFor(dmarc.ModeBis) {
		fmt.Println(d.Code, "-", d.Message)
	}
	fmt.Println(rec)
	// Output:
	// reject 50 10485760
	// obsolete-tag - pct= was removed by RFC 9989 (replaced by t=); RFC 9989 receivers ignore it
	// v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com!10m
}

func ExampleEvaluate() {
	zone := dnstest.NewZone().AddTXT("_dmarc.example.com", "v=DMARC1; p=quarantine")
	res := dmarc.Evaluate(context.Background(), zone.Resolver(), dmarc.Input{
		FromDomain: "news.example.com",
		SPF:        dmarc.SPFInput{Result: dmarc.AuthPass, MailFromDomain: "bounce.esp.example.net"},
		DKIM:       []dmarc.DKIMInput{{Result: dmarc.AuthPass, Domain: "example.com"}},
	}, dmarc.Options{})
	switch res.Status {
	case dmarc.StatusPass:
		fmt.Println("pass via DKIM d=" + res.AlignedDKIMDomain)
	case dmarc.StatusFail:
		fmt.Println("fail:", res.Disposition)
	case dmarc.StatusNone:
		fmt.Println("no DMARC policy")
	case dmarc.StatusTemperror, dmarc.StatusPermerror:
		fmt.Println(res.Status, res.Err)
	}
	fmt.Println("policy from", res.PolicyDomain, "org domain", res.OrgDomain)
	// Output:
	// pass via DKIM d=example.com
	// policy from example.com org domain example.com
}

func ExampleEvaluateRecorded() {
	out := dmarc.EvaluateRecorded(dmarc.RecordedInput{
		FromDomain: "example.com",
		SPF:        dmarc.SPFInput{Result: dmarc.AuthPass, MailFromDomain: "bounce.other.net"},
		DKIM:       []dmarc.DKIMInput{{Result: dmarc.AuthPass, Domain: "other.net"}},
		DMARC:      "pass",
	})
	fmt.Println("ours:", out.Result.Status)
	for _, d := range out.Disagreements {
		fmt.Println(d.Code+":", d.Message)
	}
	// Output:
	// ours: fail
	// dmarc-receiver-pass-unaligned: receiver says dmarc=pass but neither SPF (mailfrom bounce.other.net) nor DKIM (d=other.net) aligns with example.com
}
