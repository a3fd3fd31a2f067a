// Package dmarc implements DMARC, Domain-based Message Authentication,
// Reporting, and Conformance, as specified by [RFC 7489] and by its
// successor DMARCbis, [RFC 9989].
//
// DMARC lets the owner of the domain in a message's From header (the Author
// Domain) publish a policy in DNS, at _dmarc.<domain>, saying how receivers
// should treat mail that fails authentication. A message passes DMARC when
// SPF or DKIM passed for an identifier aligned with the Author Domain: the
// same name (strict alignment) or the same organizational domain (relaxed
// alignment, the default).
//
// The two specifications differ mainly in how they find the policy record
// and the organizational domain:
//
//   - RFC 7489 ([Mode7489]) queries the Author Domain, then its
//     organizational domain, which comes from the Public Suffix List
//     (package align).
//   - RFC 9989 ([ModeBis], the default) walks up the DNS tree from the
//     Author Domain, at most eight queries, and lets domains mark
//     themselves as public suffix domains (psd=y) or organizational
//     domains (psd=n). It adds np= for subdomains that do not exist and
//     t= for testing, and drops pct=, rf= and ri=.
//
// [ParseRecord] reads a record and collects every problem as a
// [Diagnosis]; [Discover] finds the record that applies; [Evaluate]
// computes the DMARC result for a message from its SPF and DKIM results;
// [EvaluateRecorded] recomputes a verdict offline from what a receiver
// recorded in Authentication-Results and lists where it disagrees;
// [Audit] reviews a domain's published record.
//
// [RFC 7489]: https://www.rfc-editor.org/rfc/rfc7489
// [RFC 9989]: https://www.rfc-editor.org/rfc/rfc9989
package dmarc

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/authlens/authlens/align"
)

// Status is a DMARC result, valued with its RFC 8601 keyword.
type Status string

// The DMARC results, as registered for Authentication-Results (RFC 7489,
// section 11.2).
const (
	StatusPass      Status = "pass"      // an aligned identifier passed SPF or DKIM
	StatusFail      Status = "fail"      // a policy exists and no aligned identifier passed
	StatusNone      Status = "none"      // no DMARC policy applies
	StatusTemperror Status = "temperror" // a temporary (DNS) error prevented a result
	StatusPermerror Status = "permerror" // the policy record is unusable
)

// Mode selects the specification DMARC is evaluated by.
type Mode string

// The two modes. The zero Mode means [ModeBis].
const (
	ModeBis  Mode = "rfc9989" // DMARCbis: DNS Tree Walk, psd=, np=, t=
	Mode7489 Mode = "rfc7489" // RFC 7489: Public Suffix List, pct=
)

func (m Mode) normalize() Mode {
	if m == Mode7489 {
		return Mode7489
	}
	return ModeBis
}

// AuthResult is an SPF or DKIM result as DMARC receives it (RFC 8601
// keywords).
type AuthResult string

// SPF and DKIM results.
const (
	AuthPass      AuthResult = "pass"      // the only result that can make DMARC pass
	AuthFail      AuthResult = "fail"      // SPF fail or a DKIM signature that did not verify
	AuthSoftfail  AuthResult = "softfail"  // SPF softfail
	AuthNeutral   AuthResult = "neutral"   // SPF neutral
	AuthNone      AuthResult = "none"      // no SPF record or no signature
	AuthPolicy    AuthResult = "policy"    // DKIM signature rejected by local policy
	AuthTemperror AuthResult = "temperror" // temporary failure; may make DMARC temperror
	AuthPermerror AuthResult = "permerror" // permanent error
)

// SPFInput is the SPF result for a message.
type SPFInput struct {
	// Result is the SPF result.
	Result AuthResult
	// MailFromDomain is the domain of the SMTP MAIL FROM address; empty
	// for a null reverse path.
	MailFromDomain string
	// HELODomain is the HELO/EHLO name. It is used as the SPF identifier
	// only when MailFromDomain is empty (RFC 7489, section 3.1.2); using
	// it when a MAIL FROM exists would let a sender pass DMARC with its
	// own HELO name (CVE-2019-20790).
	HELODomain string
}

// Domain returns the SPF-authenticated identifier DMARC aligns: the MAIL
// FROM domain, or the HELO domain when there is no MAIL FROM.
func (s SPFInput) Domain() string {
	if s.MailFromDomain != "" {
		return s.MailFromDomain
	}
	return s.HELODomain
}

