package batch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
)

// matchReports analyses the project's test messages (testdata/*.eml at
// the module root and, when present, ../shared/samples/*.eml) and adds an
// empty report, for conditions to be matched against.
func matchReports(tb testing.TB) []*authlens.Report {
	tb.Helper()
	var files []string
	for _, pattern := range []string{
		filepath.Join("..", "..", "..", "testdata", "*.eml"),
		filepath.Join("..", "..", "..", "..", "shared", "samples", "*.eml"),
	} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	reports := []*authlens.Report{{Source: "empty"}}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if r, err := authlens.AnalyzeBytes(context.Background(), b, authlens.Options{Source: p}); err == nil {
			reports = append(reports, r)
		}
	}
	return reports
}

// canonical writes c in the grammar's canonical form.
func canonical(c Condition) string {
	if c.key == "severity" {
		return "severity>=" + string(c.sev)
	}
	op := "="
	if c.negate {
		op = "!="
	}
	return c.key + op + strings.Join(c.values, "|")
}

// FuzzParseCondition checks --fail-on conditions: parsing never panics,
// fails only with ErrCondition quoting the expression, keeps the text
// for String, and what it read, written in canonical form, reads the
// same. On real reports, matching is deterministic, ignores the order of
// the values, never matches a report that could not be analysed, the !=
// form matches exactly the reports the = form does not, and severity>=
// matches whenever a stricter level does.
func FuzzParseCondition(f *testing.F) {
	reports := matchReports(f)
	for _, s := range []string{
		"verdict=fail", "verdict=pass|weak", "dkim!=pass|none", "severity>=medium", "Severity >= HIGH",
		"spf-fail", "FINDING = a | b", "policy=reject", "disposition!=none", "compauth=fail|softpass",
		"severity>=bogus", "verdict=maybe", "x=y", "=", "", "dmarc=Pass ", "spf=|pass", "dkim!!=x", "finding=a=b",
	} {
		f.Add(s)
	}
	for _, r := range reports {
		for _, fd := range r.Findings {
			f.Add(string(fd.Code))
		}
	}
	failed := &authlens.Report{Source: "bad", Error: "not a message"}
	f.Fuzz(func(t *testing.T, expr string) {
		c, err := ParseCondition(expr)
		if err != nil {
			if !errors.Is(err, ErrCondition) || !strings.Contains(err.Error(), fmt.Sprintf("%q", expr)) {
				t.Fatalf("ParseCondition(%q): error %v", expr, err)
			}
			return
		}
		if c.String() != expr {
			t.Fatalf("ParseCondition(%q).String() = %q", expr, c.String())
		}
		text := canonical(c)
		again, err := ParseCondition(text)
		if err != nil {
			t.Fatalf("ParseCondition(%q) written as %q does not read: %v", expr, text, err)
		}
		again.expr = c.expr
		if !slices.Equal(again.values, c.values) || again.key != c.key || again.negate != c.negate || again.sev != c.sev {
			t.Fatalf("ParseCondition(%q) = %+v; written as %q, reads %+v", expr, c, text, again)
		}
		if c.Match(nil) || c.Match(failed) {
			t.Fatalf("%q matches a report that could not be analysed", expr)
		}
		flipped, reversed := c, c
		flipped.negate = !c.negate
		reversed.values = slices.Clone(c.values)
		slices.Reverse(reversed.values)
		var stricter []Condition
		if c.key == "severity" {
			for _, s := range []finding.Severity{finding.Info, finding.Low, finding.Medium, finding.High} {
				if severityRank(s) > severityRank(c.sev) {
					stricter = append(stricter, Condition{key: "severity", sev: s})
				}
			}
		}
		for _, r := range reports {
			m := c.Match(r)
			if m != c.Match(r) || m != reversed.Match(r) {
				t.Fatalf("%q on %s: matches differ between calls or value orders", expr, r.Source)
			}
			if c.key != "severity" && flipped.Match(r) == m {
				t.Fatalf("%q on %s: = and != forms both give %v", expr, r.Source, m)
			}
			for _, s := range stricter {
				if s.Match(r) && !m {
					t.Fatalf("%q on %s: severity>=%s matches but %q does not", expr, r.Source, s.sev, expr)
				}
			}
		}
	})
}
