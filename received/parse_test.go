package received

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  Hop // Raw, Comments and Date are not compared here
		date  string
		auth  bool
		proto Protocol
	}{
		{
			name: "Postfix",
			value: "from mail.example.org (mail.example.org [192.0.2.25])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n" +
				"\tby mx.example.net (Postfix) with ESMTPS id 4F1A2C0092\r\n\tfor <bob@example.net>; Tue, 24 Oct 2023 00:25:13 -0400 (EDT)",
			want:  Hop{From: "mail.example.org", HELO: "mail.example.org", ReverseDNS: "mail.example.org", IP: "192.0.2.25", By: "mx.example.net", With: "ESMTPS", ID: "4F1A2C0092", For: "bob@example.net"},
			date:  "2023-10-24T04:25:13Z",
			proto: ProtocolESMTPS,
		},
		{
			name:  "Postfix unknown rDNS and IPv6 submission",
			value: "from [192.168.1.20] (unknown [IPv6:2001:db8:5::1])\r\n\tby smtp.example.net (Postfix) with ESMTPSA id 9A0B1C2D3E;\r\n\tWed, 4 Mar 2026 18:02:11 +0100 (CET)",
			want:  Hop{From: "[192.168.1.20]", HELO: "[192.168.1.20]", IP: "2001:db8:5::1", By: "smtp.example.net", With: "ESMTPSA", ID: "9A0B1C2D3E"},
			date:  "2026-03-04T17:02:11Z",
			auth:  true, proto: ProtocolESMTPSA,
		},
		{
			name:  "Postfix IPv6 client",
			value: "from client.example (unknown [IPv6:2001:db8:5::1]) by smtp.example.net (Postfix) with ESMTP id 1; Wed, 4 Mar 2026 18:02:11 +0100",
			want:  Hop{From: "client.example", HELO: "client.example", IP: "2001:db8:5::1", By: "smtp.example.net", With: "ESMTP", ID: "1"},
			date:  "2026-03-04T17:02:11Z",
			proto: ProtocolESMTP,
		},
		{
			name:  "Exim authenticated",
			value: "from host-198-51-100-7.isp.example ([198.51.100.7] helo=laptop)\r\n\tby mail.example.com with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.97)\r\n\t(envelope-from <carol@example.com>)\r\n\tid 1tXyZa-000ABC-2q;\r\n\tMon, 02 Feb 2026 11:00:00 +0000",
			want:  Hop{From: "host-198-51-100-7.isp.example", HELO: "laptop", ReverseDNS: "host-198-51-100-7.isp.example", IP: "198.51.100.7", By: "mail.example.com", With: "esmtpsa", ID: "1tXyZa-000ABC-2q"},
			date:  "2026-02-02T11:00:00Z",
			auth:  true, proto: ProtocolESMTPSA,
		},
		{
			name:  "Exim literal with port",
			value: "from [203.0.113.9]:53122 (helo=mailer) by mx.example.com with esmtp (Exim 4.96) id 1a; Sun, 1 Feb 2026 10:00:00 +0000",
			want:  Hop{From: "[203.0.113.9]:53122", HELO: "mailer", IP: "203.0.113.9", By: "mx.example.com", With: "esmtp", ID: "1a"},
			date:  "2026-02-01T10:00:00Z",
			proto: ProtocolESMTP,
		},
		{
			name: "Exchange Online",
			value: "from mail.example.org (192.0.2.50) by\r\n AM4PEPF00012345.mail.protection.outlook.com (10.167.16.70) with Microsoft SMTP\r\n" +
				" Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id\r\n 15.20.8000.1 via Frontend Transport; Tue, 3 Mar 2026 10:15:01 +0000",
			want:  Hop{From: "mail.example.org", HELO: "mail.example.org", IP: "192.0.2.50", By: "AM4PEPF00012345.mail.protection.outlook.com", With: "Microsoft SMTP Server", Via: "Frontend Transport", ID: "15.20.8000.1"},
			date:  "2026-03-03T10:15:01Z",
			proto: ProtocolExchange,
		},
		{
			name:  "Exchange MAPI",
			value: "from DB9PR01MB0001.eurprd01.prod.exchangelabs.com ([fe80::1234:5678:9abc:def0]) by DB9PR01MB0001.eurprd01.prod.exchangelabs.com ([fe80::1234:5678:9abc:def0%5]) with mapi id 15.20.8000.5; Tue, 3 Mar 2026 10:15:00 +0000",
			want:  Hop{From: "DB9PR01MB0001.eurprd01.prod.exchangelabs.com", HELO: "DB9PR01MB0001.eurprd01.prod.exchangelabs.com", IP: "fe80::1234:5678:9abc:def0", By: "DB9PR01MB0001.eurprd01.prod.exchangelabs.com", With: "mapi", ID: "15.20.8000.5"},
			date:  "2026-03-03T10:15:00Z",
			proto: ProtocolMAPI,
		},
		{
			name:  "Gmail",
			value: "from mail-sor-f69.google.com (mail-sor-f69.google.com. [209.85.220.69])\r\n        by mx.google.com with SMTPS id a1sor123.45.2026.03.01.08.00.00\r\n        for <dan@gmail.com>\r\n        (Google Transport Security);\r\n        Sun, 01 Mar 2026 08:00:00 -0800 (PST)",
			want:  Hop{From: "mail-sor-f69.google.com", HELO: "mail-sor-f69.google.com", ReverseDNS: "mail-sor-f69.google.com.", IP: "209.85.220.69", By: "mx.google.com", With: "SMTPS", ID: "a1sor123.45.2026.03.01.08.00.00", For: "dan@gmail.com"},
			date:  "2026-03-01T16:00:00Z",
			proto: ProtocolSMTPS,
		},
		{
			name:  "Gmail internal",
			value: "by 2002:a05:6a10:1234:b0:5c1:0:0 with SMTP id abc123csp456;\r\n        Sun, 1 Mar 2026 08:00:01 -0800 (PST)",
			want:  Hop{By: "2002:a05:6a10:1234:b0:5c1:0:0", With: "SMTP", ID: "abc123csp456"},
			date:  "2026-03-01T16:00:01Z",
			proto: ProtocolSMTP,
		},
		{
			name:  "qmail network",
			value: "from unknown (HELO mail.example.info) (198.51.100.77)\r\n  by mx.example.org with SMTP; 12 Mar 2026 09:00:00 -0000",
			want:  Hop{From: "unknown", HELO: "mail.example.info", IP: "198.51.100.77", By: "mx.example.org", With: "SMTP"},
			date:  "2026-03-12T09:00:00Z",
			proto: ProtocolSMTP,
		},
		{
			name:  "qmail local",
			value: "(qmail 4711 invoked by uid 89); 12 Mar 2026 09:00:00 -0000",
			want:  Hop{},
			date:  "2026-03-12T09:00:00Z",
		},
		{
			name:  "Sendmail may be forged",
			value: "from helo.example.com (host.example.net [192.0.2.8] (may be forged))\r\n\tby mail.example.org (8.17.1/8.17.1) with ESMTP id 52CABCDE012345\r\n\tfor <eve@example.org>; Thu, 12 Mar 2026 10:00:00 +0100",
			want:  Hop{From: "helo.example.com", HELO: "helo.example.com", ReverseDNS: "host.example.net", IP: "192.0.2.8", By: "mail.example.org", With: "ESMTP", ID: "52CABCDE012345", For: "eve@example.org"},
			date:  "2026-03-12T09:00:00Z",
			proto: ProtocolESMTP,
		},
		{
			name:  "Sendmail submit",
			value: "(from www-data@localhost)\tby web.example.org (8.15.2/8.15.2/Submit) id 52C9xyz;\tThu, 12 Mar 2026 09:00:00 GMT",
			want:  Hop{By: "web.example.org", ID: "52C9xyz"},
			date:  "2026-03-12T09:00:00Z",
		},
		{
			name:  "UTF8 authenticated",
			value: "from phone.example ([2001:db8::99]) by smtp.example.jp with UTF8SMTPSA id x1; Fri, 13 Mar 2026 12:00 +0900",
			want:  Hop{From: "phone.example", HELO: "phone.example", IP: "2001:db8::99", By: "smtp.example.jp", With: "UTF8SMTPSA", ID: "x1"},
			date:  "2026-03-13T03:00:00Z",
			auth:  true, proto: ProtocolUTF8SMTPSA,
		},
		{
			name:  "Cyrus LMTPA",
			value: "from compute1.internal (compute1.internal [10.0.0.1]) by store1 (Cyrus 3.9) with LMTPA; Tue, 24 Oct 2023 00:25:14 -0400",
			want:  Hop{From: "compute1.internal", HELO: "compute1.internal", ReverseDNS: "compute1.internal", IP: "10.0.0.1", By: "store1", With: "LMTPA"},
			date:  "2023-10-24T04:25:14Z",
			auth:  true, proto: ProtocolLMTPA,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Parse(tc.value)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := *h
			got.Raw, got.Comments, got.Date, got.DateText = "", nil, time.Time{}, ""
			if got.From != tc.want.From || got.HELO != tc.want.HELO || got.ReverseDNS != tc.want.ReverseDNS || got.IP != tc.want.IP ||
				got.By != tc.want.By || got.With != tc.want.With || got.Via != tc.want.Via || got.ID != tc.want.ID || got.For != tc.want.For {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if h.Raw != tc.value {
				t.Error("Raw not kept")
			}
			if d := h.Date.UTC().Format(time.RFC3339); d != tc.date {
				t.Errorf("Date = %s, want %s", d, tc.date)
			}
			if h.Authenticated() != tc.auth {
				t.Errorf("Authenticated() = %v, want %v", h.Authenticated(), tc.auth)
			}
			if h.Protocol() != tc.proto {
				t.Errorf("Protocol() = %q, want %q", h.Protocol(), tc.proto)
			}
		})
	}
}

