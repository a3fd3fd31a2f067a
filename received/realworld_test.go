package received

import (
	"testing"
)

// TestParseRealWorld reads Received fields in the shapes the common
// servers write them (addresses and names changed to documentation ones
// where they were not already) and checks who the client was: the
// address the connection came from (RFC 5321, section 4.4, TCP-info),
// not an address the client named in HELO, and the protocol keyword
// alone.
func TestParseRealWorld(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		from     string
		helo     string
		rdns     string
		ip       string
		with     string
		internal bool
		public   bool
	}{
		{
			name:  "NAT client naming its private address in HELO",
			value: "from [192.168.10.102] (host [70.36.142.124]) by mail.example.net with ESMTPSA id 1; Tue, 3 Mar 2026 10:00:00 +0000",
			from:  "[192.168.10.102]", helo: "[192.168.10.102]", rdns: "host", ip: "70.36.142.124", with: "ESMTPSA", public: true,
		},
		{
			name: "Gmail submission from a home network",
			value: "from [192.168.1.5] (c-73-12-34-56.hsd1.ca.comcast.example. [73.12.34.56])\r\n" +
				"        by smtp.gmail.com with ESMTPSA id d9443c01a7336-1e4c0d3f1a2sm12345675ad.12.2026.03.03.02.00.00\r\n" +
				"        for <bob@example.com>\r\n        (version=TLS1_3 cipher=TLS_AES_128_GCM_SHA256 bits=128/128);\r\n" +
				"        Tue, 03 Mar 2026 02:00:00 -0800 (PST)",
			from: "[192.168.1.5]", helo: "[192.168.1.5]", rdns: "c-73-12-34-56.hsd1.ca.comcast.example.", ip: "73.12.34.56", with: "ESMTPSA", public: true,
		},
		{
			name:  "Gmail inbound",
			value: "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\r\n        by mx.google.com with SMTPS id x12sor1;\r\n        Tue, 03 Mar 2026 02:00:01 -0800 (PST)",
			from:  "mail-sor-f41.google.com", helo: "mail-sor-f41.google.com", rdns: "mail-sor-f41.google.com.", ip: "209.85.220.41", with: "SMTPS", public: true,
		},
		{
			name: "Outlook.com inbound",
			value: "from NAM10-DM6-obe.outbound.protection.outlook.com\r\n (mail-dm6nam10olkn2047.outbound.protection.outlook.com [40.92.41.47])\r\n" +
				" by mx.example.com (Postfix) with ESMTPS id 4Tz1Yx0Z;\r\n Tue,  3 Mar 2026 10:00:02 +0000 (UTC)",
			from: "NAM10-DM6-obe.outbound.protection.outlook.com", helo: "NAM10-DM6-obe.outbound.protection.outlook.com",
			rdns: "mail-dm6nam10olkn2047.outbound.protection.outlook.com", ip: "40.92.41.47", with: "ESMTPS", public: true,
		},
		{
			name: "Microsoft internal hop over IPv6",
			value: "from BN8PR12MB3345.namprd12.prod.outlook.com (2603:10b6:408:6b::22) by\r\n MN2PR12MB4488.namprd12.prod.outlook.com (2603:10b6:208:24e::17) with\r\n" +
				" Microsoft SMTP Server (version=TLS1_2,\r\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7452.28; Tue, 3 Mar 2026\r\n 10:00:00 +0000",
			from: "BN8PR12MB3345.namprd12.prod.outlook.com", helo: "BN8PR12MB3345.namprd12.prod.outlook.com", ip: "2603:10b6:408:6b::22", with: "Microsoft SMTP Server", public: true,
		},
		{
			name:  "Microsoft MAPI submission over link-local IPv6",
			value: "from DM6PR12MB1234.namprd12.prod.outlook.com ([fe80::a1b2:c3d4:e5f6:789%4]) by DM6PR12MB1234.namprd12.prod.outlook.com ([fe80::a1b2:c3d4:e5f6:789%4]) with mapi id 15.20.7452.28; Tue, 3 Mar 2026 09:59:59 +0000",
			from:  "DM6PR12MB1234.namprd12.prod.outlook.com", helo: "DM6PR12MB1234.namprd12.prod.outlook.com", ip: "fe80::a1b2:c3d4:e5f6:789%4", with: "mapi", internal: true,
		},
		{
			name:  "Postfix content filter on loopback",
			value: "from localhost (localhost [127.0.0.1])\r\n\tby mx.example.net (Postfix) with ESMTP id 5B6C7D8E9F\r\n\tfor <bob@example.net>; Tue,  3 Mar 2026 10:00:03 +0000 (UTC)",
			from:  "localhost", helo: "localhost", rdns: "localhost", ip: "127.0.0.1", with: "ESMTP", internal: true,
		},
		{
			name:  "Postfix inbound, no reverse DNS",
			value: "from smtp.example.org (unknown [198.51.100.23])\r\n\tby mx.example.net (Postfix) with ESMTPS id 4F1A;\r\n\tTue,  3 Mar 2026 10:00:04 +0000 (UTC)",
			from:  "smtp.example.org", helo: "smtp.example.org", ip: "198.51.100.23", with: "ESMTPS", public: true,
		},
		{
			name: "Exim submission from a private network",
			value: "from [10.0.0.5] (port=51234 helo=[10.0.0.5])\r\n\tby mail.example.com with esmtpsa  (TLS1.2) tls TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\r\n" +
				"\t(Exim 4.94.2)\r\n\t(envelope-from <carol@example.com>)\r\n\tid 1kABCD-0001Xy-9z; Tue, 03 Mar 2026 10:00:05 +0000",
			from: "[10.0.0.5]", helo: "[10.0.0.5]", ip: "10.0.0.5", with: "esmtpsa", internal: true,
		},
		{
			name:  "TLS details without a comment",
			value: "from mail.example.org ([203.0.113.8]) by mx.example.com with esmtps tls TLS_AES_256_GCM_SHA384 id 1rXYZ; Tue, 03 Mar 2026 10:00:06 +0000",
			from:  "mail.example.org", helo: "mail.example.org", ip: "203.0.113.8", with: "esmtps", public: true,
		},
		{
			name:  "MailEnable",
			value: "from relay.example.org ([198.51.100.61]) by mail.example.net with MailEnable ESMTP; Tue, 3 Mar 2026 10:00:13 +0000",
			from:  "relay.example.org", helo: "relay.example.org", ip: "198.51.100.61", with: "MailEnable ESMTP", public: true,
		},
		{
			name:  "Exim inbound",
			value: "from mail.example.org ([203.0.113.8]:41234 helo=mx1.example.org)\r\n\tby mx.example.com with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.97)\r\n\tid 1rXYZ-00AB; Tue, 03 Mar 2026 10:00:06 +0000",
			from:  "mail.example.org", helo: "mx1.example.org", rdns: "mail.example.org", ip: "203.0.113.8", with: "esmtps", public: true,
		},
		{
			name:  "Sendmail with an ident and a forged-name warning",
			value: "from relay.example.org (IDENT:root@relay.example.org [198.51.100.9] (may be forged))\r\n\tby mail.example.net (8.15.2/8.15.2) with ESMTP id 0A1B2C3D;\r\n\tTue, 3 Mar 2026 10:00:07 +0000",
			from:  "relay.example.org", helo: "relay.example.org", ip: "198.51.100.9", with: "ESMTP", public: true,
		},
		{
			name:  "HELO comment, then TCP-info",
			value: "from client.example (client) (host.isp.example [203.0.113.44]) by mx.example.net with SMTP id 7; Tue, 3 Mar 2026 10:00:08 +0000",
			from:  "client.example", helo: "client.example", rdns: "host.isp.example", ip: "203.0.113.44", with: "SMTP", public: true,
		},
		{
			name:  "qmail",
			value: "from unknown (HELO mail.example.org) (203.0.113.77)\r\n  by mx.example.net with SMTP; 3 Mar 2026 10:00:09 -0000",
			from:  "unknown", helo: "mail.example.org", ip: "203.0.113.77", with: "SMTP", public: true,
		},
		{
			name:  "qmail submission naming a literal in HELO",
			value: "from unknown (HELO [192.168.0.3]) (dave@198.51.100.3)\r\n  by mail.example.net with ESMTPA; 3 Mar 2026 10:00:10 -0000",
			from:  "unknown", helo: "[192.168.0.3]", ip: "198.51.100.3", with: "ESMTPA", public: true,
		},
		{
			name:  "carrier-grade NAT",
			value: "from phone.example (unknown [100.72.1.9]) by smtp.example.net with ESMTPSA id 8; Tue, 3 Mar 2026 10:00:11 +0000",
			from:  "phone.example", helo: "phone.example", ip: "100.72.1.9", with: "ESMTPSA", internal: true,
		},
		{
			name:  "no client address",
			value: "by mail.example.net with LMTP id 9; Tue, 3 Mar 2026 10:00:12 +0000",
			with:  "LMTP",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Parse(tc.value)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if h.From != tc.from || h.HELO != tc.helo || h.ReverseDNS != tc.rdns || h.IP != tc.ip || h.With != tc.with {
				t.Errorf("from %q helo %q rdns %q ip %q with %q\nwant from %q helo %q rdns %q ip %q with %q",
					h.From, h.HELO, h.ReverseDNS, h.IP, h.With, tc.from, tc.helo, tc.rdns, tc.ip, tc.with)
			}
			if h.Internal() != tc.internal || h.Public() != tc.public {
				t.Errorf("Internal() = %v, Public() = %v; want %v, %v", h.Internal(), h.Public(), tc.internal, tc.public)
			}
			if h.Date.IsZero() {
				t.Errorf("date %q unread", h.DateText)
			}
		})
	}
}

