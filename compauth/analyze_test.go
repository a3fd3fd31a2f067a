package compauth

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/finding"

	"github.com/authlens/authlens/internal/testshared"
)

func TestAnalyzeTestdata(t *testing.T) {
	t.Run("smtp-auth-internal", func(t *testing.T) {
		r := Analyze(headersOf(readTestdata(t, "smtp-auth-internal.txt")), Options{})
		if r.Compauth != nil {
			t.Errorf("unexpected compauth %+v", r.Compauth)
		}
		s := r.Submission
		if s == nil || s.AuthAs != AuthAsInternal || s.Mechanism == nil || s.Mechanism.Name != "TLSAuthLogin" {
			t.Fatalf("submission = %+v", s)
		}
		findingByCode(t, r.Findings, "ms-smtp-auth-submission")
		a := r.Antispam
		if a == nil || a.SCL.Value != 1 || a.PCL.Value != 2 || *a.Microsoft.BCL != 0 || a.Forefront.Verdict != "SKI" || a.MailboxDelivery.Destination != "I" {
			t.Errorf("antispam = %+v", a)
		}
		if len(r.Problems) != 0 {
			t.Errorf("problems: %v", r.Problems)
		}
	})
	t.Run("spoof-inbound", func(t *testing.T) {
		r := Analyze(headersOf(readTestdata(t, "spoof-inbound.txt")), Options{})
		c := r.Compauth
		if c == nil || c.Recorded.Result != ResultFail || c.Recorded.Reason != "000" {
			t.Fatalf("compauth = %+v (the top-most field must win)", c)
		}
		if c.EstimateFrom != "authentication-results" || c.Estimate.Reason != "000" || c.Comparison.Agreement != AgreementMatch {
			t.Errorf("estimate %+v, comparison %+v", c.Estimate, c.Comparison)
		}
		for _, code := range []finding.Code{CodeCompauthFail, CodeSpamVerdict, CodeSpoofCategory, CodeSCLSpam, CodeBCLHigh, CodeSafetyTip, CodePCLSuspicious, CodeJunkFolder} {
			findingByCode(t, r.Findings, code)
		}
		if f := findingByCode(t, r.Findings, CodeCompauthFail); f.Severity != finding.High {
			t.Errorf("fail 000 severity %s", f.Severity)
		}
		last := r.Antispam.Forefront.Fields[len(r.Antispam.Forefront.Fields)-1]
		if last.Key != "XYZ" || last.Known {
			t.Errorf("unknown key not kept: %+v", last)
		}
		if r.Submission.AuthAs != AuthAsAnonymous {
			t.Errorf("AuthAs = %q", r.Submission.AuthAs)
		}
	})
	t.Run("caller inputs", func(t *testing.T) {
		in := &Inputs{DMARCResult: "fail", DMARCPolicy: "reject", ARCResult: "pass", ARCTrusted: true}
		r := Analyze(headersOf(readTestdata(t, "spoof-inbound.txt")), Options{Inputs: in})
		c := r.Compauth
		if c.EstimateFrom != "inputs" || c.Estimate.Reason != "130" || c.Comparison.Agreement != AgreementDiffers {
			t.Errorf("estimate %+v, comparison %+v", c.Estimate, c.Comparison)
		}
		findingByCode(t, r.Findings, CodeImplicitVerdict)
	})
	t.Run("JSON names", func(t *testing.T) {
		r := Analyze(headersOf(readTestdata(t, "spoof-inbound.txt")), Options{})
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{`"compauth":`, `"antispam":`, `"submission":`, `"findings":`, `"next_steps":`, `"auth_as":"Anonymous"`} {
			if !strings.Contains(string(b), k) {
				t.Errorf("JSON lacks %s", k)
			}
		}
	})
	t.Run("no Microsoft fields", func(t *testing.T) {
		r := Analyze(headersOf([]byte("From: a@example.org\nSubject: hi\n\nbody\n")), Options{})
		if r.Compauth != nil || r.Antispam != nil || r.Submission != nil || len(r.Findings) != 0 {
			t.Errorf("got %+v", r)
		}
	})
}

