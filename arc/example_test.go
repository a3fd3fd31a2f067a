package arc_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/authlens/authlens/arc"
)

// Validate a message online, with the system resolver, and print the
// verdict and what each hop saw.
func ExampleValidate() {
	f, err := os.Open("message.eml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	res, err := arc.Validate(context.Background(), net.DefaultResolver, f, arc.Options{
		TrustedSealers: []string{"google.com", "microsoft.com"},
	})
	if err != nil {
		fmt.Println("unreadable:", err)
		return
	}
	switch res.Status {
	case arc.StatusPass:
		fmt.Println("arc=pass, oldest-pass", res.OldestPass, "trusted", res.Trusted)
	case arc.StatusFail:
		fmt.Printf("arc=fail at i=%d: %s\n", res.FailedInstance, res.Explanation)
	case arc.StatusNone:
		fmt.Println("arc=none")
	}
	for _, s := range res.Sets {
		fmt.Printf("i=%d sealed by %s, saw spf=%s dkim=%s dmarc=%s\n", s.Instance, s.Sealer, s.Saw.SPF, s.Saw.DKIM, s.Saw.DMARC)
	}
}

// Offline validation needs no DNS: structure, recorded results and body
// hashes only.
func ExampleValidate_offline() {
	msg := "ARC-Seal: i=2; a=rsa-sha256; cv=none; d=example.org; s=s; b=YWJj\r\n" +
		"ARC-Message-Signature: i=2; a=rsa-sha256; d=example.org; s=s; h=from; bh=YWJj; b=YWJj\r\n" +
		"ARC-Authentication-Results: i=2; mx.example.org; spf=pass smtp.mailfrom=a@example.org\r\n" +
		"From: a@example.org\r\n\r\nbody\r\n"
	res, err := arc.Validate(context.Background(), nil, strings.NewReader(msg), arc.Options{Offline: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Reason, res.FailedInstance)
	// Output: fail instance-gap 1
}

// ForwardingFinding explains a DMARC failure that a passing chain
// accounts for.
func ExampleForwardingFinding() {
	res := &arc.Result{
		Status:  arc.StatusPass,
		Trusted: true,
		Sets: []arc.SetResult{{
			Instance: 1,
			Sealer:   "lists.example.net",
			Saw: arc.HopView{
				AuthServID:  "lists.example.net",
				DKIM:        "pass",
				DKIMDomains: []string{"example.com"},
			},
		}},
	}
	f := arc.ForwardingFinding(res, "example.com", false)
	fmt.Println(f.Severity, f.Code)
	// Output: low arc-forwarding-override
}
