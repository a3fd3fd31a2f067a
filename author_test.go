package authlens

import (
	"slices"
	"testing"

	"github.com/authlens/authlens/finding"
)

func TestMessageInfo(t *testing.T) {
	r := analyzeText(t, `
Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@example.com; dmarc=pass header.from=example.com
From: =?utf-8?q?J=C3=B6rg?= Example <jorg@example.com>
To: Ann <ann@example.net>, bob@example.net
Reply-To: Jörg <jorg@example.com>
Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=
Date: Mon, 6 Jan 2025 10:00:00 +0000
Message-ID: <1@example.com>
`)
	m := r.Message
	if m == nil || m.Subject != "Grüße" || m.Date != "Mon, 6 Jan 2025 10:00:00 +0000" || m.MessageID != "<1@example.com>" ||
		!slices.Equal(m.To, []string{"ann@example.net", "bob@example.net"}) || len(m.ReplyTo) != 1 || m.ReplyTo[0].Domain != "example.com" {
		t.Fatalf("message = %+v", m)
	}
	if r.From.Name != "Jörg Example" {
		t.Errorf("from name = %q", r.From.Name)
	}
	if c := findingCodes(r); slices.Contains(c, CodeReplyToForeign) || slices.Contains(c, CodeFromLookalike) {
		t.Errorf("findings %v for an ordinary message", c)
	}
}

func TestAuthorLookalikes(t *testing.T) {
	cases := []struct {
		name, from, extra string
		code              finding.Code
		sev               finding.Severity
	}{
		{"reply-to elsewhere, unauthenticated", "ceo@corp.example.com", "Reply-To: ceo.corp@freemail.example.net\n", CodeReplyToForeign, finding.Medium},
		{"display name names another domain", `"service@paypal.com" <alerts@mailer.example.net>`, "", CodeFromLookalike, finding.Medium},
		{"local part names another domain", "paypal.com@mailer.example.net", "", CodeFromLookalike, finding.Medium},
		{"homograph domain", "service@xn--pypal-4ve.com", "", CodeFromLookalike, finding.High},
		{"control characters in the domain", "a@pay\x1b[0mpal.example.com", "", CodeFromDomainUnreadable, finding.High},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := analyzeText(t, "Authentication-Results: mx.example.org; spf=none smtp.mailfrom=x@mailer.example.net\nFrom: "+c.from+"\n"+c.extra+"Subject: x\n")
			i := slices.IndexFunc(r.Findings, func(f finding.Finding) bool { return f.Code == c.code })
			if i < 0 {
				t.Fatalf("findings %v, want %s", findingCodes(r), c.code)
			}
			if r.Findings[i].Severity != c.sev {
				t.Errorf("%s is %s, want %s: %s", c.code, r.Findings[i].Severity, c.sev, r.Findings[i].Message)
			}
			if r.Verdict.Status == VerdictPass {
				t.Errorf("verdict pass")
			}
		})
	}
	// Authenticated mail with a foreign Reply-To is worth a look, no more.
	r := analyzeText(t, `
Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=news@shop.example.com; dmarc=pass header.from=shop.example.com
From: news@shop.example.com
Reply-To: support@helpdesk.example.net
`)
	i := slices.IndexFunc(r.Findings, func(f finding.Finding) bool { return f.Code == CodeReplyToForeign })
	if i < 0 || r.Findings[i].Severity != finding.Low {
		t.Errorf("findings %+v, want a low reply-to-foreign", r.Findings)
	}
}
