package batch

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
)

// ErrCondition is wrapped by ParseCondition's errors.
var ErrCondition = errors.New("bad condition")

// Condition is a test on a report, as written after --fail-on:
//
//	KEY=VALUE[|VALUE...]   the report's KEY is one of the values
//	KEY!=VALUE[|VALUE...]  the report's KEY is none of the values
//	severity>=LEVEL        some finding is at least LEVEL (info, low, medium, high)
//	CODE                   some finding has this code (same as finding=CODE)
//
// KEY is one of verdict, spf, dkim, dmarc, policy, disposition, compauth
// and finding. A missing result has the value "none". dkim and finding
// match when any signature or finding has the value; their != form when
// none has. Values are lower case, and must be values the key can take
// (finding: one of authlens.FindingCodes); ParseCondition rejects others,
// listing the valid ones. A report that could not be analysed matches
// nothing.
type Condition struct {
	expr   string
	key    string
	negate bool
	values []string
	sev    finding.Severity
}

var (
	tokenRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	keys    = []string{"verdict", "spf", "dkim", "dmarc", "policy", "disposition", "compauth", "finding"}
)

// keyValues returns the values a key can take; "none" stands for a
// missing result. The result words are those of RFC 8601, section 2.7
// (and RFC 7208, section 8 for SPF), plus Microsoft's bestguesspass
// (DMARC) and softpass (compauth).
func keyValues(key string) []string {
	switch key {
	case "verdict":
		return []string{"pass", "fail", "weak", "unknown", "none"}
	case "spf":
		return []string{"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror", "policy"}
	case "dkim":
		return []string{"pass", "fail", "neutral", "none", "policy", "temperror", "permerror"}
	case "dmarc":
		return []string{"pass", "fail", "none", "temperror", "permerror", "bestguesspass"}
	case "policy", "disposition":
		return []string{"none", "quarantine", "reject"}
	case "compauth":
		return []string{"pass", "fail", "softpass", "none"}
	case "finding":
		return authlens.FindingCodes()
	}
	return nil
}

// ParseCondition parses one condition; see Condition for the grammar.
func ParseCondition(expr string) (Condition, error) {
	c := Condition{expr: expr}
	s := strings.ToLower(strings.TrimSpace(expr))
	if rest, ok := strings.CutPrefix(s, "severity>="); ok {
		c.key, c.sev = "severity", finding.Severity(strings.TrimSpace(rest))
		if severityRank(c.sev) < 0 {
			return c, fmt.Errorf("%w %q: severity must be info, low, medium or high", ErrCondition, expr)
		}
		return c, nil
	}
	key, value, ok := strings.Cut(s, "=")
	switch {
	case !ok:
		key, value = "finding", s
	case strings.HasSuffix(key, "!"):
		key, c.negate = strings.TrimSuffix(key, "!"), true
	}
	c.key = strings.TrimSpace(key)
	if !slices.Contains(keys, c.key) {
		return c, fmt.Errorf("%w %q: unknown key %q (want %s, or severity>=LEVEL)", ErrCondition, expr, c.key, strings.Join(keys, ", "))
	}
	valid := keyValues(c.key)
	for v := range strings.SplitSeq(value, "|") {
		v = strings.TrimSpace(v)
		if !tokenRE.MatchString(v) {
			return c, fmt.Errorf("%w %q: bad value %q", ErrCondition, expr, v)
		}
		if !slices.Contains(valid, v) {
			return c, unknownValue(expr, c.key, v, valid)
		}
		c.values = append(c.values, v)
	}
	return c, nil
}

// unknownValue is the error for a value key cannot take; for finding
// codes it suggests the nearest one.
func unknownValue(expr, key, v string, valid []string) error {
	what := fmt.Sprintf("unknown %s value %q", key, v)
	if key == "finding" {
		what = fmt.Sprintf("unknown finding code %q", v)
		if near := nearest(v, valid); near != "" {
			what += fmt.Sprintf(" (did you mean %s?)", near)
		}
	}
	return fmt.Errorf("%w %q: %s; valid: %s", ErrCondition, expr, what, strings.Join(valid, ", "))
}

// nearest returns the entry of list closest to s by edit distance, if it
// is close enough to be a likely typo.
func nearest(s string, list []string) string {
	best, bestD := "", 3
	for _, c := range list {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, with a
// transposition of adjacent letters counted as one edit.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// String returns the condition as written.
func (c Condition) String() string { return c.expr }

// Match reports whether r satisfies the condition.
func (c Condition) Match(r *authlens.Report) bool {
	if r == nil || r.Error != "" {
		return false
	}
	if c.key == "severity" {
		for _, f := range r.Findings {
			if severityRank(f.Severity) >= severityRank(c.sev) {
				return true
			}
		}
		return false
	}
	return slices.ContainsFunc(c.fieldValues(r), func(v string) bool { return slices.Contains(c.values, v) }) != c.negate
}

// fieldValues returns the values of the condition's key in r.
func (c Condition) fieldValues(r *authlens.Report) []string {
	switch c.key {
	case "verdict":
		if r.Verdict != nil {
			return []string{string(r.Verdict.Status)}
		}
	case "spf":
		if r.SPF != nil {
			return []string{orNone(string(r.SPF.Result))}
		}
	case "dmarc":
		if r.DMARC != nil {
			return []string{orNone(string(r.DMARC.Result))}
		}
	case "policy":
		if r.DMARC != nil {
			return []string{orNone(r.DMARC.Policy)}
		}
	case "disposition":
		if r.DMARC != nil {
			return []string{orNone(r.DMARC.Disposition)}
		}
	case "compauth":
		if r.Compauth != nil {
			return []string{orNone(string(r.Compauth.Result))}
		}
	case "dkim":
		if len(r.DKIM) > 0 {
			l := make([]string, len(r.DKIM))
			for i, d := range r.DKIM {
				l[i] = orNone(string(d.Result))
			}
			return l
		}
	case "finding":
		l := make([]string, len(r.Findings))
		for i, f := range r.Findings {
			l[i] = string(f.Code)
		}
		return l
	}
	return []string{"none"}
}

// severityRank orders severities; it is -1 for an unknown one.
func severityRank(s finding.Severity) int {
	return slices.Index([]finding.Severity{finding.Info, finding.Low, finding.Medium, finding.High}, s)
}
