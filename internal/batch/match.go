package batch

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/authlens/authlens"
)

// ErrCondition is wrapped by ParseCondition's errors.
var ErrCondition = errors.New("batch: bad condition")

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
// none has. Values are lower case. A report that could not be analysed
// matches nothing.
type Condition struct {
	expr   string
	key    string
	negate bool
	values []string
	sev    authlens.Severity
}

var (
	tokenRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	keys    = []string{"verdict", "spf", "dkim", "dmarc", "policy", "disposition", "compauth", "finding"}
)

// ParseCondition parses one condition; see Condition for the grammar.
func ParseCondition(expr string) (Condition, error) {
	c := Condition{expr: expr}
	s := strings.ToLower(strings.TrimSpace(expr))
	if rest, ok := strings.CutPrefix(s, "severity>="); ok {
		c.key, c.sev = "severity", authlens.Severity(strings.TrimSpace(rest))
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
	for v := range strings.SplitSeq(value, "|") {
		v = strings.TrimSpace(v)
		if !tokenRE.MatchString(v) {
			return c, fmt.Errorf("%w %q: bad value %q", ErrCondition, expr, v)
		}
		c.values = append(c.values, v)
	}
	if c.key == "verdict" {
		for _, v := range c.values {
			if !slices.Contains([]string{"pass", "fail", "weak", "unknown", "none"}, v) {
				return c, fmt.Errorf("%w %q: verdict must be pass, fail, weak or unknown", ErrCondition, expr)
			}
		}
	}
	return c, nil
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
			return []string{orNone(r.SPF.Result)}
		}
	case "dmarc":
		if r.DMARC != nil {
			return []string{orNone(r.DMARC.Result)}
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
			return []string{orNone(r.Compauth.Result)}
		}
	case "dkim":
		if len(r.DKIM) > 0 {
			l := make([]string, len(r.DKIM))
			for i, d := range r.DKIM {
				l[i] = orNone(d.Result)
			}
			return l
		}
	case "finding":
		l := make([]string, len(r.Findings))
		for i, f := range r.Findings {
			l[i] = f.Code
		}
		return l
	}
	return []string{"none"}
}

// severityRank orders severities; it is -1 for an unknown one.
func severityRank(s authlens.Severity) int {
	return slices.Index([]authlens.Severity{authlens.SeverityInfo, authlens.SeverityLow, authlens.SeverityMedium, authlens.SeverityHigh}, s)
}
