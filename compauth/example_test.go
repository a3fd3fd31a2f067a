package compauth_test

import (
	"fmt"

	"github.com/authlens/authlens/compauth"
)

// Explain a compauth result recorded by Microsoft 365 in its
// Authentication-Results field ("compauth=fail reason=001").
func ExampleExplain() {
	result, reason, ok := compauth.ParseCompauth("compauth=fail reason=001")
	if !ok {
		fmt.Println("no compauth result")
		return
	}
	e := compauth.Explain(result, reason)
	fmt.Println(e.Result, e.Reason, e.Class, e.Confidence)
	fmt.Println(e.Meaning)
	fmt.Println(len(e.NextSteps) > 0)
	// Output:
	// fail 001 001 documented
	// Implicit authentication failed: the From: domain has no or weak authentication records (no SPF or DMARC record, SPF ~all or ?all, or DMARC p=none) and Microsoft's own signals did not vouch for the sender.
	// true
}

// Decode the X-Forefront-Antispam-Report field: the connecting IP, the
// spam-filter verdict and every pair with its meaning.
func ExampleParseForefront() {
	r, err := compauth.ParseForefront("CIP:192.0.2.7;CTRY:DE;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:mail.example.org;PTR:mail.example.org;CAT:NONE;SFS:(13230022)(396003);DIR:INB;")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.ConnectingIP, r.Country, *r.SCL, r.Verdict, r.Direction)
	for _, f := range r.Fields[:3] {
		fmt.Printf("%s=%s: %s\n", f.Key, f.Value, f.Name)
	}
	// Output:
	// 192.0.2.7 DE 1 NSPM INB
	// CIP=192.0.2.7: Connecting IP address
	// CTRY=DE: Country or region of the connecting IP
	// LANG=en: Detected language
}

// Decode the spam and bulk levels: X-MS-Exchange-Organization-SCL and the
// BCL of X-Microsoft-Antispam.
func ExampleParseSCL() {
	scl, err := compauth.ParseSCL("5")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(scl.Value, scl.Meaning)
	ms, err := compauth.ParseMicrosoftAntispam("BCL:7;")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("BCL", *ms.BCL)
	// Output:
	// 5 Spam.
	// BCL 7
}

// Decode X-Microsoft-Antispam-Mailbox-Delivery: the folder the message
// was delivered to, and why.
func ExampleParseMailboxDelivery() {
	d, err := compauth.ParseMailboxDelivery("ucf:0;jmr:0;auth:0;dest:J;OFR:SpamFilterAuthJ;ENG:(910001)(944506478)(944626604)(920097)(930097);RF:JunkEmail;")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Destination, d.OverrideReason)
	for _, f := range d.Fields {
		if f.Key == "dest" {
			fmt.Println(f.Name+":", f.Meaning)
		}
	}
	// Output:
	// J SpamFilterAuthJ
	// Destination folder: Delivered to the Junk Email folder.
}
