package signins_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/authlens/authlens/signins"
)

// A portal CSV download with a printer sending through SMTP AUTH and an
// address spraying IMAP: the report keeps the printer apart from the
// attack and names the account that fell.
func ExampleAnalyzer() {
	var b strings.Builder
	b.WriteString("Date (UTC),Username,IP address,Sign-in error code,Client app\n")
	for h := range 3 {
		fmt.Fprintf(&b, "2026-03-02T0%d:00:00Z,printer@contoso.example,198.51.100.20,0,Authenticated SMTP\n", h)
	}
	for k := range 6 {
		fmt.Fprintf(&b, "2026-03-02T22:0%d:00Z,user%d@contoso.example,203.0.113.66,50126,IMAP4\n", k, k)
	}
	b.WriteString("2026-03-02T22:09:00Z,user3@contoso.example,203.0.113.66,0,IMAP4\n")

	a := signins.NewAnalyzer(signins.Options{})
	if _, err := a.ReadFrom(context.Background(), strings.NewReader(b.String()), "InteractiveSignIns.csv"); err != nil {
		fmt.Println(err)
		return
	}
	r := a.Report()
	for _, l := range r.Legacy {
		fmt.Printf("legacy: %s %s %d sign-ins\n", l.User, l.ClientApp, l.SignIns)
	}
	for _, s := range r.Sprays {
		fmt.Printf("spray: %s %s against %d accounts, %d failures\n", s.Kind, s.IP, s.Users, s.Failures)
	}
	for _, c := range r.Compromised {
		fmt.Printf("compromised: %s from %s\n", c.User, c.IP)
	}
	for _, e := range r.Readiness.WouldStop {
		fmt.Printf("a block would stop: %s (%s)\n", e.User, e.ClientApp)
	}
	// Output:
	// legacy: printer@contoso.example Authenticated SMTP 3 sign-ins
	// spray: burst 203.0.113.66 against 6 accounts, 6 failures
	// compromised: user3@contoso.example from 203.0.113.66
	// a block would stop: printer@contoso.example (Authenticated SMTP)
}
