package authlens

import (
	"context"
	"strings"
	"testing"
)

// Outlook.com writes internal hops (IPv6 link-local, its own relays) after
// the one where the message entered; the address it recorded in
// X-Sender-IP or CIP: is the client it saw, and picks the entry hop.
func TestEntryHopFromReceiverRecord(t *testing.T) {
	const head = `Received: from AM0PR02MB1234.eurprd02.prod.outlook.com (fe80::1c2d:3e4f:5a6b:7c8d) by AM0PR02MB5678.eurprd02.prod.outlook.com with HTTPS; Mon, 6 Jan 2025 10:00:09 +0000
Received: from AM6EUR05FT012.eop-eur05.prod.protection.outlook.com (2603:10a6:208:1::aa) by AM0PR02MB1234.eurprd02.prod.outlook.com (2603:10a6:208:2::bb) with Microsoft SMTP Server; Mon, 6 Jan 2025 10:00:08 +0000
Authentication-Results: spf=pass smtp.mailfrom=sender.example.com; dkim=pass (signature was verified) header.d=sender.example.com;dmarc=pass action=none header.from=sender.example.com;compauth=pass reason=100
Received-SPF: Pass (protection.outlook.com: domain of sender.example.com designates 198.51.100.23 as permitted sender) receiver=protection.outlook.com; client-ip=198.51.100.23; helo=mail.sender.example.com;
Received: from mail.sender.example.com (198.51.100.23) by AM6EUR05FT012.mail.protection.outlook.com (10.233.241.112) with Microsoft SMTP Server; Mon, 6 Jan 2025 10:00:07 +0000
Received: from [192.168.10.5] (unknown [10.1.2.3]) by mail.sender.example.com (Postfix) with ESMTPSA id 1; Mon, 6 Jan 2025 10:00:00 +0000
X-Sender-IP: 198.51.100.23
X-Forefront-Antispam-Report: CIP:198.51.100.23;CTRY:DE;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:mail.sender.example.com;PTR:;CAT:NONE;SFS:;DIR:INB;
From: a@sender.example.com
Subject: hello
`
	noSPFIP := strings.NewReplacer("client-ip=198.51.100.23; ", "", "designates 198.51.100.23 as permitted sender", "designates the sender")
	cases := map[string]struct {
		text, ip, from string
	}{
		"received-spf": {head, "198.51.100.23", ipFromReceivedSPF},
		"x-sender-ip":  {noSPFIP.Replace(head), "198.51.100.23", ipFromSenderIP},
		"forefront":    {strings.Replace(noSPFIP.Replace(head), "X-Sender-IP: 198.51.100.23\n", "", 1), "198.51.100.23", ipFromForefront},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			rep, err := AnalyzeBytes(context.Background(), []byte(c.text), Options{})
			if err != nil {
				t.Fatal(err)
			}
			ch := rep.Received
			if ch == nil || ch.EntryClientIP != c.ip || ch.EntryClientIPFrom != c.from {
				t.Fatalf("entry client = %+v, want %s from %s", ch, c.ip, c.from)
			}
			if h := ch.Hops[ch.Entry].Hop; h == nil || !strings.HasPrefix(h.By, "AM6EUR05FT012") {
				t.Errorf("entry hop %d = %+v, want the hop by the protection server", ch.Entry, h)
			}
		})
	}
}

// Addresses in the comments receivers write are found, IPv6 included.
func TestIPInText(t *testing.T) {
	for text, want := range map[string]string{
		"sender IP is 40.107.22.95": "40.107.22.95",
		"google.com: domain of a@b.example designates 2a00:1450:4864:20::22e as permitted sender": "2a00:1450:4864:20::22e",
		"client-ip=192.0.2.4":          "192.0.2.4",
		"no address here, version 1.2": "",
	} {
		ip, ok := ipInComment(text)
		if got := map[bool]string{true: ip.String(), false: ""}[ok]; got != want {
			t.Errorf("ipInComment(%q) = %q, want %q", text, got, want)
		}
	}
}
