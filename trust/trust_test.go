package trust

import (
	"bufio"
	"github.com/authlens/authlens/finding"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/header"
)

// block is a header block for the tests.
type block []header.Field

func (h block) Len() int           { return len(h) }
func (h block) Name(i int) string  { return h[i].Name }
func (h block) Value(i int) string { return h[i].Value() }
func (h block) Line(i int) int     { return h[i].Line }

func parse(t *testing.T, text string) block {
	t.Helper()
	text = strings.ReplaceAll(strings.TrimLeft(text, "\n"), "\t", "    ")
	fields, err := header.Read(bufio.NewReader(strings.NewReader(text+"\n")), header.Limits{})
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	return fields
}

// trustedLines returns the line numbers of the trusted fields.
func trustedLines(b *Boundary) []int {
	var out []int
	for _, f := range b.Fields {
		if f.Trusted {
			out = append(out, f.Line)
		}
	}
	return out
}

func codes(b *Boundary) []finding.Code {
	var out []finding.Code
	for _, f := range b.Findings {
		out = append(out, f.Code)
	}
	return out
}

// Proton writes one field per method at its hop, and one per DKIM
// signature: a second dkim= for another signature is not a repetition.
func TestOneFieldPerMethodAndSignature(t *testing.T) {
	h := parse(t, `
Authentication-Results: mail.protonmail.ch; dkim=pass (Good 2048 bit rsa-sha256 signature) header.d=example.com header.i=@example.com header.a=rsa-sha256
Authentication-Results: mail.protonmail.ch; dkim=pass (Good 2048 bit rsa-sha256 signature) header.d=sendgrid.info header.i=@sendgrid.info header.a=rsa-sha256
Authentication-Results: mail.protonmail.ch; dmarc=pass (Used From Domain Record) header.from=example.com policy.dmarc=none
Authentication-Results: mail.protonmail.ch; spf=pass smtp.mailfrom=bounces.example.com
Authentication-Results: mail.protonmail.ch; arc=none smtp.remote-ip=192.0.2.7
Received: from o1.sendgrid.example (o1.sendgrid.example [192.0.2.7]) by mailin.protonmail.ch with ESMTPS; Mon, 6 Jan 2025 10:00:00 +0000
From: a@example.com`)
	b := Read(h, Options{})
	if got, want := trustedLines(b), []int{1, 2, 3, 4, 5}; !slices.Equal(got, want) {
		t.Errorf("trusted lines = %v, want %v", got, want)
	}
	if slices.Contains(codes(b), CodeForgedAuthservID) {
		t.Errorf("findings %v: one field per method is not forgery", codes(b))
	}
	hdrs, _ := b.Trusted()
	n := 0
	for _, h := range hdrs {
		for range h.Each("dkim") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("trusted dkim results = %d, want 2", n)
	}
	if b.Receiver != "mail.protonmail.ch" {
		t.Errorf("receiver = %q", b.Receiver)
	}
}

// A field that repeats a result the receiver already recorded at its hop
// (the same method, or the same DKIM signature) is not its own.
func TestRepeatedResultIsForged(t *testing.T) {
	cases := map[string]string{
		"same method": `
Authentication-Results: mx.example.net; spf=softfail smtp.mailfrom=bank.example; dmarc=fail header.from=bank.example
Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=bank.example
Received: from x (x [192.0.2.1]) by mx.example.net; Mon, 6 Jan 2025 10:00:00 +0000`,
		"same signature": `
Authentication-Results: mx.example.net; dkim=fail header.d=bank.example header.s=s1 header.b=AbCd
Authentication-Results: mx.example.net; dkim=pass header.d=bank.example header.s=s1 header.b=AbCd
Received: from x (x [192.0.2.1]) by mx.example.net; Mon, 6 Jan 2025 10:00:00 +0000`,
		"below the hop": `
Authentication-Results: mx.example.net; spf=softfail smtp.mailfrom=bank.example
Received: from x (x [192.0.2.1]) by mx.example.net; Mon, 6 Jan 2025 10:00:00 +0000
Authentication-Results: mx.example.net; dkim=pass header.d=bank.example`,
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			b := Read(parse(t, text), Options{})
			if got := trustedLines(b); !slices.Equal(got, []int{1}) {
				t.Errorf("trusted lines = %v, want [1]", got)
			}
			if !slices.Contains(codes(b), CodeForgedAuthservID) {
				t.Errorf("findings %v, want %s", codes(b), CodeForgedAuthservID)
			}
		})
	}
}

