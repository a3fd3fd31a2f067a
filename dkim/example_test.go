package dkim_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/dkim"
)

// Verify a message and explain each signature's result.
func ExampleVerify() {
	msg := "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=gone; c=relaxed/relaxed;\r\n" +
		"\th=From:Subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n" +
		"From: joe@example.com\r\n" +
		"Subject: hello\r\n" +
		"\r\n"
	// Verify as of the delivery time, e.g. for an archived message.
	delivered := time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC)
	results, err := dkim.Verify(context.Background(), noKeys{}, strings.NewReader(msg), dkim.Options{
		Now: func() time.Time { return delivered },
	})
	if err != nil {
		fmt.Println("unreadable message:", err)
		return
	}
	if len(results) == 0 {
		fmt.Println("dkim=none")
	}
	for _, r := range results {
		switch r.Status {
		case dkim.StatusPass:
			fmt.Println("pass for", r.Signature.Domain, "aligned:", dkim.Aligned(r.Signature.Domain, "example.com", align.ModeRelaxed))
		case dkim.StatusTempError:
			fmt.Println("try again later:", r.Reason)
		default:
			fmt.Println(r.Status, r.Reason, "body intact:", r.BodyIntact())
		}
		for _, w := range r.Warnings {
			fmt.Println("warning:", w.Code)
		}
	}
	// Output:
	// permerror key-not-found body intact: true
	// warning: from-not-oversigned
}

// Check offline whether bodies changed since signing.
func ExampleCheckBodies() {
	msg := "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; c=relaxed/relaxed;\r\n" +
		"\th=From; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n" +
		"From: joe@example.com\r\n" +
		"\r\n" +
		"a footer added by a list\r\n"
	checks, err := dkim.CheckBodies(strings.NewReader(msg))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range checks {
		fmt.Println(c.Signature.Domain, "intact:", c.Intact)
	}
	// Output:
	// example.com intact: false
}

// Read the header block once and verify from the parsed message, as a
// caller does that also checks ARC (arc.ValidateMessage takes the same
// Message) or parsed the message itself (build a dkim.Message from its
// fields and body).
func ExampleVerifyMessage() {
	raw := "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=gone; c=relaxed/relaxed;\r\n" +
		"\th=From:From; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n" +
		"From: joe@example.com\r\n" +
		"\r\n"
	msg, err := dkim.ReadMessage(strings.NewReader(raw))
	if err != nil {
		fmt.Println("unreadable message:", err)
		return
	}
	for _, f := range msg.Header {
		fmt.Println("field:", f.Name)
	}
	results, err := dkim.VerifyMessage(context.Background(), noKeys{}, msg, dkim.Options{})
	if err != nil {
		fmt.Println("unreadable message:", err)
		return
	}
	for _, r := range results {
		fmt.Println(r.Status, r.Reason)
	}
	// Output:
	// field: DKIM-Signature
	// field: From
	// permerror key-not-found
}

// Parse a key record.
func ExampleParseKey() {
	k, err := dkim.ParseKey("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(k.Type, k.Bits)
	// Output:
	// ed25519 256
}

// noKeys is a resolver that knows no key; *net.Resolver would do in
// production.
type noKeys struct{}

func (noKeys) LookupTXT(_ context.Context, name string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

var _ dkim.Resolver = (*net.Resolver)(nil)