func TestHopInternalPublic(t *testing.T) {
	tests := []struct {
		ip               string
		internal, public bool
	}{
		{"127.0.0.1", true, false},
		{"::1", true, false},
		{"10.1.2.3", true, false},
		{"172.16.0.9", true, false},
		{"172.32.0.9", false, true},
		{"192.168.255.1", true, false},
		{"169.254.10.1", true, false},
		{"fe80::1", true, false},
		{"febf::1", true, false},
		{"fec0::1", false, true},
		{"fd12:3456::1", true, false},
		{"::ffff:10.0.0.1", true, false},
		{"::ffff:198.51.100.1", false, true},
		{"100.64.0.1", true, false},
		{"100.127.255.255", true, false},
		{"100.128.0.1", false, true},
		{"0.0.0.0", true, false},
		{"::", true, false},
		{"224.0.0.1", false, false},
		{"2a00:1450:4864:20::52f", false, true},
		{"203.0.113.5", false, true},
		{"", false, false},
		{"not-an-ip", false, false},
	}
	for _, tc := range tests {
		h := &Hop{IP: tc.ip}
		if h.Internal() != tc.internal || h.Public() != tc.public {
			t.Errorf("%q: Internal() = %v, Public() = %v; want %v, %v", tc.ip, h.Internal(), h.Public(), tc.internal, tc.public)
		}
	}
}
