package authlens

import (
	"slices"
	"strings"
	"time"

	"github.com/authlens/authlens/compauth"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/header"
	"github.com/authlens/authlens/trust"
)

// microsoft adds Microsoft 365's verdict fields: the recorded compauth
// explained and compared with an estimate from the SPF, DKIM and DMARC
// results (so the analyst sees which part of Microsoft's verdict the
// headers explain), the antispam fields decoded, and Exchange's
// submission classification.
func (a *analysis) microsoft() {
	fields := a.msg.Fields
	microsoft := slices.ContainsFunc(fields, func(f header.Field) bool { return isMicrosoftField(f.Name) })
	get := func(name string) []string {
		if !microsoft && isMicrosoftField(name) {
			return nil // spare scanning the fields for names that are not there
		}
		return header.Values(fields, name)
	}
	in := a.compauthInputs()
	ms := compauth.Analyze(get, compauth.Options{Inputs: &in})
	a.rep.Antispam = ms.Antispam
	if ms.Submission != nil {
		a.submission().Exchange = ms.Submission
	}
	// Microsoft's fields describe the message as a Microsoft 365 tenant saw
	// it. Unless that tenant is the trusted receiver, it was the sender's
	// (or an earlier hop's): what it decided is context, not a verdict on
	// the reader's copy.
	theirs := a.boundary.Receiver != trust.MicrosoftReceiver
	for _, f := range ms.Findings {
		if f.Code == compauth.CodeCompauthFail {
			continue // worded by the root analysis, from the trusted field
		}
		if theirs {
			a.add(finding.Info, f.Code, "Written by a Microsoft 365 tenant that was not the final receiver (the sender's, or an earlier hop's): %s", lowerFirst(f.Message))
			continue
		}
		a.add(finding.Severity(f.Severity), f.Code, "%s", f.Message)
	}
	c := a.rep.Compauth
	if c == nil {
		return
	}
	ex := compauth.Explain(string(c.Result), c.Reason)
	est := in.Estimate()
	cmp := compauth.Compare(ex, est)
	c.Confidence = string(ex.Confidence)
	c.NextSteps = ex.NextSteps
	c.Estimate = &est
	c.Comparison = &cmp
}

// compauthInputs turns the report's verdicts into compauth's inputs.
func (a *analysis) compauthInputs() compauth.Inputs {
	var in compauth.Inputs
	if s := a.rep.SPF; s != nil {
		in.SPFResult, in.SPFAligned = string(s.Result), s.Aligned
	}
	for _, d := range a.rep.DKIM {
		if d.Origin == OriginRecorded { // Microsoft's own results, not ours
			in.DKIM = append(in.DKIM, compauth.DKIMInput{Result: string(d.Result), Aligned: d.Aligned})
		}
	}
	if d := a.rep.DMARC; d != nil {
		in.DMARCResult, in.DMARCPolicy = string(d.Result), d.Policy
	}
	if c := a.rep.ARC; c != nil {
		in.ARCResult, in.ARCTrusted = c.Result, c.Trusted
	}
	return in
}

// submission returns the report's submission section, creating it.
func (a *analysis) submission() *Submission {
	if a.rep.Submission == nil {
		a.rep.Submission = &Submission{}
	}
	return a.rep.Submission
}

// now is the clock for judging Received dates.
func (a *analysis) now() time.Time {
	if a.opts.Now != nil {
		return a.opts.Now()
	}
	return time.Now()
}

// isMicrosoftField reports whether name is of a field Exchange Online
// writes: X-MS-*, X-Microsoft-*, X-Forefront-*.
func isMicrosoftField(name string) bool {
	return hasPrefixFold(name, "X-MS-") || hasPrefixFold(name, "X-Microsoft-") || hasPrefixFold(name, "X-Forefront-")
}

// lowerFirst lower-cases the first letter of a sentence that is quoted
// inside another.
func lowerFirst(s string) string {
	if s == "" || len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s // empty, or an acronym such as "SCL"
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII letter case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