// Received-SPF written at the same hop is trusted with the receiver's
// field, above or below it.
func TestReceivedSPFAtTheHop(t *testing.T) {
	h := parse(t, `
Received: from mail-a.example.org (mail-a.example.org [192.0.2.9]) by mx.google.com with ESMTPS id x; Mon, 6 Jan 2025 10:00:01 +0000
Received-SPF: pass (google.com: domain of a@example.org designates 192.0.2.9 as permitted sender) client-ip=192.0.2.9;
Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=a@example.org
Received: from client (client [198.51.100.1]) by mail-a.example.org with ESMTPSA; Mon, 6 Jan 2025 10:00:00 +0000
Received-SPF: none (mail-a.example.org: no record) client-ip=198.51.100.1;`)
	b := Read(h, Options{})
	if got, want := trustedLines(b), []int{2, 3}; !slices.Equal(got, want) {
		t.Errorf("trusted lines = %v, want %v", got, want)
	}
}

// The sender's own Microsoft 365 tenant stamps Authentication-Results on
// the way out (DIR:OUT); a receiver that writes none leaves that field on
// top, and it must not be read as the receiver's verdict.
func TestMicrosoftOutboundIsUpstream(t *testing.T) {
	h := parse(t, `
Received: from NAM12-MW2-obe.outbound.protection.outlook.com (mail-mw2nam12on2073.outbound.protection.outlook.com [40.107.244.73]) by mail.example.org (Postfix) with ESMTPS id 1; Mon, 6 Jan 2025 10:00:03 +0000
Authentication-Results: dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=contoso.example;
Received: from BN9PR03CA0046.namprd03.prod.outlook.com (2603:10b6:408:fb::21) by SJ0PR18MB3916.namprd18.prod.outlook.com with Microsoft SMTP Server; Mon, 6 Jan 2025 10:00:00 +0000
From: a@contoso.example
X-Forefront-Antispam-Report: CIP:255.255.255.255;CTRY:;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:x;PTR:;CAT:NONE;SFS:(13230022);DIR:OUT;SFP:1101;`)
	b := Read(h, Options{})
	if b.Upstream == nil || !b.Upstream.Outbound {
		t.Fatalf("upstream = %+v, want the outbound tenant", b.Upstream)
	}
	if len(trustedLines(b)) != 0 || b.Receiver != "" {
		t.Errorf("trusted %v, receiver %q: an outbound stamp is nobody's verdict", trustedLines(b), b.Receiver)
	}
	if !slices.Contains(codes(b), CodeUpstream) {
		t.Errorf("findings %v, want %s", codes(b), CodeUpstream)
	}
	// Naming the receiver explicitly trusts it wherever it stands.
	b = Read(h, Options{TrustedAuthServIDs: []string{MicrosoftReceiver}})
	if b.Upstream != nil || len(trustedLines(b)) != 1 {
		t.Errorf("with --trust: upstream %+v, trusted %v", b.Upstream, trustedLines(b))
	}
}

