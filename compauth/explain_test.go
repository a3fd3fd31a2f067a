package compauth

import (
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name, result, reason string
		class                string
		conf                 Confidence
		contains             []string
		note                 bool
	}{
		{"000 explicit fail", "fail", "000", "000", ConfidenceDocumented, []string{"DMARC failed", "p=quarantine or p=reject"}, false},
		{"001 implicit fail", "fail", "001", "001", ConfidenceDocumented, []string{"Implicit authentication failed", "p=none"}, false},
		{"002 admin forbids", "fail", "002", "002", ConfidenceDocumented, []string{"forbids"}, false},
		{"010 intra-org", "fail", "010", "010", ConfidenceDocumented, []string{"accepted domains"}, false},
		{"100 observed", "pass", "100", "1xx", ConfidenceObserved, []string{"Observed", "likely", "documents only the class"}, false},
		{"105 observed", "pass", "105", "1xx", ConfidenceObserved, []string{"Observed", "likely"}, false},
		{"109 observed", "pass", "109", "1xx", ConfidenceObserved, []string{"bestguesspass", "likely"}, false},
		{"111 observed", "pass", "111", "1xx", ConfidenceObserved, []string{"permerror", "likely"}, false},
		{"115 observed", "pass", "115", "1xx", ConfidenceObserved, []string{"DKIM", "likely"}, false},
		{"116 observed", "pass", "116", "1xx", ConfidenceObserved, []string{"not known", "not confirmed"}, false},
		{"130 ARC documented", "pass", "130", "1xx", ConfidenceDocumented, []string{"ARC", "trusted"}, false},
		{"102 unknown in 1xx", "pass", "102", "1xx", ConfidenceUnknown, []string{"not documented", "1xx", "passed"}, false},
		{"201 observed", "softpass", "201", "2xx", ConfidenceObserved, []string{"Observed", "soft pass"}, false},
		{"202 observed", "softpass", "202", "2xx", ConfidenceObserved, []string{"Observed", "p=none"}, false},
		{"250 unseen in 2xx", "softpass", "250", "2xx", ConfidenceUnknown, []string{"not documented", "soft-passed"}, false},
		{"3xx not checked", "none", "301", "3xx", ConfidenceUnknown, []string{"not checked"}, false},
		{"405 unknown in 4xx", "none", "405", "4xx", ConfidenceUnknown, []string{"no established meaning", "bypassed"}, false},
		{"451 unknown in 4xx", "none", "451", "4xx", ConfidenceUnknown, []string{"no established meaning", "bypassed"}, false},
		{"6xx intra-org implicit", "fail", "601", "6xx", ConfidenceUnknown, []string{"accepted domains", "gives no compauth value"}, false},
		{"7xx pass", "pass", "701", "7xx", ConfidenceUnknown, []string{"internal sub-codes"}, false},
		{"905 inferred", "none", "905", "9xx", ConfidenceInferred, []string{"likely", "gateway"}, false},
		{"9xx bypassed", "none", "999", "9xx", ConfidenceUnknown, []string{"bypassed"}, false},
		{"no class", "fail", "512", "", ConfidenceUnknown, []string{"fits no documented class", "unknown"}, false},
		{"not a code", "pass", "abc", "", ConfidenceUnknown, []string{"unknown"}, false},
		{"result mismatch", "pass", "000", "000", ConfidenceDocumented, nil, true},
		{"unknown result", "maybe", "100", "1xx", ConfidenceObserved, nil, true},
		{"upper case", "SoftPass", " 202 ", "2xx", ConfidenceObserved, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := Explain(tc.result, tc.reason)
			if e.Class != tc.class {
				t.Errorf("Class = %q, want %q", e.Class, tc.class)
			}
			if e.Confidence != tc.conf {
				t.Errorf("Confidence = %q, want %q", e.Confidence, tc.conf)
			}
			for _, s := range tc.contains {
				if !strings.Contains(e.Meaning, s) {
					t.Errorf("Meaning %q does not contain %q", e.Meaning, s)
				}
			}
			if (e.Note != "") != tc.note {
				t.Errorf("Note = %q, want note: %v", e.Note, tc.note)
			}
			if len(e.NextSteps) == 0 {
				t.Error("no next steps")
			}
			if e.Class != "" && classes[e.Class].meaning != "" && e.ClassMeaning == "" {
				t.Error("ClassMeaning missing for a documented class")
			}
		})
	}
}

// TestExplainWording checks that no observed or inferred meaning is
// worded as fact.
func TestExplainWording(t *testing.T) {
	for code, ci := range codes {
		t.Run(code, func(t *testing.T) {
			if ci.confidence != ConfidenceObserved && ci.confidence != ConfidenceInferred {
				return
			}
			m := strings.ToLower(ci.meaning)
			if !strings.Contains(m, "observed") && !strings.Contains(m, "likely") {
				t.Errorf("%s meaning %q does not say observed or likely", code, ci.meaning)
			}
		})
	}
}
