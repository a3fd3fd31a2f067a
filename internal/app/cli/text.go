package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/textsafe"
)

// textReporter writes the report a person reads top-down. Every piece of
// text that came from the message passes through textsafe.Clean.
type textReporter struct {
	w     io.Writer
	color bool
	n     int
	err   error
}

// ANSI SGR colours.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrRed    = "\x1b[31m"
	sgrGreen  = "\x1b[32m"
	sgrYellow = "\x1b[33m"
	sgrDim    = "\x1b[2m"
)

func (t *textReporter) paint(sgr, s string) string {
	if !t.color {
		return s
	}
	return sgr + s + sgrReset
}

func (t *textReporter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// resultColour picks the colour of a result keyword.
func resultColour(result string) string {
	switch result {
	case "pass", "bestguesspass":
		return sgrGreen
	case "fail", "permerror", "hardfail":
		return sgrRed
	case "":
		return sgrDim
	}
	return sgrYellow
}

func (t *textReporter) result(s string) string {
	if s == "" {
		s = "-"
	}
	return t.paint(resultColour(s), textsafe.Clean(s))
}

func (t *textReporter) report(r *authlens.Report) error {
	if t.n > 0 {
		t.printf("\n")
	}
	t.n++
	t.printf("%s\n", t.paint(sgrBold, textsafe.Clean(r.Source)))
	if r.Error != "" {
		t.printf("  %s %s\n", t.paint(sgrRed, "ERROR"), textsafe.Clean(r.Error))
		return t.err
	}
	t.verdict(r)
	t.identities(r)
	t.methods(r)
	t.compauthDetail(r)
	t.authResults(r)
	t.arc(r)
	t.antispam(r)
	t.received(r)
	t.submission(r)
	t.bounceReport(r)
	t.findings(r)
	return t.err
}

func (t *textReporter) verdict(r *authlens.Report) {
	if r.Verdict == nil {
		return
	}
	label := strings.ToUpper(string(r.Verdict.Status))
	colour := map[authlens.VerdictStatus]string{
		authlens.VerdictPass: sgrGreen, authlens.VerdictFail: sgrRed,
		authlens.VerdictWeak: sgrYellow, authlens.VerdictUnknown: sgrYellow,
	}[r.Verdict.Status]
	t.printf("%s  %s\n\n", t.paint(sgrBold+colour, label), textsafe.Clean(r.Verdict.Summary))
}

// shown returns header text cleaned for the terminal, and says so when
// cleaning changed it: a domain shown to a person must be the real one.
func (t *textReporter) shown(s string) string {
	c := textsafe.Clean(s)
	if c != s {
		c += " " + t.paint(sgrRed, "[control characters removed]")
	}
	return c
}

// person writes a display name and address as a mail client shows them.
func (t *textReporter) person(name, addr string) string {
	if name == "" {
		return t.shown(addr)
	}
	return fmt.Sprintf("%q <%s>", t.shown(name), t.shown(addr))
}

func (t *textReporter) identities(r *authlens.Report) {
	from := "-"
	if r.From != nil {
		from = fmt.Sprintf("%s (domain %s)", t.person(r.From.Name, r.From.Address), textsafe.Clean(orNone(r.From.Domain)))
	}
	t.printf("  %-10s %s\n", "From", from)
	mf := "-"
	if r.MailFrom != nil {
		addr := r.MailFrom.Address
		if addr == "" {
			addr = "<>"
			if r.MailFrom.Domain != "" {
				addr = r.MailFrom.Domain
			}
		}
		mf = fmt.Sprintf("%s (from %s)", t.shown(addr), r.MailFrom.Origin)
	}
	t.printf("  %-10s %s\n", "MailFrom", mf)
	if m := r.Message; m != nil {
		for _, rt := range m.ReplyTo {
			t.printf("  %-10s %s\n", "Reply-To", t.person(rt.Name, rt.Address))
		}
		if len(m.To) > 0 {
			to := make([]string, len(m.To))
			for i, a := range m.To {
				to[i] = t.shown(a)
			}
			t.printf("  %-10s %s\n", "To", strings.Join(to, ", "))
		}
		for _, f := range []struct{ name, value string }{{"Subject", m.Subject}, {"Date", m.Date}, {"Message-ID", m.MessageID}} {
			if f.value != "" {
				t.printf("  %-10s %s\n", f.name, t.shown(f.value))
			}
		}
	}
}

// aligned says whether a result's domain aligns with the From domain, and
// that alignment alone is no pass: "SPF none, aligned" would read as if
// something had passed.
func aligned(result string, ok bool) string {
	switch {
	case !ok:
		return "not aligned"
	case result == "pass":
		return "aligned"
	}
	return "aligned domain, but no pass"
}

func (t *textReporter) methods(r *authlens.Report) {
	t.printf("\n")
	if s := r.SPF; s != nil {
		t.printf("  %-10s %s  %s, %s  [%s]\n", "SPF", t.result(string(s.Result)), textsafe.Clean(orNone(s.Domain)), aligned(string(s.Result), s.Aligned), s.Origin)
	} else {
		t.printf("  %-10s %s\n", "SPF", t.result(""))
	}
	if s := r.SPFEvaluated; s != nil {
		t.printf("  %-10s %s  %s, %s  [%s]\n", "", t.result(string(s.Result)), textsafe.Clean(orNone(s.Domain)), aligned(string(s.Result), s.Aligned), s.Origin)
		t.printf("  %-10s %s\n", "", textsafe.Clean(s.Explanation))
	}
	if len(r.DKIM) == 0 {
		t.printf("  %-10s %s\n", "DKIM", t.result(""))
	}
	for i, d := range r.DKIM {
		label := "DKIM"
		if i > 0 {
			label = ""
		}
		line := fmt.Sprintf("  %-10s %s  d=%s", label, t.result(string(d.Result)), textsafe.Clean(orNone(d.Domain)))
		if d.Selector != "" {
			line += " s=" + textsafe.Clean(d.Selector)
		}
		line += ", " + aligned(string(d.Result), d.Aligned)
		if d.BodyIntact != nil {
			line += map[bool]string{true: ", body intact", false: ", " + t.paint(sgrRed, "body changed")}[*d.BodyIntact]
		}
		if d.Reason != "" {
			line += " (" + textsafe.Clean(d.Reason) + ")"
		}
		for _, w := range d.Warnings {
			line += "\n" + strings.Repeat(" ", 13) + t.paint(sgrYellow, "! ") + textsafe.Clean(w)
		}
		t.printf("%s  [%s]\n", line, d.Origin)
	}
	if d := r.DMARC; d != nil {
		line := fmt.Sprintf("  %-10s %s  %s", "DMARC", t.result(string(d.Result)), textsafe.Clean(orNone(d.Domain)))
		if d.Policy != "" {
			line += ", policy " + textsafe.Clean(d.Policy)
		}
		if d.Disposition != "" {
			line += ", disposition " + textsafe.Clean(d.Disposition)
		}
		if d.Action != "" && d.Policy == "" && d.Disposition == "" {
			line += ", action " + textsafe.Clean(d.Action) + " (undocumented)"
		}
		t.printf("%s  [%s]\n", line, d.Origin)
	} else {
		t.printf("  %-10s %s\n", "DMARC", t.result(""))
	}
	if d := r.DMARCEvaluated; d != nil {
		line := fmt.Sprintf("  %-10s %s  %s", "", t.result(string(d.Result)), textsafe.Clean(orNone(d.Domain)))
		if d.PolicyDomain != "" {
			line += ", record at _dmarc." + textsafe.Clean(d.PolicyDomain)
		}
		if d.Policy != "" {
			line += ", policy " + textsafe.Clean(d.Policy)
		}
		if d.Disposition != "" {
			line += ", disposition " + textsafe.Clean(d.Disposition)
		}
		t.printf("%s  [%s]\n", line, d.Origin)
		if d.Error != "" {
			t.printf("  %-10s %s\n", "", textsafe.Clean(d.Error))
		}
	}
	if c := r.Compauth; c != nil {
		t.printf("  %-10s %s  reason %s: %s\n", "compauth", t.result(string(c.Result)), textsafe.Clean(orNone(c.Reason)), textsafe.Clean(c.Meaning))
	}
}

func (t *textReporter) authResults(r *authlens.Report) {
	if len(r.AuthResults) == 0 {
		return
	}
	t.printf("\n  Authentication results, top to bottom\n")
	t.printf("  %s\n", t.paint(sgrDim, fmt.Sprintf("%-3s %-36s %-28s %-8s %s", "#", "field", "receiver", "trusted", "results")))
	for i, f := range r.AuthResults {
		id := f.AuthservID
		if id == "" && f.Field != "Received-SPF" {
			id = "(none)"
		}
		if f.Instance > 0 {
			id = fmt.Sprintf("i=%d %s", f.Instance, id)
		}
		trusted := "no"
		if f.Trusted {
			trusted = t.paint(sgrBold, "yes")
		}
		var res []string
		for _, x := range f.Results {
			res = append(res, textsafe.Clean(x.Method)+"="+t.result(x.Result))
		}
		if f.Error != "" {
			res = append(res, t.paint(sgrRed, "error: "+textsafe.Clean(f.Error)))
		}
		t.printf("  %-3d %-36s %-28s %-8s %s\n", i+1, clip(textsafe.Clean(f.Field), 36), clip(textsafe.Clean(id), 28), trusted, strings.Join(res, " "))
	}
}

func (t *textReporter) findings(r *authlens.Report) {
	if len(r.Findings) == 0 {
		return
	}
	t.printf("\n  Findings\n")
	for _, f := range r.Findings {
		colour := map[finding.Severity]string{
			finding.High: sgrRed, finding.Medium: sgrYellow,
			finding.Low: "", finding.Info: sgrDim,
		}[f.Severity]
		t.printf("  %s %s  %s\n", t.paint(colour, fmt.Sprintf("%-8s", "["+string(f.Severity)+"]")), f.Code, textsafe.Clean(f.Message))
	}
}

func (t *textReporter) close() error { return t.err }

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clip shortens s to n runes for a table column.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
