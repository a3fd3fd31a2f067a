package dmarc

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/align"
)

func diagCodes(ds []Diagnosis) []DiagnosisCode {
	var out []DiagnosisCode
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestParseRecordNotDMARC(t *testing.T) {
	tests := []struct {
		name    string
		txt     string
		wantErr error
	}{
		{"spf", "v=spf1 -all", nil},
		{"empty", "", nil},
		{"other text", "google-site-verification=abc", nil},
		{"version not first", "p=reject; v=DMARC1", ErrNotDMARC},
		{"version lower case", "v=dmarc1; p=reject", ErrNotDMARC},
		{"version other", "v=DMARC2; p=reject", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, isDMARC, err := ParseRecord(tc.txt)
			if isDMARC || rec != nil {
				t.Fatalf("ParseRecord(%q) = %v, %v; want not DMARC", tc.txt, rec, isDMARC)
			}
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestParseRecordValid(t *testing.T) {
	txt := "v=DMARC1; p=Reject; sp=quarantine; np=none; adkim=s; aspf=R; pct=50; fo=1:d; rf=afrf; ri=3600; " +
		"rua=mailto:agg@example.com!10m, mailto:other@example.net; ruf=mailto:fail@example.com; psd=n; t=y; x_ext=1"
	rec, isDMARC, err := ParseRecord(txt)
	if err != nil || !isDMARC {
		t.Fatalf("ParseRecord: %v, %v", isDMARC, err)
	}
	if rec.Policy != PolicyReject || rec.SubdomainPolicy != PolicyQuarantine || rec.NonexistentPolicy != PolicyNone {
		t.Errorf("policies = %q %q %q", rec.Policy, rec.SubdomainPolicy, rec.NonexistentPolicy)
	}
	if rec.ADKIM != align.ModeStrict || rec.ASPF != align.ModeRelaxed {
		t.Errorf("alignment = %q %q", rec.ADKIM, rec.ASPF)
	}
	if !rec.HasPercent || rec.Percent != 50 || !slices.Equal(rec.FailureOptions, []string{"1", "d"}) ||
		!slices.Equal(rec.ReportFormats, []string{"afrf"}) || rec.ReportInterval != 3600 {
		t.Errorf("pct/fo/rf/ri = %d %v %v %d", rec.Percent, rec.FailureOptions, rec.ReportFormats, rec.ReportInterval)
	}
	if len(rec.AggregateReports) != 2 || rec.AggregateReports[0] != (URI{Address: "mailto:agg@example.com", MaxSize: 10, Unit: "m"}) {
		t.Errorf("rua = %+v", rec.AggregateReports)
	}
	if got := rec.AggregateReports[0].Limit(); got != 10<<20 {
		t.Errorf("limit = %d", got)
	}
	if rec.AggregateReports[1].MailboxDomain() != "example.net" {
		t.Errorf("mailbox domain = %q", rec.AggregateReports[1].MailboxDomain())
	}
	if rec.PSD != PSDNo || rec.Testing != FlagYes || len(rec.Extensions) != 1 {
		t.Errorf("psd/t/ext = %q %q %v", rec.PSD, rec.Testing, rec.Extensions)
	}
	// Obsolete tags are flagged in RFC 9989 mode only; the RFC 9989 tags
	// are flagged in RFC 7489 mode only.
	bis := diagCodes(rec.DiagnosesFor(ModeBis))
	old := diagCodes(rec.DiagnosesFor(Mode7489))
	if n := countCode(bis, DiagObsoleteTag); n != 3 {
		t.Errorf("bis obsolete diagnoses = %d (%v)", n, bis)
	}
	if countCode(old, DiagObsoleteTag) != 0 || countCode(old, DiagTagNotInRFC7489) != 3 {
		t.Errorf("7489 diagnoses = %v", old)
	}
	want := "v=DMARC1; p=reject; sp=quarantine; np=none; adkim=s; aspf=r; pct=50; fo=1:d; rf=afrf; ri=3600; " +
		"rua=mailto:agg@example.com!10m,mailto:other@example.net; ruf=mailto:fail@example.com; psd=n; t=y; x_ext=1"
	if got := rec.String(); got != want {
		t.Errorf("String =\n %s\nwant\n %s", got, want)
	}
}

func countCode(codes []DiagnosisCode, c DiagnosisCode) int {
	n := 0
	for _, x := range codes {
		if x == c {
			n++
		}
	}
	return n
}

func TestParseRecordDiagnoses(t *testing.T) {
	tests := []struct {
		name string
		txt  string
		code DiagnosisCode
		mode Mode
	}{
		{"duplicate tag", "v=DMARC1; p=reject; p=none", DiagDuplicateTag, ""},
		{"repeated version", "v=DMARC1; p=reject; v=DMARC1", DiagVersionNotFirst, ""},
		{"unknown tag", "v=DMARC1; p=reject; foo=bar", DiagUnknownTag, ""},
		{"missing p bis", "v=DMARC1; rua=mailto:a@example.com", DiagMissingPolicy, ModeBis},
		{"missing p 7489 with rua", "v=DMARC1; rua=mailto:a@example.com", DiagMissingPolicy, Mode7489},
		{"missing p 7489 without rua", "v=DMARC1; sp=none", DiagPolicyWithoutRUA, Mode7489},
		{"invalid p without rua", "v=DMARC1; p=block", DiagPolicyWithoutRUA, Mode7489},
		{"p not second", "v=DMARC1; sp=none; p=reject", DiagPolicyNotSecond, Mode7489},
		{"invalid p", "v=DMARC1; p=block", DiagInvalidPolicy, ""},
		{"invalid sp", "v=DMARC1; p=reject; sp=drop", DiagInvalidSubdomain, ""},
		{"invalid np", "v=DMARC1; p=reject; np=maybe", DiagInvalidNonexist, ""},
		{"invalid adkim", "v=DMARC1; p=reject; adkim=x", DiagInvalidAlignment, ""},
		{"invalid aspf", "v=DMARC1; p=reject; aspf=strict", DiagInvalidAlignment, ""},
		{"pct too big", "v=DMARC1; p=reject; pct=101", DiagInvalidPercent, ""},
		{"pct negative", "v=DMARC1; p=reject; pct=-1", DiagInvalidPercent, ""},
		{"pct text", "v=DMARC1; p=reject; pct=half", DiagInvalidPercent, ""},
		{"fo unknown", "v=DMARC1; p=reject; fo=1:x", DiagInvalidFO, ""},
		{"rf unknown", "v=DMARC1; p=reject; rf=iodef", DiagInvalidRF, ""},
		{"ri not a number", "v=DMARC1; p=reject; ri=daily", DiagInvalidRI, ""},
		{"uri without scheme", "v=DMARC1; p=reject; rua=dmarc@example.com", DiagInvalidURI, ""},
		{"uri bad size", "v=DMARC1; p=reject; rua=mailto:a@example.com!10x", DiagInvalidURI, ""},
		{"rua none valid", "v=DMARC1; p=reject; rua=nothing", DiagEmptyReportURIs, ""},
		{"psd invalid", "v=DMARC1; p=reject; psd=yes", DiagInvalidPSD, ""},
		{"t invalid", "v=DMARC1; p=reject; t=1", DiagInvalidTesting, ""},
		{"pct obsolete", "v=DMARC1; p=reject; pct=100", DiagObsoleteTag, ModeBis},
		{"np in 7489", "v=DMARC1; p=reject; np=reject", DiagTagNotInRFC7489, Mode7489},
		{"empty component", "v=DMARC1;; p=reject", DiagTrailingSeparator, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, isDMARC, err := ParseRecord(tc.txt)
			if !isDMARC || err != nil {
				t.Fatalf("ParseRecord(%q) = %v, %v", tc.txt, isDMARC, err)
			}
			mode := tc.mode
			if mode == "" {
				mode = ModeBis
			}
			got := diagCodes(rec.DiagnosesFor(mode))
			if !slices.Contains(got, tc.code) {
				t.Errorf("diagnoses = %v, want %s", got, tc.code)
			}
			for _, d := range rec.Diagnoses {
				if d.Message == "" || d.Severity == "" {
					t.Errorf("diagnosis %+v lacks message or severity", d)
				}
			}
			if tc.mode != "" {
				other := Mode7489
				if tc.mode == Mode7489 {
					other = ModeBis
				}
				for _, d := range rec.DiagnosesFor(other) {
					if d.Code == tc.code && d.Only == tc.mode {
						t.Errorf("diagnosis %s leaked into mode %s", tc.code, other)
					}
				}
			}
		})
	}
}

func TestParseRecordSyntax(t *testing.T) {
	for _, txt := range []string{"v=DMARC1; p=none; bogus", "v=DMARC1; p=none; 1x=y", "v=DMARC1; =x"} {
		t.Run(txt, func(t *testing.T) {
			rec, isDMARC, err := ParseRecord(txt)
			if !isDMARC || rec == nil || !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParseRecord(%q) = %v, %v, %v; want ErrSyntax", txt, rec, isDMARC, err)
			}
			if !slices.Contains(diagCodes(rec.Diagnoses), DiagSyntax) {
				t.Errorf("no syntax diagnosis: %v", rec.Diagnoses)
			}
		})
	}
}

func TestRecordPolicies(t *testing.T) {
	tests := []struct {
		name              string
		txt               string
		mode              Mode
		p, sp, np         Policy
		ok                bool
		wantDomainIgnored bool
	}{
		{"defaults", "v=DMARC1; p=reject", ModeBis, PolicyReject, PolicyReject, PolicyReject, true, false},
		{"sp and np", "v=DMARC1; p=reject; sp=quarantine; np=none", ModeBis, PolicyReject, PolicyQuarantine, PolicyNone, true, false},
		{"np falls back to sp", "v=DMARC1; p=reject; sp=none", ModeBis, PolicyReject, PolicyNone, PolicyNone, true, false},
		{"np ignored by 7489", "v=DMARC1; p=reject; np=none", Mode7489, PolicyReject, PolicyReject, PolicyReject, true, false},
		{"bis missing p is none", "v=DMARC1; sp=reject", ModeBis, PolicyNone, PolicyReject, PolicyReject, true, false},
		{"7489 missing p with rua", "v=DMARC1; sp=reject; rua=mailto:a@example.com", Mode7489, PolicyNone, PolicyNone, PolicyNone, true, false},
		{"7489 missing p without rua", "v=DMARC1; sp=reject", Mode7489, "", "", "", false, true},
		{"7489 invalid sp with rua", "v=DMARC1; p=reject; sp=bad; rua=mailto:a@example.com", Mode7489, PolicyNone, PolicyNone, PolicyNone, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, _, err := ParseRecord(tc.txt)
			if err != nil {
				t.Fatal(err)
			}
			p, ok := rec.DomainPolicy(tc.mode)
			sp, _ := rec.SubPolicy(tc.mode)
			np, _ := rec.NonexistentSubPolicy(tc.mode)
			if p != tc.p || sp != tc.sp || np != tc.np || ok != tc.ok {
				t.Errorf("p, sp, np, ok = %q %q %q %v; want %q %q %q %v", p, sp, np, ok, tc.p, tc.sp, tc.np, tc.ok)
			}
		})
	}
}

func TestRecordRoundTrip(t *testing.T) {
	for _, txt := range []string{
		"v=DMARC1; p=none",
		"v=DMARC1;p=quarantine;pct=0;rua=mailto:a@example.com!0",
		"v=DMARC1; rua=; fo=",
		"v=DMARC1; p=reject; ruf=mailto:x@example.com!5k,https://report.example/x; x=;",
	} {
		rec, _, err := ParseRecord(txt)
		if err != nil {
			t.Fatalf("%q: %v", txt, err)
		}
		again, _, err := ParseRecord(rec.String())
		if err != nil {
			t.Fatalf("%q: reparse %q: %v", txt, rec.String(), err)
		}
		if again.String() != rec.String() || !sameFields(rec, again) {
			t.Errorf("%q: round trip changed\n %s\n %s", txt, rec.String(), again.String())
		}
	}
}

// TestRepeatedDiagnoses: a record as long as a TXT record can be, repeating
// one tag thousands of times, reports the problem once with its count; a
// flood of distinct problems is cut at maxDiagnoses with one diagnosis
// saying how many were left out.
func TestRepeatedDiagnoses(t *testing.T) {
	txt := "v=DMARC1; p=none" + strings.Repeat("; p=reject", 6000)
	rec, _, err := ParseRecord(txt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Diagnoses) != 1 {
		t.Fatalf("%d diagnoses, want 1", len(rec.Diagnoses))
	}
	d := rec.Diagnoses[0]
	if d.Code != DiagDuplicateTag || d.Count != 6000 || !strings.Contains(d.Message, "found 6000 times") || rec.Policy != PolicyNone {
		t.Errorf("diagnosis %+v, policy %s", d, rec.Policy)
	}

	var b strings.Builder
	b.WriteString("v=DMARC1; p=none")
	for i := range 3000 {
		fmt.Fprintf(&b, "; x%d=1", i)
	}
	rec, _, err = ParseRecord(b.String())
	if err != nil {
		t.Fatal(err)
	}
	last := rec.Diagnoses[len(rec.Diagnoses)-1]
	if len(rec.Diagnoses) != maxDiagnoses+1 || last.Code != DiagMoreProblems || !strings.Contains(last.Message, "2950 more") {
		t.Errorf("%d diagnoses, last %+v", len(rec.Diagnoses), last)
	}
}