// A receiver's verdict is upstream when a Received field above it records
// a hand-off from the receiver's servers to another organization.
func TestHandOffIsUpstream(t *testing.T) {
	h := parse(t, `
Received: from mail.example.net (mail.example.net [203.0.113.5]) by mx.example.com (Postfix) with ESMTPS id 2; Mon, 6 Jan 2025 10:00:05 +0000
Received: from mx.example.net (localhost [127.0.0.1]) by mail.example.net with ESMTP id 1; Mon, 6 Jan 2025 10:00:04 +0000
Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@example.org; dmarc=pass header.from=example.org
Received: from mail-a.example.org (mail-a.example.org [192.0.2.9]) by mx.example.net with ESMTPS; Mon, 6 Jan 2025 10:00:00 +0000`)
	b := Read(h, Options{})
	if b.Upstream == nil || b.Upstream.FinalReceiver != "mx.example.com" || b.Upstream.Receiver != "mx.example.net" {
		t.Fatalf("upstream = %+v", b.Upstream)
	}
	if len(trustedLines(b)) != 0 {
		t.Errorf("trusted %v", trustedLines(b))
	}
}

// An organization's own later hops — local delivery, private names,
// address literals, its other servers — never make its verdict upstream.
func TestInternalHopsAreNotUpstream(t *testing.T) {
	h := parse(t, `
Received: from mx6.messagingengine.com (localhost [127.0.0.1]) by sloti7.internal (Cyrus) with LMTPA; Mon, 6 Jan 2025 10:00:09 +0000
Received: from mx.example.com (mx.example.com [10.0.0.2]) by exch01.corp.local with Microsoft SMTP Server; Mon, 6 Jan 2025 10:00:08 +0000
Received: from mx.example.com (mx.example.com [10.0.0.2]) by 2002:a05:6838:1c3:b0:1a:2b3c with SMTP id x; Mon, 6 Jan 2025 10:00:07 +0000
Received: from gw.example.com (gw.example.com [10.0.0.1]) by store.example.com with ESMTP; Mon, 6 Jan 2025 10:00:06 +0000
Authentication-Results: gw.example.com; spf=pass smtp.mailfrom=a@example.org
Received: from mail-a.example.org (mail-a.example.org [192.0.2.9]) by gw.example.com with ESMTPS; Mon, 6 Jan 2025 10:00:00 +0000`)
	b := Read(h, Options{})
	if b.Upstream != nil {
		t.Fatalf("upstream = %+v, want none", b.Upstream)
	}
	if got := trustedLines(b); !slices.Equal(got, []int{5}) {
		t.Errorf("trusted lines = %v, want [5]", got)
	}
}

func TestNoTrusted(t *testing.T) {
	b := Read(parse(t, "From: a@example.com\nSubject: x"), Options{})
	if !slices.Equal(codes(b), []finding.Code{CodeNoAuthResults}) {
		t.Errorf("findings %v", codes(b))
	}
	b = Read(parse(t, "Authentication-Results: mx.other.example; spf=pass smtp.mailfrom=a@example.com"), Options{TrustedAuthServIDs: []string{"mine.example"}})
	if !slices.Equal(codes(b), []finding.Code{CodeNoTrustedMatch}) || b.Receiver != "" {
		t.Errorf("findings %v, receiver %q", codes(b), b.Receiver)
	}
}

// GMX writes one field per DKIM signature and notes neither selector nor
// b=: two identical results for two signatures of one domain are the
// receiver's own; a third is one too many.
func TestIdenticalResultsForTwoSignatures(t *testing.T) {
	const top = `
Authentication-Results:  gmx.net; dkim=pass header.i=@proxforge.de
Authentication-Results:  gmx.net; dkim=pass header.i=@proxforge.de
`
	const rest = `Received: from mail.proxdocs.de ([159.195.48.175]) by mx-ha.gmx.net (mxgmx117 [212.227.15.9]) with ESMTPS; Mon, 6 Jan 2025 10:00:00 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=proxforge.de; s=202512r; h=From; bh=AAAA; b=AAAA
DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=proxforge.de; s=202512e; h=From; bh=AAAA; b=BBBB
From: a@proxforge.de`
	b := Read(parse(t, top+rest), Options{})
	if got := trustedLines(b); !slices.Equal(got, []int{1, 2}) || slices.Contains(codes(b), CodeForgedAuthservID) {
		t.Errorf("trusted %v, findings %v: one field per signature", got, codes(b))
	}
	b = Read(parse(t, top+"Authentication-Results:  gmx.net; dkim=fail header.i=@proxforge.de\n"+rest), Options{})
	if got := trustedLines(b); !slices.Equal(got, []int{1, 2}) || !slices.Contains(codes(b), CodeForgedAuthservID) {
		t.Errorf("trusted %v, findings %v: a third, contradicting result for two signatures is not the receiver's", got, codes(b))
	}
	// The same outcome written again contradicts nothing.
	b = Read(parse(t, top+"Authentication-Results:  gmx.net; dkim=pass header.i=@proxforge.de\n"+rest), Options{})
	if slices.Contains(codes(b), CodeForgedAuthservID) {
		t.Errorf("findings %v: a repeated identical result is no forgery", codes(b))
	}
}

