package dnsclient_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authlens/authlens/dnsclient"
)

// A Client asks recursive servers; a per-context transcript records what
// each analysis asked. (The server here is a placeholder on the loopback
// interface.)
func ExampleNew() {
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{"127.0.0.1:53"}, Timeout: time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, tr := dnsclient.WithTranscript(context.Background())
	txt, err := c.LookupTXT(ctx, "_dmarc.example.com")
	switch dnsclient.Classify(err) {
	case dnsclient.ClassOK:
		fmt.Println(txt)
	case dnsclient.ClassNXDomain, dnsclient.ClassNoData:
		fmt.Println("no record")
	default:
		fmt.Println("temporary failure:", err)
	}
	for _, e := range tr.Entries() {
		fmt.Println(e.Type, e.Name, e.Class, e.Duration)
	}
}

// A ZoneResolver replays lookups from a master file.
func ExampleNewZoneResolver() {
	const zone = `
$ORIGIN example.com.
$TTL 300
@       IN SOA ns hostmaster 1 7200 900 1209600 60
_dmarc  IN TXT "v=DMARC1; " "p=reject"
`
	z, err := dnsclient.NewZoneResolver(strings.NewReader(zone), "example.com.")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	txt, err := z.LookupTXT(ctx, "_dmarc.Example.com")
	fmt.Println(txt, err)
	_, err = z.LookupTXT(ctx, "_dmarc.mail.example.com")
	fmt.Println(dnsclient.Classify(err))
	// Output:
	// [v=DMARC1; p=reject] <nil>
	// nxdomain
}