// DKIMInput is the result of one DKIM signature.
type DKIMInput struct {
	// Result is the signature's verification result.
	Result AuthResult
	// Domain is the signature's d= domain.
	Domain string
}

// Input is what DMARC evaluates: the From domain and the SPF and DKIM
// results of a message.
type Input struct {
	// FromDomain is the domain of the RFC 5322 From address.
	FromDomain string
	// FromDomains lists the domains of all From addresses when there are
	// several; FromDomain is then ignored.
	FromDomains []string
	// SPF is the SPF result.
	SPF SPFInput
	// DKIM holds one entry per DKIM signature.
	DKIM []DKIMInput
}

// Options tune an evaluation. The zero value is valid.
type Options struct {
	// Mode is the specification to follow; the zero value is [ModeBis].
	Mode Mode
	// Sample returns a number from 0 to 99 to decide whether a failing
	// message falls within an RFC 7489 pct= sample: it does when the
	// number is below pct. Nil uses a random number; see [SeededSample]
	// for a reproducible source.
	Sample func() int
	// Logger, when set, receives one debug line per call.
	Logger *slog.Logger
	// Records, if set, parses the policy records through this cache,
	// shared with other evaluations: the records it holds, which
	// Result.Record may be, must not be modified.
	Records *RecordCache
}

// SeededSample returns a reproducible [Options.Sample] source.
func SeededSample(seed uint64) func() int {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func() int { return rng.IntN(100) }
}

// Result is the outcome of a DMARC evaluation.
type Result struct {
	// Status is the DMARC result.
	Status Status
	// Domain is the Author Domain evaluated, normalized.
	Domain string
	// PolicyDomain is where the applied record was found.
	PolicyDomain string
	// OrgDomain is the Author Domain's organizational domain.
	OrgDomain string
	// OrgDomains maps each domain whose organizational domain was
	// determined (the Author Domain and the passing identifiers) to it.
	OrgDomains map[string]string
	// Record is the applied DMARC record, nil when none applies.
	Record *Record
	// Policy is the policy that applies to the Author Domain: p=, or sp=
	// or np= for a subdomain of the policy domain.
	Policy Policy
	// PolicyTag names the tag Policy came from: "p", "sp" or "np" (or
	// the tag whose default it is).
	PolicyTag string
	// SPFAligned is true when SPF passed for an aligned identifier.
	SPFAligned bool
	// DKIMAligned is true when a DKIM signature with an aligned d= passed.
	DKIMAligned bool
	// AlignedDKIMDomain is the d= of the first aligned passing signature.
	AlignedDKIMDomain string
	// Disposition is what to do with the message: Policy, reduced when
	// the message fell outside an RFC 7489 pct= sample or the record is
	// in RFC 9989 testing mode (t=y), and none unless Status is fail.
	Disposition Policy
	// DispositionReason explains Disposition in a sentence.
	DispositionReason string
	// ApplyPolicy is true when the published policy is applied as is:
	// the message failed, the policy is not none, and neither pct= nor
	// t=y reduced it.
	ApplyPolicy bool
	// Queries lists every DNS query made, in order.
	Queries []Query
	// Discovery is the policy discovery for the Author Domain.
	Discovery Discovery
	// PerDomain holds the evaluation of each From domain when there were
	// several; the fields above are then those of the strictest one.
	PerDomain []Result
	// Err explains a temperror or permerror, or why DMARC does not apply.
	Err error
	// Notes name DNS queries that failed without changing the result,
	// and why they could not (RFC 9989, section 4.10: a tree walk cut
	// short above the policy record).
	Notes []string
}

// Evaluate computes the DMARC result for a message.
//
// Several From domains: RFC 7489, section 6.6.1 lets receivers reject such
// a message or apply DMARC to each domain; RFC 9989 keeps that choice. Evaluate applies DMARC to each distinct domain and returns the
// strictest outcome (fail, then temperror, permerror, none, pass: the
// message passes only when every domain passes), with the individual
// results in [Result.PerDomain].
//
// A message with no aligned pass where an aligned identifier had a
// temporary error gets temperror rather than fail: a retry may pass
// (RFC 7489 leaves this to the receiver).
func Evaluate(ctx context.Context, r Resolver, in Input, opts Options) Result {
	start := time.Now()
	domains := in.FromDomains
	if len(domains) == 0 {
		domains = []string{in.FromDomain}
	}
	var seen []string
	var results []Result
	w := newWalker(ctx, r, opts.Mode)
	w.records = opts.Records
	for _, d := range domains {
		nd, err := align.Normalize(d)
		if err == nil && slices.Contains(seen, nd) {
			continue
		}
		seen = append(seen, nd)
		results = append(results, evaluateOne(w, d, in, opts))
	}
	res := results[0]
	if len(results) > 1 {
		for _, o := range results[1:] {
			if statusRank(o.Status) < statusRank(res.Status) ||
				(o.Status == res.Status && policyRank(o.Disposition) > policyRank(res.Disposition)) {
				res = o
			}
		}
		res.PerDomain = results
	}
	res.Queries = w.queries
	if opts.Logger != nil {
		opts.Logger.LogAttrs(ctx, slog.LevelDebug, "dmarc evaluate", slog.String("domain", res.Domain),
			slog.String("status", string(res.Status)), slog.Any("err", res.Err), slog.Duration("duration", time.Since(start)))
	}
	return res
}

