package spf_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/spf"
)

func ExampleCheck() {
	// Any *net.Resolver works; this example answers from a fixed zone.
	zone := dnstest.NewZone().
		AddTXT("example.com", "v=spf1 include:_spf.vendor.example ~all").
		AddTXT("_spf.vendor.example", "v=spf1 ip4:198.51.100.0/24 -all")

	res := spf.Check(context.Background(), zone.Resolver(), spf.Args{
		IP:       netip.MustParseAddr("203.0.113.7"),
		MailFrom: "alice@example.com",
		HELO:     "mail.example.net",
	})
	switch res.Status {
	case spf.StatusPass:
		fmt.Println("authorized")
	case spf.StatusFail:
		fmt.Println("rejected:", res.Explanation)
	case spf.StatusSoftFail:
		fmt.Println("suspicious")
	case spf.StatusNeutral, spf.StatusNone:
		fmt.Println("no assertion")
	case spf.StatusTempError:
		fmt.Println("try again later:", res.Err)
	case spf.StatusPermError:
		fmt.Println("broken policy:", res.Err)
	}
	fmt.Println(res.Explain())
	// Output:
	// suspicious
	// softfail: 203.0.113.7 matched ~all in example.com after include:_spf.vendor.example did not list it (1 of 10 lookups used)
}

func ExampleParseRecord() {
	rec, isSPF, err := spf.ParseRecord("v=spf1 a:mail.example.com/24 -all exp=why.%{d}")
	fmt.Println(isSPF, err)
	for _, d := range rec.Directives {
		fmt.Println(d.Qualifier.Status(), d.Mechanism, d.Domain, d.CIDR4)
	}
	fmt.Println(rec.Explanation)
	// Output:
	// true <nil>
	// pass a mail.example.com 24
	// fail all  -1
	// why.%{d}
}