func TestParseComments(t *testing.T) {
	h, err := Parse("from a.example (a.example [192.0.2.1]) by b.example (Postfix) with ESMTPS (version=TLS1_3 cipher=X) id 1 for <x@b.example> (Google Transport Security); Mon, 2 Feb 2026 10:00:00 +0000")
	if err != nil {
		t.Fatal(err)
	}
	want := []Comment{{"from", "a.example [192.0.2.1]"}, {"by", "Postfix"}, {"with", "version=TLS1_3 cipher=X"}, {"for", "Google Transport Security"}}
	if !slices.Equal(h.Comments, want) {
		t.Errorf("Comments = %v, want %v", h.Comments, want)
	}
	if h.software() != "Postfix" {
		t.Errorf("software = %q", h.software())
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		wantErr error
		partial func(*Hop) bool
	}{
		{"empty", "  \r\n ", ErrEmpty, nil},
		{"missing date", "from a.example (a.example [192.0.2.1]) by b.example with ESMTP id 77", ErrNoDate,
			func(h *Hop) bool { return h.By == "b.example" && h.IP == "192.0.2.1" }},
		{"empty date", "by b.example with SMTP;  ", ErrNoDate, func(h *Hop) bool { return h.By == "b.example" }},
		{"bad date", "by b.example with SMTP; yesterday afternoon", ErrDate, func(h *Hop) bool { return h.With == "SMTP" }},
		{"impossible day", "by b.example; 31 Feb 2026 10:00:00 +0000", ErrDate, func(h *Hop) bool { return h.By == "b.example" }},
		{"unclosed comment", "from a.example (a.example [192.0.2.1] by b.example; Mon, 2 Feb 2026 10:00:00 +0000", ErrSyntax,
			func(h *Hop) bool { return h.From == "a.example" && !h.Date.IsZero() }},
		{"garbage", "hello world; not a date", ErrSyntax, func(h *Hop) bool { return h.By == "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Parse(tc.value)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.partial == nil {
				if h != nil {
					t.Errorf("hop = %+v, want nil", h)
				}
				return
			}
			if h == nil || !tc.partial(h) {
				t.Errorf("partial hop wrong: %+v", h)
			}
		})
	}
}

func TestParseMissingSemicolon(t *testing.T) {
	h, err := Parse("from a.example ([192.0.2.1]) by b.example with SMTP id 42 Mon, 2 Feb 2026 10:00:00 +0000")
	if err != nil {
		t.Fatal(err)
	}
	if h.ID != "42" || h.Date.IsZero() || h.DateText != "Mon, 2 Feb 2026 10:00:00 +0000" {
		t.Errorf("got %+v", h)
	}
}
