package authlens

import (
	"context"
	"github.com/authlens/authlens/finding"
	"slices"
	"strings"
	"testing"
)

func analyzeText(t *testing.T, text string) *Report {
	t.Helper()
	rep, err := AnalyzeBytes(context.Background(), []byte(strings.TrimLeft(text, "\n")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func findingCodes(r *Report) []finding.Code {
	var out []finding.Code
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

// A receiver's dmarc=pass for another header.from domain does not
// authenticate the From domain a mail client shows.
func TestDMARCPassForAnotherDomain(t *testing.T) {
	r := analyzeText(t, `
Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@lookalike.example.org; dkim=pass header.d=lookalike.example.org; dmarc=pass header.from=lookalike.example.org
From: Bank <service@bank.example.com>
Subject: x
`)
	if r.Verdict.Status == VerdictPass {
		t.Errorf("verdict %s: %s", r.Verdict.Status, r.Verdict.Summary)
	}
	if !slices.Contains(findingCodes(r), CodeDMARCOtherDomain) {
		t.Errorf("findings %v, want %s", findingCodes(r), CodeDMARCOtherDomain)
	}
	// The same header.from written in another letter case is the same domain.
	r = analyzeText(t, `
Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=a@bank.example.com; dmarc=pass header.from=Bank.Example.COM
From: service@bank.example.com
`)
	if r.Verdict.Status != VerdictPass || slices.Contains(findingCodes(r), CodeDMARCOtherDomain) {
		t.Errorf("verdict %s, findings %v", r.Verdict.Status, findingCodes(r))
	}
}

// When the trusted receiver's own composite verdict is a fail, the
// headline does not read milder than it.
func TestCompauthFailHeadline(t *testing.T) {
	r := analyzeText(t, `
Authentication-Results: spf=pass (sender IP is 203.0.113.9) smtp.mailfrom=mailer.example.org; dkim=pass (signature was verified) header.d=mailer.example.org;dmarc=none action=none header.from=payroll.example.com;compauth=fail reason=601
X-Forefront-Antispam-Report: CIP:203.0.113.9;CTRY:US;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:mailer.example.org;PTR:;CAT:SPOOF;SFS:;DIR:INB;
X-MS-Exchange-Organization-SCL: 5
From: payroll@payroll.example.com
Subject: x
`)
	if r.Verdict.Status != VerdictFail || !strings.Contains(r.Verdict.Summary, "compauth=fail") {
		t.Errorf("verdict %s: %s", r.Verdict.Status, r.Verdict.Summary)
	}
	if strings.Count(r.Verdict.Summary, "compauth=") != 1 {
		t.Errorf("compauth said more than once: %s", r.Verdict.Summary)
	}
}

// Microsoft's undocumented action= values are kept and said to be
// undocumented, not dropped.
func TestUndocumentedMicrosoftAction(t *testing.T) {
	r := analyzeText(t, `
Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=bank.example.com; dkim=none (message not signed) header.d=none;dmarc=fail action=opctreject header.from=bank.example.com;compauth=fail reason=000
From: a@bank.example.com
`)
	if r.DMARC == nil || r.DMARC.Action != "opctreject" {
		t.Fatalf("dmarc = %+v, want action opctreject kept", r.DMARC)
	}
	if !slices.Contains(findingCodes(r), CodeDMARCActionUndocumented) {
		t.Errorf("findings %v, want %s", findingCodes(r), CodeDMARCActionUndocumented)
	}
	r = analyzeText(t, `
Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=bank.example.com; dmarc=fail action=oreject header.from=bank.example.com;compauth=fail reason=000
From: a@bank.example.com
`)
	if r.DMARC == nil || r.DMARC.Action != "oreject" || r.DMARC.Policy != "reject" || slices.Contains(findingCodes(r), CodeDMARCActionUndocumented) {
		t.Errorf("dmarc = %+v, findings %v", r.DMARC, findingCodes(r))
	}
}

// For a null sender SPF checks the HELO name, and DMARC aligns that name
// (RFC 7208, section 2.4; RFC 7489, section 4.1).
func TestNullSenderHELOAligns(t *testing.T) {
	r := analyzeText(t, `
Return-Path: <>
Authentication-Results: mx.example.net; spf=pass smtp.helo=mail.bounces.example.com; dmarc=pass header.from=bounces.example.com
From: MAILER-DAEMON@bounces.example.com
`)
	if r.SPF == nil || !r.SPF.Aligned || slices.Contains(findingCodes(r), CodeSPFNotAligned) {
		t.Errorf("spf %+v, findings %v: the HELO name aligns", r.SPF, findingCodes(r))
	}
	if r.Verdict.Status != VerdictPass {
		t.Errorf("verdict %s: %s", r.Verdict.Status, r.Verdict.Summary)
	}
}
