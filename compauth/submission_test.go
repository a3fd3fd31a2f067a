package compauth

import (
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/finding"
)

func TestParseMechanism(t *testing.T) {
	tests := []struct {
		code     string
		value    int
		name     string
		smtpAuth bool
		conf     Confidence
	}{
		{"04", 4, "SecureMapiSubmit", false, ConfidenceCode},
		{"05", 5, "SecureInternalSubmit", false, ConfidenceCode},
		{"06", 6, "TLSAuthLogin", true, ConfidenceCode},
		{"07", 7, "Login", true, ConfidenceCode},
		{"0a", 10, "NTLM", true, ConfidenceCode},
		{"0A", 10, "NTLM", true, ConfidenceCode},
		{"0c", 12, "MUTUALGSSAPI", false, ConfidenceInferred},
		{"10", 16, "SecureExternalSubmit", false, ConfidenceCode},
		{"12", 18, "Replay", false, ConfidenceCode},
		{"09", 9, "", false, ConfidenceUnknown},
		{"zz", -1, "", false, ConfidenceUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			m := ParseMechanism(tc.code)
			if m.Value != tc.value || m.Name != tc.name || m.SMTPAuth != tc.smtpAuth || m.Confidence != tc.conf || m.Meaning == "" {
				t.Errorf("ParseMechanism(%q) = %+v", tc.code, m)
			}
		})
	}
}

func TestSubmissionFindings(t *testing.T) {
	tests := []struct {
		name  string
		f     SubmissionFields
		codes []finding.Code
		sev   finding.Severity
	}{
		{"SMTP AUTH over TLS", SubmissionFields{AuthAs: "Internal", AuthMechanism: "06"}, []finding.Code{"ms-smtp-auth-submission"}, finding.Medium},
		{"clear-text LOGIN", SubmissionFields{AuthAs: "Internal", AuthMechanism: "07"}, []finding.Code{"ms-smtp-auth-cleartext"}, finding.High},
		{"externally secured", SubmissionFields{AuthAs: "Internal", AuthMechanism: "10"}, []finding.Code{"ms-externally-secured"}, finding.Low},
		{"Outlook", SubmissionFields{AuthAs: "Internal", AuthMechanism: "04"}, nil, ""},
		{"anonymous", SubmissionFields{AuthAs: "anonymous", AuthSource: "BN8NAM11FT066.eop-nam11.prod.protection.outlook.com"}, nil, ""},
		{"cross-tenant internal", SubmissionFields{CrossTenantAuthAs: "Internal"}, []finding.Code{"ms-cross-tenant-internal"}, finding.Info},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSubmission(tc.f)
			fs := s.Findings()
			if !slices.Equal(findingCodes(fs), tc.codes) {
				t.Fatalf("findings %v, want %v", findingCodes(fs), tc.codes)
			}
			if len(fs) > 0 && fs[0].Severity != tc.sev {
				t.Errorf("severity %s, want %s", fs[0].Severity, tc.sev)
			}
		})
	}
	if NewSubmission(SubmissionFields{}) != nil {
		t.Error("NewSubmission of nothing is not nil")
	}
	s := NewSubmission(SubmissionFields{AuthAs: "anonymous"})
	if s.AuthAs != AuthAsAnonymous || s.AuthAsMeaning == "" {
		t.Errorf("AuthAs not normalized: %+v", s)
	}
	f := NewSubmission(SubmissionFields{AuthMechanism: "06"}).Findings()[0]
	for _, want := range []string{"possible but not proven", "SMTP AUTH Clients Submission report", "legacy authentication"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
}
