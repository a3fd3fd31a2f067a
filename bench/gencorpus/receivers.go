package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// Receivers whose trace headers the corpus imitates.
const (
	gmail = iota
	microsoft
	fastmail
	forgedLower
	arcForwarded
)

// receiver returns the header fields a receiver prepends on delivery:
// Received, Authentication-Results and the vendor's own fields. outcome is
// the SPF result the receiver recorded: pass, fail or softfail; DKIM and
// DMARC follow from it.
func (g *generator) receiver(kind int, dom, ip, selector, outcome string, date time.Time) []byte {
	var b bytes.Buffer
	when := date.Add(3 * time.Second).Format(time.RFC1123Z)
	dkimRes, dmarcRes, action, dis := "pass", "pass", "none", "NONE"
	if outcome == "fail" {
		dkimRes, dmarcRes, action, dis = "fail", "fail", "quarantine", "QUARANTINE"
	}
	mailfrom := "bounce@" + dom
	switch kind {
	case gmail, forgedLower:
		ar := fmt.Sprintf("mx.google.com;\r\n       dkim=%s header.i=@%s header.s=%s header.b=%s;\r\n       spf=%s (google.com: domain of %s designates %s as permitted sender) smtp.mailfrom=%s;\r\n       dmarc=%s (p=REJECT sp=REJECT dis=%s) header.from=%s",
			dkimRes, dom, selector, g.token(8), outcome, mailfrom, ip, mailfrom, dmarcRes, dis, dom)
		fmt.Fprintf(&b, "Received: by 2002:a05:6a10:%x:b0:4a1:23ab:cd45 with SMTP id %s;\r\n        %s\r\n", g.rng.IntN(0xffff), g.token(10), when)
		fmt.Fprintf(&b, "ARC-Seal: i=1; a=rsa-sha256; t=%d; cv=none;\r\n        d=google.com; s=arc-20240605;\r\n        b=%s\r\n", date.Unix(), g.token(64))
		fmt.Fprintf(&b, "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20240605;\r\n        h=from:to:subject:date:message-id; bh=%s;\r\n        b=%s\r\n", g.token(44), g.token(64))
		fmt.Fprintf(&b, "ARC-Authentication-Results: i=1; %s\r\n", ar)
		fmt.Fprintf(&b, "Return-Path: <%s>\r\n", mailfrom)
		fmt.Fprintf(&b, "Received: from mail.%s (mail.%s. [%s])\r\n        by mx.google.com with ESMTPS id %s\r\n        for <user@recipient.example>;\r\n        %s\r\n", dom, dom, ip, g.token(12), when)
		fmt.Fprintf(&b, "Received-SPF: %s (google.com: domain of %s designates %s as permitted sender) client-ip=%s;\r\n", outcome, mailfrom, ip, ip)
		fmt.Fprintf(&b, "Authentication-Results: %s\r\n", ar)
		if kind == forgedLower {
			// Written by the sender to look authenticated: below the
			// receiver's own fields, claiming its name.
			fmt.Fprintf(&b, "Authentication-Results: mx.google.com; dkim=pass header.i=@%s; spf=pass smtp.mailfrom=%s; dmarc=pass header.from=%s\r\n", dom, mailfrom, dom)
		}
	case microsoft:
		compauth, reason := "pass", "100"
		if outcome == "fail" {
			compauth, reason = "fail", "000"
		} else if outcome == "softfail" {
			compauth, reason = "softpass", "201"
		}
		scl := 1
		if outcome == "fail" {
			scl = 5
		}
		fmt.Fprintf(&b, "Received: from AM0PR01MB%04d.eurprd01.prod.outlook.com (2603:10a6:208::%x) by AM0PR01MB%04d.eurprd01.prod.outlook.com with HTTPS; %s\r\n", g.rng.IntN(9999), g.rng.IntN(0xffff), g.rng.IntN(9999), when)
		fmt.Fprintf(&b, "Authentication-Results: spf=%s (sender IP is %s)\r\n smtp.mailfrom=%s; dkim=%s (signature was verified)\r\n header.d=%s;dmarc=%s action=%s\r\n header.from=%s;compauth=%s reason=%s\r\n", outcome, ip, dom, dkimRes, dom, dmarcRes, action, dom, compauth, reason)
		fmt.Fprintf(&b, "Received-SPF: %s (protection.outlook.com: domain of %s designates %s as\r\n permitted sender) receiver=protection.outlook.com; client-ip=%s;\r\n helo=mail.%s; pr=C\r\n", strings.ToUpper(outcome[:1])+outcome[1:], dom, ip, ip, dom)
		fmt.Fprintf(&b, "Received: from mail.%s (%s) by AM0PR01MB%04d.mail.protection.outlook.com\r\n (10.167.242.%d) with Microsoft SMTP Server (version=TLS1_3,\r\n cipher=TLS_AES_256_GCM_SHA384) id 15.20.8200.%d; %s\r\n", dom, ip, g.rng.IntN(9999), g.rng.IntN(250), g.rng.IntN(99), when)
		fmt.Fprintf(&b, "X-MS-Exchange-Organization-AuthAs: Anonymous\r\nX-MS-Exchange-Organization-AuthSource: AM0PR01MB%04d.eurprd01.prod.outlook.com\r\n", g.rng.IntN(9999))
		fmt.Fprintf(&b, "X-Forefront-Antispam-Report: CIP:%s;CTRY:US;LANG:en;SCL:%d;SRV:;IPV:NLI;SFV:NSPM;H:mail.%s;PTR:mail.%s;CAT:NONE;SFS:(13230040);DIR:INB;\r\n", ip, scl, dom, dom)
		fmt.Fprintf(&b, "X-Microsoft-Antispam: BCL:0;ARA:13230040;\r\nReturn-Path: %s\r\n", mailfrom)
	case fastmail:
		fmt.Fprintf(&b, "Received: from mx1.messagingengine.com (localhost [127.0.0.1])\r\n\tby mailbox.messagingengine.com (Postfix) with ESMTP id %s\r\n\tfor <user@recipient.example>; %s\r\n", g.token(10), when)
		fmt.Fprintf(&b, "Authentication-Results: mx1.messagingengine.com;\r\n    dkim=%s (%s key) header.d=%s header.i=@%s header.b=%s header.a=%s header.s=%s\r\n", dkimRes, map[string]string{"rsa": "2048-bit rsa", "ed": "256-bit ed25519"}[selector], dom, dom, g.token(8), map[string]string{"rsa": "rsa-sha256", "ed": "ed25519-sha256"}[selector], selector)
		fmt.Fprintf(&b, "Authentication-Results: mx1.messagingengine.com;\r\n    spf=%s smtp.mailfrom=%s smtp.helo=mail.%s\r\n", outcome, mailfrom, dom)
		fmt.Fprintf(&b, "Authentication-Results: mx1.messagingengine.com;\r\n    dmarc=%s policy.published-domain-policy=reject policy.applied-disposition=%s header.from=%s\r\n", dmarcRes, action, dom)
		fmt.Fprintf(&b, "Received-SPF: %s (%s: Sender is authorized to use '%s' in 'mfrom' identity) client-ip=%s\r\n", outcome, dom, mailfrom, ip)
		fmt.Fprintf(&b, "Return-Path: <%s>\r\nReceived: from mail.%s (mail.%s [%s])\r\n\tby mx1.messagingengine.com (Postfix) with ESMTPS\r\n\tfor <user@recipient.example>; %s\r\n", mailfrom, dom, dom, ip, when)
	case arcForwarded:
		// Delivered to a list, which resigned with ARC, then to Gmail.
		fmt.Fprintf(&b, "ARC-Seal: i=2; a=rsa-sha256; t=%d; cv=pass; d=google.com; s=arc-20240605;\r\n        b=%s\r\n", date.Unix(), g.token(64))
		fmt.Fprintf(&b, "ARC-Message-Signature: i=2; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20240605;\r\n        h=from:to:subject; bh=%s; b=%s\r\n", g.token(44), g.token(64))
		fmt.Fprintf(&b, "ARC-Authentication-Results: i=2; mx.google.com;\r\n       dkim=pass header.i=@lists.example.org; arc=pass (i=1 spf=pass dkim=%s dmarc=%s fromdomain=%s);\r\n       spf=pass smtp.mailfrom=list-bounces@lists.example.org; dmarc=%s (p=REJECT dis=NONE arc=pass) header.from=%s\r\n", dkimRes, dmarcRes, dom, dmarcRes, dom)
		fmt.Fprintf(&b, "Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@lists.example.org; arc=pass (i=1 spf=pass dkim=%s dmarc=%s fromdomain=%s);\r\n       spf=pass (google.com: domain of list-bounces@lists.example.org designates 203.0.113.7 as permitted sender) smtp.mailfrom=list-bounces@lists.example.org;\r\n       dmarc=%s (p=REJECT dis=NONE arc=pass) header.from=%s\r\n", dkimRes, dmarcRes, dom, dmarcRes, dom)
		fmt.Fprintf(&b, "Return-Path: <list-bounces@lists.example.org>\r\nReceived: from lists.example.org (lists.example.org. [203.0.113.7])\r\n        by mx.google.com with ESMTPS id %s; %s\r\n", g.token(12), when)
		fmt.Fprintf(&b, "ARC-Seal: i=1; a=rsa-sha256; t=%d; cv=none; d=lists.example.org; s=arc;\r\n        b=%s\r\n", date.Unix(), g.token(64))
		fmt.Fprintf(&b, "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=lists.example.org; s=arc;\r\n        h=from:to:subject; bh=%s; b=%s\r\n", g.token(44), g.token(64))
		fmt.Fprintf(&b, "ARC-Authentication-Results: i=1; lists.example.org;\r\n       dkim=%s header.d=%s header.s=%s; spf=%s smtp.mailfrom=%s; dmarc=%s header.from=%s\r\n", dkimRes, dom, selector, outcome, mailfrom, dmarcRes, dom)
		fmt.Fprintf(&b, "Received: from mail.%s (mail.%s [%s]) by lists.example.org with ESMTPS; %s\r\n", dom, dom, ip, when)
	}
	return b.Bytes()
}

// token returns n random base64 characters, for header.b=, ids and ARC
// signatures that are not verified offline.
func (g *generator) token(n int) string {
	raw := make([]byte, n)
	for i := range raw {
		raw[i] = byte(g.rng.UintN(256))
	}
	return base64.RawURLEncoding.EncodeToString(raw)[:n]
}
