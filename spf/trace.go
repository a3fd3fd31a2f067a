package spf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authlens/authlens/dnsclient"
)

// Trace records how a check reached its result, for people reading it:
// the records evaluated, every term tried and every DNS query made.
type Trace struct {
	// Records are the records evaluated, in order: the checked domain's
	// first, then those reached through include: and redirect=.
	Records []RecordTrace
	// Queries are the DNS queries made, in order.
	Queries []QueryTrace
	// Lookups is the number of DNS-querying terms evaluated, counted
	// against LookupLimit (RFC 7208, section 4.6.4).
	Lookups int
	// LookupLimit is the limit that applied.
	LookupLimit int
	// VoidLookups is the number of lookups that found nothing, counted
	// against VoidLimit (RFC 7208, section 4.6.4).
	VoidLookups int
	// VoidLimit is the limit that applied.
	VoidLimit int
}

// RecordTrace is the evaluation of one domain's policy.
type RecordTrace struct {
	// Domain is the domain whose record was fetched.
	Domain string
	// Parent is the index in Trace.Records of the record whose include or
	// redirect led here, or -1 for the checked domain.
	Parent int
	// Via is the term that led here, such as "include:_spf.example.net",
	// or empty for the checked domain.
	Via string
	// Record is the SPF record text, or empty when none was found.
	Record string
	// Status is the result of evaluating this domain's policy.
	Status Status
	// Terms are the terms tried, in order, then redirect= if it was
	// followed.
	Terms []TermTrace
}

// TermOutcome is what happened when a term was evaluated.
type TermOutcome string

// The outcomes of a term.
const (
	OutcomeMatch   TermOutcome = "match"    // the mechanism matched the client
	OutcomeNoMatch TermOutcome = "no match" // it did not
	OutcomeError   TermOutcome = "error"    // evaluating it ended the check
	OutcomeFollow  TermOutcome = "followed" // a redirect= was followed
)

// TermTrace is one term tried.
type TermTrace struct {
	// Term is the term as written in the record.
	Term string
	// Target is the domain the term queried after macro expansion, or
	// empty.
	Target string
	// Outcome says whether the term matched.
	Outcome TermOutcome
	// Detail explains the outcome in words, such as "include result
	// softfail" or "192.0.2.1 not among 3 addresses".
	Detail string
	// Child is the index in Trace.Records of the record an include or
	// redirect evaluated, or -1.
	Child int
}

// QueryTrace is one DNS query and the class of its answer.
type QueryTrace struct {
	// Name is the name queried (for PTR, the client address).
	Name string
	// Type is the record type: "TXT", "A", "AAAA", "MX", "PTR", or
	// "A/AAAA" for a resolver that only looks up both.
	Type string
	// Class is the kind of answer, from dnsclient.Classify; an empty
	// answer is reported as ClassNoData.
	Class dnsclient.Class
	// Answers is the number of records in the answer.
	Answers int
}

// Explain returns one sentence that says what decided the result, such as
// "softfail: 203.0.113.7 matched ~all in example.com after
// include:_spf.vendor.net did not list it (7 of 10 lookups used)".
func (r Result) Explain() string {
	var b strings.Builder
	b.Grow(96)
	b.WriteString(string(r.Status))
	b.WriteString(": ")
	ip := "the client"
	if r.ip.IsValid() {
		ip = r.ip.String()
	}
	switch {
	case r.Matched != nil:
		b.WriteString(ip)
		b.WriteString(" matched ")
		b.WriteString(r.Matched.Directive.String())
		b.WriteString(" in ")
		b.WriteString(r.Matched.Domain)
		if n := len(r.Matched.Via); n > 0 {
			fmt.Fprintf(&b, " (reached by %s from %s)", strings.Join(r.Matched.Via, ", "), r.Domain)
		}
		if rec := r.Matched.Record; rec >= 0 && rec < len(r.Trace.Records) {
			var missed []string
			for _, t := range r.Trace.Records[rec].Terms {
				if strings.Contains(t.Term, "include:") && t.Outcome == OutcomeNoMatch {
					missed = append(missed, t.Term)
				}
			}
			switch len(missed) {
			case 0:
			case 1:
				fmt.Fprintf(&b, " after %s did not list it", missed[0])
			default:
				fmt.Fprintf(&b, " after %s did not list it", strings.Join(missed, ", "))
			}
		}
	case r.Status == StatusNone && r.Err != nil:
		fmt.Fprintf(&b, "%v", r.Err)
		return b.String()
	case r.Status == StatusNone:
		fmt.Fprintf(&b, "%s publishes no SPF record", r.Domain)
		return b.String()
	case r.Status == StatusNeutral:
		fmt.Fprintf(&b, "no mechanism for %s matched %s, so the default applies", r.Domain, ip)
	case r.Err != nil:
		fmt.Fprintf(&b, "checking %s for %s: %v", r.Domain, ip, r.Err)
	}
	b.WriteString(" (")
	b.WriteString(strconv.Itoa(r.Trace.Lookups))
	b.WriteString(" of ")
	b.WriteString(strconv.Itoa(r.Trace.LookupLimit))
	b.WriteString(" lookups used")
	if r.Trace.VoidLookups > 0 {
		fmt.Fprintf(&b, ", %d void", r.Trace.VoidLookups)
	}
	b.WriteString(")")
	return b.String()
}
