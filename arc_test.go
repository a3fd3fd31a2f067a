package authlens

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/testshared"
)

// TestARCSamples reads the ARC chains of real messages offline: structure,
// sealers and what each hop saw.
func TestARCSamples(t *testing.T) {
	dir := testshared.Dir(t, "samples")
	tests := []struct {
		file    string
		sealers []string
		cvs     []string
		dmarc   []string // what each hop's AAR recorded for DMARC
	}{
		{"gmail-2.eml", []string{"google.com"}, []string{"none"}, []string{"pass"}},
		{"gmail-4.eml", []string{"microsoft.com", "google.com"}, []string{"none", "pass"}, []string{"none", "pass"}},
		{"arc-1.eml", []string{"google.com", "google.com"}, []string{"none", "pass"}, []string{"", ""}},
		{"arc-2.eml", []string{"webhostingserver.nl", "webhostingserver.nl", "subspace.kernel.org"}, []string{"none", "pass", "pass"}, []string{"skipped", "fail", "fail"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			r := analyzeFile(t, filepath.Join(dir, tc.file), Options{})
			a := r.ARC
			if a == nil {
				t.Fatal("no arc report")
			}
			if a.Result != "pass" || a.Checked != "offline" {
				t.Errorf("arc = %s checked %s (%s)", a.Result, a.Checked, a.Explanation)
			}
			var sealers, cvs, dmarcs []string
			for i, s := range a.Sets {
				if s.Instance != i+1 || s.BodyIntact == nil || !*s.BodyIntact || s.SealVerified != nil {
					t.Errorf("set %d = %+v", i, s)
				}
				sealers, cvs, dmarcs = append(sealers, s.Sealer), append(cvs, s.CV), append(dmarcs, s.Saw.DMARC)
			}
			if !slices.Equal(sealers, tc.sealers) || !slices.Equal(cvs, tc.cvs) || !slices.Equal(dmarcs, tc.dmarc) {
				t.Errorf("sealers %q cv %q dmarc %q, want %q %q %q", sealers, cvs, dmarcs, tc.sealers, tc.cvs, tc.dmarc)
			}
		})
	}
}

// TestARCForwarding: a mailing list changed the body, so DKIM and DMARC
// fail at the final receiver, but the list's ARC set recorded the author's
// aligned pass before it changed anything.
func TestARCForwarding(t *testing.T) {
	r := analyzeFile(t, filepath.Join("testdata", "forwarded-arc.eml"), Options{})
	if r.ARC == nil || r.ARC.Result != "pass" || len(r.ARC.Sets) != 1 || r.ARC.Sets[0].Saw.DMARC != "pass" {
		t.Fatalf("arc = %+v", r.ARC)
	}
	if !slices.Contains(codes(r), "arc-forwarding-override") {
		t.Errorf("findings %q lack arc-forwarding-override", codes(r))
	}
	// Trusting the list as a sealer lowers the finding's severity.
	trusted := analyzeFile(t, filepath.Join("testdata", "forwarded-arc.eml"), Options{ARCTrustedSealers: []string{"lists.example.org"}})
	if !trusted.ARC.Trusted {
		t.Errorf("sealer not trusted: %+v", trusted.ARC)
	}
	sev := func(r *Report) finding.Severity {
		for _, f := range r.Findings {
			if f.Code == "arc-forwarding-override" {
				return f.Severity
			}
		}
		return ""
	}
	if sev(trusted).Rank() >= sev(r).Rank() {
		t.Errorf("severity trusted %s, untrusted %s", sev(trusted), sev(r))
	}
}