// The last receiver recorded only SPF, in a Received-SPF field a hop above
// an Authentication-Results field that an earlier system stamped: the
// Received-SPF is the final receiver's record.
func TestReceivedSPFAboveAnEarlierHop(t *testing.T) {
	h := parse(t, `
Received-SPF: none (domain of a2-222.smtp-out.example.com does not designate permitted sender hosts)
Received: from 127.0.0.1 (EHLO a2-222.smtp-out.example.com) (192.0.2.222) by relay2.mail.example.org with SMTP; Mon, 6 Jan 2025 10:00:05 +0000
From: MAILER-DAEMON@example.com
Authentication-Results: spf=none (sender IP is ) smtp.mailfrom=<>;
Received: from a2-222.smtp-out.example.com (192.0.2.222) by NEKO.prod.outlook.com with Microsoft SMTP Server; Mon, 6 Jan 2025 10:00:00 +0000`)
	b := Read(h, Options{})
	if b.Source != KindReceivedSPF || !slices.Equal(trustedLines(b), []int{1}) || !slices.Contains(codes(b), CodeSPFOnly) {
		t.Errorf("source %v, trusted %v, findings %v: want the top Received-SPF", b.Source, trustedLines(b), codes(b))
	}
}

// A Received-SPF without a receiver name, written under the receiver's own
// Received field (its client is the address the field checked), is the
// final receiver's.
func TestNamelessReceivedSPFAtItsHop(t *testing.T) {
	h := parse(t, `
Received: from a27-4.smtp-out.example.com (a27-4.smtp-out.example.com [54.240.27.4]) by inbound-smtp.example.net with SMTP id x; Tue, 1 Mar 2016 09:19:26 +0000
Received-SPF: none (spfCheck: 54.240.27.4 is neither permitted nor denied by domain of a27-4.smtp-out.example.com) client-ip=54.240.27.4; envelope-from=postmaster@a27-4.smtp-out.example.com;
From: MAILER-DAEMON@example.com`)
	if b := Read(h, Options{}); !slices.Equal(trustedLines(b), []int{2}) {
		t.Errorf("trusted %v, findings %v", trustedLines(b), codes(b))
	}
	// Another server's hop above it: not the final receiver's.
	h = parse(t, `
Received: from inbound-smtp.example.net (inbound-smtp.example.net [203.0.113.9]) by mx.example.org with SMTP; Tue, 1 Mar 2016 09:19:27 +0000
Received: from a27-4.smtp-out.example.com (a27-4.smtp-out.example.com [54.240.27.4]) by inbound-smtp.example.net with SMTP id x; Tue, 1 Mar 2016 09:19:26 +0000
Received-SPF: none (spfCheck: 54.240.27.4 is neither permitted nor denied) client-ip=54.240.27.4;
From: MAILER-DAEMON@example.com`)
	if b := Read(h, Options{}); len(trustedLines(b)) != 0 {
		t.Errorf("trusted %v: a Received-SPF below another organization's hop", trustedLines(b))
	}
}
