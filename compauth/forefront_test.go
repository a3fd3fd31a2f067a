package compauth

import (
	"errors"
	"testing"

	"github.com/authlens/authlens/finding"
)

func TestParseForefront(t *testing.T) {
	const v = "CIP:2001:db8::7;CTRY:DE;LANG:en;SCL:6;SRV:BULK;IPV:CAL;SFV:SPM;H:mail.example.org;\r\n PTR:mail.example.org;CAT:PHSH;SFTY:9.20;SFS:(13230022)\r\n (396003);DIR:INB;SFP:1101;ZZZ:new;"
	r, err := ParseForefront(v)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"CIP keeps IPv6 colons", r.ConnectingIP, "2001:db8::7"},
		{"CTRY", r.Country, "DE"},
		{"LANG", r.Language, "en"},
		{"SRV", r.Service, "BULK"},
		{"IPV", r.IPFilter, "CAL"},
		{"SFV", r.Verdict, "SPM"},
		{"H", r.HELO, "mail.example.org"},
		{"PTR", r.PTR, "mail.example.org"},
		{"CAT", r.Category, "PHSH"},
		{"SFTY", r.SafetyTip, "9.20"},
		{"SFS unfolded", r.Rules, "(13230022) (396003)"},
		{"DIR", r.Direction, "INB"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	if r.SCL == nil || *r.SCL != 6 {
		t.Errorf("SCL = %v, want 6", r.SCL)
	}
	if len(r.Fields) != 15 {
		t.Fatalf("%d fields, want 15", len(r.Fields))
	}
	last := r.Fields[14]
	if last.Key != "ZZZ" || last.Value != "new" || last.Known || last.Confidence != ConfidenceUnknown {
		t.Errorf("unknown key field = %+v", last)
	}
	if f := r.Fields[13]; f.Key != "SFP" || f.Confidence != ConfidenceUnknown {
		t.Errorf("SFP field = %+v", f)
	}
	if f := r.Fields[6]; f.Key != "SFV" || f.Meaning == "" || f.Confidence != ConfidenceDocumented {
		t.Errorf("SFV field = %+v", f)
	}
	for _, want := range []finding.Code{CodeSpamVerdict, CodePhishCategory, CodeSCLSpam, CodeIPAllowList, CodeBulk, CodeSafetyTip} {
		t.Run("finding "+string(want), func(t *testing.T) {
			findingByCode(t, forefrontFindings(r), want)
		})
	}
}

func TestParseForefrontValues(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		key     string
		conf    Confidence
		wantErr error
	}{
		{"DMS from analyzer rules", "SFV:DMS;", "SFV", ConfidenceCode, nil},
		{"undocumented category value", "CAT:NEWCAT;", "CAT", ConfidenceUnknown, nil},
		{"internal CIP observed", "CIP:255.255.255.255;", "CIP", ConfidenceObserved, nil},
		{"segment without colon", "SFV:NSPM;garbage;", "SFV", ConfidenceDocumented, ErrMalformed},
		{"SCL not a number", "SCL:high;", "SCL", ConfidenceUnknown, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseForefront(tc.value)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if r == nil || r.Fields[0].Key != tc.key || r.Fields[0].Confidence != tc.conf {
				t.Errorf("first field = %+v, want key %s confidence %s", r.Fields[0], tc.key, tc.conf)
			}
		})
	}
	if _, err := ParseForefront(" ; ;"); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v, want ErrEmpty", err)
	}
}

func TestForefrontFindings(t *testing.T) {
	tests := []struct {
		value string
		code  finding.Code
		sev   finding.Severity
	}{
		{"SFV:SKS;", CodeSpamVerdict, finding.Medium},
		{"SFV:BLK;", CodeSpamVerdict, finding.Low},
		{"SFV:SKA;", CodeFilterSkipped, finding.Medium},
		{"CAT:SPOOF;", CodeSpoofCategory, finding.High},
		{"CAT:UIMP;", CodeImpersonation, finding.High},
		{"CAT:MALW;", CodeMalwareCategory, finding.High},
		{"CAT:HSPM;", CodeSpamCategory, finding.High},
		{"SCL:5;", CodeSCLSpam, finding.Medium},
		{"SCL:9;", CodeSCLSpam, finding.High},
		{"SCL:-1;", CodeSCLSkipped, finding.Low},
		{"IPV:CAL;", CodeIPAllowList, finding.Medium},
		{"SFTY:9.19;", CodeSafetyTip, finding.Medium},
		{"SFTY:9.25;", CodeSafetyTip, finding.Info},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			r, err := ParseForefront(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			f := findingByCode(t, forefrontFindings(r), tc.code)
			if f.Severity != tc.sev || f.Message == "" {
				t.Errorf("finding = %+v, want severity %s", f, tc.sev)
			}
		})
	}
	for _, quiet := range []string{"SFV:NSPM;CAT:NONE;SCL:1;IPV:NLI;DIR:INB;"} {
		r, _ := ParseForefront(quiet)
		if fs := forefrontFindings(r); len(fs) != 0 {
			t.Errorf("%s: unexpected findings %v", quiet, fs)
		}
	}
}

// TestForefrontRepeatedKey checks that a key written twice is decoded from
// its first occurrence, even an empty one, while both stay in Fields.
func TestForefrontRepeatedKey(t *testing.T) {
	r, err := ParseForefront("SFV:NSPM;sfv:SPM;SRV:;SRV:BULK;IPV:NLI")
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != "NSPM" || r.Service != "" || r.IPFilter != "NLI" {
		t.Errorf("decoded SFV %q, SRV %q, IPV %q; want NSPM, empty, NLI", r.Verdict, r.Service, r.IPFilter)
	}
	if len(r.Fields) != 5 {
		t.Errorf("%d fields kept, want 5", len(r.Fields))
	}
}
