package received_test

import (
	"fmt"
	"time"

	"github.com/authlens/authlens/received"
)

// Parse one Received field: who handed the message over, from which
// address, to which server, and when.
func ExampleParse() {
	h, err := received.Parse("from mail.example.org (mail.example.org [192.0.2.25])\r\n" +
		"\tby mx.example.net (Postfix) with ESMTPS id 4F1A2C0092\r\n" +
		"\tfor <bob@example.net>; Tue, 24 Oct 2023 00:25:13 -0400 (EDT)")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.HELO, h.ReverseDNS, h.Addr())
	fmt.Println(h.By, h.With, h.Protocol().Meaning())
	fmt.Println(h.Date.UTC().Format(time.RFC3339))
	// Output:
	// mail.example.org mail.example.org 192.0.2.25
	// mx.example.net ESMTPS extended SMTP over STARTTLS
	// 2023-10-24T04:25:13Z
}

// Read a message's Received fields, given top to bottom as in the header,
// into the delivery path, oldest hop first, with the delay of each hop
// and where the message entered the receiving organization.
func ExampleParseChain() {
	fields := []string{
		"from mx.example.net (mx.example.net [198.51.100.4]) by mailbox.example.net with LMTP; Tue, 24 Oct 2023 04:25:15 +0000",
		"from mail.example.org (mail.example.org [192.0.2.25]) by mx.example.net (Postfix) with ESMTPS id 4F1A2C0092; Tue, 24 Oct 2023 04:25:13 +0000",
		"from [203.0.113.9] (helo=laptop) by mail.example.org with ESMTPSA; Tue, 24 Oct 2023 04:25:12 +0000",
	}
	now := time.Date(2023, 10, 24, 5, 0, 0, 0, time.UTC)
	c := received.ParseChain(fields, now)
	for i, s := range c.Hops {
		delay := "first dated hop"
		if s.DelayKnown {
			delay = "after " + s.Delay.String()
		}
		fmt.Printf("%d. %s -> %s with %s, %s\n", i, s.Hop.IP, s.Hop.By, s.Hop.With, delay)
	}
	fmt.Println("receiver:", c.ReceiverOrg, "entered at hop", c.Entry, "from", c.EntryClientIP)
	fmt.Println("authenticated submission:", c.Submission.Authenticated)
	// Output:
	// 0. 203.0.113.9 -> mail.example.org with ESMTPSA, first dated hop
	// 1. 192.0.2.25 -> mx.example.net with ESMTPS, after 1s
	// 2. 198.51.100.4 -> mailbox.example.net with LMTP, after 2s
	// receiver: example.net entered at hop 1 from 192.0.2.25
	// authenticated submission: true
}
