package signins

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/authlens/authlens/finding"
)

// findings sums the report up for a person.
func findings(r *Report) []finding.Finding {
	out := []finding.Finding{}
	for _, c := range r.Compromised {
		out = append(out, finding.Finding{Severity: finding.High, Code: "signins-account-compromised",
			Message: fmt.Sprintf("%s: password accepted from spraying address %s (%s, %s, error code %d); treat the account as compromised until proven otherwise",
				c.User, c.IP, orDash(c.ClientApp), c.At.Format("2006-01-02 15:04 UTC"), c.ErrorCode)})
	}
	for _, s := range r.Sprays {
		from := s.IP
		if s.Kind == SprayDistributed {
			from = fmt.Sprintf("%d addresses", len(s.IPs))
		}
		out = append(out, finding.Finding{Severity: finding.Medium, Code: "signins-password-spray",
			Message: fmt.Sprintf("%s spray from %s against %d accounts: %d failures, %d lockouts, %d accounts with the password accepted (%s to %s)",
				s.Kind, from, s.Users, s.Failures, s.Lockouts, len(s.Compromised), s.First.Format("2006-01-02 15:04"), s.Last.Format("2006-01-02 15:04 UTC"))})
	}
	if n := len(r.Readiness.WouldStop); n > 0 {
		var apps []string
		for _, ad := range r.Readiness.Advice {
			apps = append(apps, fmt.Sprintf("%s: %d", ad.ClientApp, len(ad.Accounts)))
		}
		out = append(out, finding.Finding{Severity: finding.Low, Code: "signins-legacy-in-use",
			Message: fmt.Sprintf("%d account(s) still sign in with legacy authentication (%s); a block legacy authentication policy would stop them", n, strings.Join(apps, ", "))})
	}
	blocked := 0
	since := ""
	for _, d := range r.BlocksByDay {
		if d.Blocked > 0 && since == "" {
			since = d.Day
		}
		blocked += d.Blocked
	}
	if blocked > 0 {
		out = append(out, finding.Finding{Severity: finding.Info, Code: "signins-legacy-blocked",
			Message: fmt.Sprintf("%d legacy sign-in(s) blocked by policy since %s", blocked, since)})
	}
	skipped := 0
	for _, n := range r.Skipped {
		skipped += n
	}
	if skipped > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(r.Skipped)) {
			parts = append(parts, fmt.Sprintf("%d %s", r.Skipped[k], k))
		}
		out = append(out, finding.Finding{Severity: finding.Low, Code: "signins-rows-skipped",
			Message: fmt.Sprintf("%d row(s) could not be read (%s)", skipped, strings.Join(parts, ", "))})
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