func statusRank(s Status) int {
	return map[Status]int{StatusFail: 0, StatusTemperror: 1, StatusPermerror: 2, StatusNone: 3, StatusPass: 4}[s]
}

func policyRank(p Policy) int {
	return map[Policy]int{PolicyNone: 0, PolicyQuarantine: 1, PolicyReject: 2}[p]
}

// evaluateOne evaluates one Author Domain.
func evaluateOne(w *walker, from string, in Input, opts Options) (res Result) {
	mode := w.mode
	notes := len(w.notes)
	disc := w.discover(from)
	res = Result{Domain: disc.Domain, Discovery: disc, Record: disc.Record, PolicyDomain: disc.PolicyDomain,
		OrgDomain: disc.OrgDomain, Disposition: PolicyNone}
	if disc.OrgDomain != "" {
		res.OrgDomains = map[string]string{disc.Domain: disc.OrgDomain}
	}
	// A tree walk that failed above the policy record leaves the policy
	// known: evaluation goes on, and the failure matters only if an
	// alignment needs the organizational domain it could not settle.
	partial := disc.Status() == StatusTemperror && disc.Record != nil && mode == ModeBis
	if st := disc.Status(); st != "" && !partial {
		res.Status, res.Err = st, disc.Err
		if disc.Record != nil && st != StatusTemperror {
			res.Record, res.PolicyDomain = nil, ""
		}
		if disc.Record != nil && st == StatusTemperror {
			res.Policy, res.PolicyTag = applicablePolicy(w, disc)
		}
		res.DispositionReason = fmt.Sprintf("DMARC %s: no policy is applied", st)
		return res
	}
	defer func() {
		if partial && res.Status != StatusTemperror && disc.OrgDomain == "" {
			w.note(fmt.Sprintf("%v above the policy record at _dmarc.%s; it cannot change this result", disc.Err, disc.PolicyDomain))
		}
		res.Notes = append(res.Notes, w.notes[notes:]...)
	}()
	rec := disc.Record
	res.Policy, res.PolicyTag = applicablePolicy(w, disc)

	// RFC 7489, section 3.1: only an identifier that passed and is aligned
	// with the Author Domain counts.
	var tempAligned bool
	var alignErr error
	aligned := func(id string, mode align.Mode) bool {
		ok, err := w.aligned(disc, id, mode, res.OrgDomains)
		if err != nil && alignErr == nil {
			alignErr = err
		}
		return ok
	}
	if spfDomain := in.SPF.Domain(); spfDomain != "" {
		switch in.SPF.Result {
		case AuthPass:
			res.SPFAligned = aligned(spfDomain, rec.SPFMode())
		case AuthTemperror:
			tempAligned = tempAligned || aligned(spfDomain, rec.SPFMode())
		}
	}
	for _, sig := range in.DKIM {
		switch sig.Result {
		case AuthPass:
			if !res.DKIMAligned && aligned(sig.Domain, rec.DKIMMode()) {
				res.DKIMAligned, res.AlignedDKIMDomain = true, sig.Domain
			}
		case AuthTemperror:
			tempAligned = tempAligned || aligned(sig.Domain, rec.DKIMMode())
		}
	}
	switch {
	case res.SPFAligned || res.DKIMAligned:
		res.Status = StatusPass
		res.DispositionReason = "DMARC passed"
		return res
	case alignErr != nil:
		res.Status, res.Err = StatusTemperror, alignErr
		partial = false
		res.DispositionReason = "organizational domain lookup failed: no policy is applied"
		return res
	case tempAligned:
		res.Status = StatusTemperror
		res.Err = fmt.Errorf("%w: an aligned identifier had a temporary error and none passed", ErrDNS)
		res.DispositionReason = "temporary authentication error: no policy is applied"
		return res
	}
	res.Status = StatusFail
	res.Err = fmt.Errorf("dmarc: no aligned identifier passed for %s", res.Domain)
	res.Disposition, res.ApplyPolicy, res.DispositionReason = disposition(rec, res.Policy, res.PolicyTag, mode, opts)
	return res
}