// TestAnalyzeSamples checks real messages from the shared samples.
func TestAnalyzeSamples(t *testing.T) {
	t.Run("microsoft-1", func(t *testing.T) {
		r := Analyze(headersOf(testshared.File(t, "samples/microsoft-1.eml")), Options{})
		c := r.Compauth
		if c == nil || c.Recorded.Result != ResultSoftPass || c.Recorded.Reason != "202" || c.Recorded.Class != "2xx" {
			t.Fatalf("compauth = %+v", c)
		}
		// spf=none, dkim=none, dmarc=fail action=none: explicit
		// authentication gives fail 001; the soft pass is implicit.
		if c.Estimate.Result != ResultFail || c.Estimate.Reason != "001" || c.Comparison.Agreement != AgreementDiffers {
			t.Errorf("estimate %+v, comparison %+v", c.Estimate, c.Comparison)
		}
		ff := r.Antispam.Forefront
		if ff.ConnectingIP != "185.132.181.12" || ff.IPFilter != "CAL" || ff.Verdict != "NSPM" || ff.Category != "NONE" || ff.Direction != "INB" || *ff.SCL != -1 {
			t.Errorf("forefront = %+v", ff)
		}
		if len(ff.Fields) != 12 {
			t.Errorf("%d forefront fields, want 12", len(ff.Fields))
		}
		f := findingByCode(t, r.Findings, CodeIPAllowList)
		if !strings.Contains(f.Message, "185.132.181.12") {
			t.Errorf("IPV:CAL finding %q", f.Message)
		}
		findingByCode(t, r.Findings, CodeCompauthSoftPass)
		findingByCode(t, r.Findings, CodeSCLSkipped)
		if r.Antispam.SCL.Value != -1 || *r.Antispam.Microsoft.BCL != 0 || r.Antispam.MailboxDelivery.Destination != "I" {
			t.Errorf("antispam = %+v", r.Antispam)
		}
		s := r.Submission
		if s.AuthAs != AuthAsAnonymous || s.AuthSource != "LO2GBR01FT016.eop-gbr01.prod.protection.outlook.com" || s.Mechanism != nil || s.CrossTenantAuthAs != AuthAsAnonymous {
			t.Errorf("submission = %+v", s)
		}
	})
	t.Run("exchange-onprem-1", func(t *testing.T) {
		r := Analyze(headersOf(testshared.File(t, "samples/exchange-onprem-1.eml")), Options{})
		s := r.Submission
		if s == nil || s.AuthAs != AuthAsAnonymous || s.AuthSource != "APCNHUB11.correo.local" || s.Mechanism != nil {
			t.Fatalf("submission = %+v", s)
		}
		if r.Compauth != nil || r.Antispam != nil {
			t.Errorf("unexpected Microsoft verdicts: %+v", r)
		}
		if slices.ContainsFunc(r.Findings, func(f finding.Finding) bool { return f.Severity != finding.Info }) {
			t.Errorf("findings %v", r.Findings)
		}
	})
	t.Run("microsoft-3", func(t *testing.T) {
		r := Analyze(headersOf(testshared.File(t, "samples/microsoft-3.eml")), Options{})
		ff := r.Antispam.Forefront
		if ff.Direction != "OUT" || ff.ConnectingIP != "255.255.255.255" || ff.IPFilter != "NLI" || *ff.SCL != 1 {
			t.Errorf("forefront = %+v", ff)
		}
		if f := ff.Fields[len(ff.Fields)-1]; f.Key != "SFP" || f.Value != "1101" || f.Confidence != ConfidenceUnknown {
			t.Errorf("SFP = %+v", f)
		}
		if r.Submission.CrossTenantAuthAs != AuthAsInternal || r.Submission.AuthAs != "" {
			t.Errorf("submission = %+v", r.Submission)
		}
		findingByCode(t, r.Findings, "ms-cross-tenant-internal")
		// Its Authentication-Results has no compauth (outbound copy).
		if r.Compauth != nil {
			t.Errorf("compauth = %+v", r.Compauth)
		}
	})
	t.Run("gmail-4", func(t *testing.T) {
		r := Analyze(headersOf(testshared.File(t, "samples/gmail-4.eml")), Options{})
		if r.Submission.CrossTenantAuthAs != AuthAsAnonymous || r.Submission.CrossTenantAuthSource != "VI1EUR04FT008.eop-eur04.prod.protection.outlook.com" {
			t.Errorf("submission = %+v", r.Submission)
		}
		if r.Antispam == nil || *r.Antispam.Microsoft.BCL != 0 {
			t.Errorf("antispam = %+v", r.Antispam)
		}
		if r.Compauth != nil {
			t.Errorf("Gmail's Authentication-Results has no compauth, got %+v", r.Compauth)
		}
	})
}

func TestParseCompauth(t *testing.T) {
	tests := []struct {
		value, result, reason string
		ok                    bool
	}{
		{"spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org; dkim=pass (signature was verified) header.d=example.org;dmarc=pass action=none header.from=example.org;compauth=pass reason=100", "pass", "100", true},
		{"spf=pass smtp.mailfrom=fastmail.com; outlook.com; dkim=pass header.d=fastmail.com;outlook.com; dmarc=pass action=none header.from=fastmail.com;compauth=pass reason=109", "pass", "109", true},
		{"mx.google.com; dkim=pass header.i=@example.org", "", "", false},
		{"compauth=fail (comment reason=999) reason=001", "fail", "001", true},
	}
	for _, tc := range tests {
		t.Run(tc.result+tc.reason, func(t *testing.T) {
			r, reason, ok := ParseCompauth(tc.value)
			if r != tc.result || reason != tc.reason || ok != tc.ok {
				t.Errorf("got %q %q %v", r, reason, ok)
			}
		})
	}
}

func TestMentionsCompauth(t *testing.T) {
	for v, want := range map[string]bool{
		"spf=pass; compauth=pass reason=100":    true,
		"spf=pass; CompAuth=fail reason=001":    true,
		"mx.google.com; dkim=pass header.i=@x":  false,
		"":                                      false,
		"compaut":                               false,
		"dmarc=pass action=none; COMPAUTH=none": true,
	} {
		if got := mentionsCompauth(v); got != want {
			t.Errorf("mentionsCompauth(%q) = %v, want %v", v, got, want)
		}
	}
}
