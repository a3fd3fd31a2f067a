package authlens

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlens/authlens/finding"

	"github.com/authlens/authlens/bounce"
)

// TestAnalyzeBounce checks Analyze reads delivery failure reports: the
// report's bounce member, and findings for authentication failures only.
func TestAnalyzeBounce(t *testing.T) {
	for _, tc := range []struct {
		file     string
		rule     string
		code     finding.Code // the authentication finding expected, "" for none
		severity finding.Severity
	}{
		{"bounce-ms-5.7.139.eml", "smtp-auth-disabled-tenant", bounce.CodeSMTPAuth, finding.Medium},
		{"bounce-exim-5.7.57.eml", "smtp-auth-not-authenticated", bounce.CodeSMTPAuth, finding.Medium},
		{"bounce-postfix-gmail-5.7.26.eml", "dmarc-reject-gmail", bounce.CodeAuth, finding.Medium},
		{"bounce-postfix-5.1.1.eml", "recipient-unknown", "", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rep := analyzeFile(t, filepath.Join("testdata", tc.file), Options{})
			b := rep.Bounce
			if b == nil || len(b.Recipients) != 1 {
				t.Fatalf("bounce %+v", b)
			}
			if got := b.Recipients[0].Explanation.Rule; got != tc.rule {
				t.Errorf("rule %q, want %q", got, tc.rule)
			}
			var auth []finding.Finding
			summary := false
			for _, f := range rep.Findings {
				switch f.Code {
				case bounce.CodeAuth, bounce.CodeSMTPAuth:
					auth = append(auth, f)
				case bounce.CodeBounce:
					summary = true
				}
			}
			if !summary {
				t.Error("no bounce-report finding")
			}
			switch {
			case tc.code == "" && len(auth) > 0:
				t.Errorf("a failure that is not about authentication gave %+v", auth)
			case tc.code != "" && (len(auth) != 1 || auth[0].Code != tc.code || auth[0].Severity != tc.severity):
				t.Errorf("authentication findings %+v, want one %s %s", auth, tc.severity, tc.code)
			}
			for i := 1; i < len(rep.Findings); i++ {
				if rep.Findings[i-1].Severity.Rank() < rep.Findings[i].Severity.Rank() {
					t.Errorf("findings not sorted by severity: %+v", rep.Findings)
				}
			}
		})
	}
}

// TestAnalyzeNotBounce checks an ordinary message, and a bounce read
// without its body, carry no bounce member, in the report or its JSON.
func TestAnalyzeNotBounce(t *testing.T) {
	rep := analyzeFile(t, filepath.Join("testdata", "gmail-dmarc-pass.eml"), Options{})
	if rep.Bounce != nil {
		t.Errorf("ordinary message read as a bounce: %+v", rep.Bounce)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"bounce"`) {
		t.Error("the JSON of an ordinary message has a bounce member")
	}
	rep = analyzeFile(t, filepath.Join("testdata", "bounce-ms-5.7.139.eml"), Options{MaxBodyBytes: -1})
	if rep.Bounce != nil {
		t.Errorf("a bounce read without its body: %+v", rep.Bounce)
	}
}