// applicablePolicy picks p=, sp= or np= for the Author Domain (RFC 7489,
// section 6.6.3; RFC 9989, section 4.7).
func applicablePolicy(w *walker, disc Discovery) (Policy, string) {
	rec := disc.Record
	if disc.PolicyDomain == disc.Domain {
		p, _ := rec.DomainPolicy(w.mode)
		return p, "p"
	}
	tag := "sp"
	if rec.SubdomainPolicy == "" {
		tag = "p"
	}
	if w.mode == ModeBis && (rec.NonexistentPolicy != "" || rec.SubdomainPolicy != "") && !w.exists(disc.Domain) {
		// RFC 9989, section 4.7: np= covers Author Domains that do not
		// exist in DNS; its default is sp=, whose default is p=.
		p, _ := rec.NonexistentSubPolicy(w.mode)
		if rec.NonexistentPolicy != "" {
			tag = "np"
		}
		return p, tag
	}
	p, _ := rec.SubPolicy(w.mode)
	return p, tag
}

// aligned reports whether id aligns with the Author Domain of disc in mode,
// recording organizational domains it determines in orgs.
func (w *walker) aligned(disc Discovery, id string, mode align.Mode, orgs map[string]string) (bool, error) {
	nid, err := align.Normalize(id)
	if err != nil {
		return false, nil
	}
	if nid == disc.Domain {
		return true, nil
	}
	if mode == align.ModeStrict {
		return false, nil
	}
	if disc.OrgDomain == "" {
		// The tree walk from the Author Domain failed: its
		// organizational domain is unknown.
		return false, disc.Err
	}
	if w.mode == Mode7489 {
		org, err := align.OrgDomain(nid)
		if err != nil {
			return false, nil
		}
		orgs[nid] = org
		return org == disc.OrgDomain, nil
	}
	org, err := w.orgDomain(nid)
	if err != nil {
		return false, err
	}
	orgs[nid] = org
	return org == disc.OrgDomain, nil
}

// disposition applies RFC 7489 pct= sampling or RFC 9989 t=y to a failing
// message's policy.
func disposition(rec *Record, p Policy, tag string, mode Mode, opts Options) (Policy, bool, string) {
	if p == PolicyNone || p == "" {
		return PolicyNone, false, fmt.Sprintf("the %s= policy is none: monitoring only", tag)
	}
	reduce := func(p Policy) Policy {
		if p == PolicyReject {
			return PolicyQuarantine
		}
		return PolicyNone
	}
	if mode == ModeBis {
		if rec.Testing == FlagYes {
			// RFC 9989, section 4.7: t=y asks receivers to apply the
			// policy one step milder (reject as quarantine, quarantine
			// as none).
			return reduce(p), false, fmt.Sprintf("t=y (testing): %s=%s applied as %s", tag, p, reduce(p))
		}
		return p, true, fmt.Sprintf("%s=%s applied", tag, p)
	}
	pct := rec.Pct()
	if pct >= 100 {
		return p, true, fmt.Sprintf("%s=%s applied", tag, p)
	}
	sample := opts.Sample
	if sample == nil {
		sample = func() int { return rand.IntN(100) }
	}
	n := sample()
	if n < pct {
		return p, true, fmt.Sprintf("%s=%s applied: message within the pct=%d sample (drew %d)", tag, p, pct, n)
	}
	// RFC 7489, section 6.6.4: a message outside the sample gets the next
	// milder treatment: quarantine instead of reject, normal handling
	// instead of quarantine.
	return reduce(p), false, fmt.Sprintf("%s=%s reduced to %s: message outside the pct=%d sample (drew %d)", tag, p, reduce(p), pct, n)
}

// String summarizes r in one line, like an Authentication-Results entry.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dmarc=%s header.from=%s", r.Status, r.Domain)
	if r.Policy != "" {
		fmt.Fprintf(&b, " policy.%s=%s", r.PolicyTag, r.Policy)
	}
	if r.Disposition != "" {
		fmt.Fprintf(&b, " disposition=%s", r.Disposition)
	}
	return b.String()
}
