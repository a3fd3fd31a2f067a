package spf

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/dnsclient"
)

// evaluator holds the state of one check: the arguments, the lookup
// counters shared by every nested include and redirect, and the trace.
type evaluator struct {
	r     Resolver
	args  Args
	ip    netip.Addr
	env   macroEnv
	trace Trace

	ptrDone  bool
	ptrNames []string // validated reverse names of ip, for the p macro
}

// hostResult is the outcome of check_host() for one domain.
type hostResult struct {
	status Status
	err    error
	match  *Match
	// expDomain and exp are the domain and exp= domain-spec of the record
	// whose explanation applies to a fail (RFC 7208, section 6.2: after a
	// redirect, the target's).
	expDomain string
	exp       string
}

func newEvaluator(r Resolver, args Args) *evaluator {
	e := &evaluator{r: r, args: args, ip: args.IP.Unmap()}
	e.trace.LookupLimit = defaultLookupLimit
	if args.LookupLimit > 0 {
		e.trace.LookupLimit = args.LookupLimit
	}
	e.trace.VoidLimit = defaultVoidLimit
	if args.VoidLimit > 0 {
		e.trace.VoidLimit = args.VoidLimit
	}
	return e
}

// run performs the check.
func (e *evaluator) run(ctx context.Context) Result {
	helo := strings.TrimSuffix(e.args.HELO, ".")
	var domain, local string
	switch {
	case e.args.Identity == IdentityHELO || e.args.MailFrom == "":
		// RFC 7208, section 2.4: with a null reverse-path, the HELO
		// identity is checked as postmaster@HELO.
		domain, local = helo, "postmaster"
	default:
		at := strings.LastIndexByte(e.args.MailFrom, '@')
		if at < 0 {
			domain = e.args.MailFrom
		} else {
			local, domain = e.args.MailFrom[:at], e.args.MailFrom[at+1:]
		}
		domain = strings.TrimSuffix(domain, ".")
		// RFC 7208, section 4.3: a sender without a local-part is
		// checked as postmaster.
		if local == "" {
			local = "postmaster"
		}
	}
	res := Result{Domain: domain, Sender: local + "@" + domain, ip: e.ip}
	e.env = macroEnv{
		sender: res.Sender, local: local, senderDomain: domain,
		ip: e.ip, helo: helo, receiver: e.args.Receiver, now: e.args.Now,
	}

	finish := func(r Result) Result {
		r.Trace = e.trace
		return r
	}
	if !e.ip.IsValid() {
		res.Status, res.Err = StatusNone, ErrInvalidIP
		return finish(res)
	}
	// RFC 7208, section 4.3: a malformed or single-label domain gives
	// none without any lookup.
	ascii, ok := checkName(domain)
	if !ok {
		res.Status, res.Err = StatusNone, fmt.Errorf("%w: %q", ErrInvalidDomain, domain)
		return finish(res)
	}
	domain = ascii
	e.env.senderDomain = domain

	out := e.checkHost(ctx, domain, -1, "", nil, 0)
	res.Status, res.Err, res.Matched = out.status, out.err, out.match
	if out.status == StatusFail && out.exp != "" {
		res.Explanation = e.explanation(ctx, out.expDomain, out.exp)
	}
	return finish(res)
}

// checkName checks a domain to evaluate (RFC 7208, section 4.3): it must
// be a multi-label name with labels of 1 to 63 characters. Names in
// Unicode are converted to A-labels.
func checkName(domain string) (string, bool) {
	if domain == "" || domain[0] == '[' {
		return "", false
	}
	for i := 0; i < len(domain); i++ {
		if domain[i] >= 0x80 {
			ascii, err := align.Normalize(domain)
			if err != nil {
				return "", false
			}
			domain = ascii
			break
		}
	}
	if !validTarget(domain) || !strings.Contains(domain, ".") {
		return "", false
	}
	return domain, true
}

// validTarget reports whether name can be queried: no empty label and no
// label longer than 63 characters (RFC 1035, section 2.3.4). Other names
// are treated as not existing (RFC 7208, section 4.8).
func validTarget(name string) bool {
	if name == "" || len(name) > maxDomainLen {
		return false
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > maxLabelLen {
			return false
		}
	}
	return true
}

// checkHost is check_host() of RFC 7208, section 4, for one domain.
// parent and via say which term led here; redirects lists the redirect=
// terms followed so far.
func (e *evaluator) checkHost(ctx context.Context, domain string, parent int, via string, redirects []string, depth int) hostResult {
	idx := len(e.trace.Records)
	e.trace.Records = append(e.trace.Records, RecordTrace{Domain: domain, Parent: parent, Via: via})
	out := e.evalDomain(ctx, domain, idx, redirects, depth)
	e.trace.Records[idx].Status = out.status
	return out
}

func (e *evaluator) evalDomain(ctx context.Context, domain string, idx int, redirects []string, depth int) hostResult {
	if depth > maxDepth {
		return hostResult{status: StatusPermError, err: fmt.Errorf("%w: at %s", ErrLoop, domain)}
	}
	rec, txt, out := e.fetchRecord(ctx, domain)
	e.trace.Records[idx].Record = txt
	if rec == nil {
		return out
	}

	for _, d := range rec.Directives {
		term := TermTrace{Term: d.String(), Child: -1}
		matched, status, err := e.mechanism(ctx, d, domain, idx, &term, redirects, depth)
		switch {
		case err != nil:
			term.Outcome = OutcomeError
			if term.Detail == "" {
				term.Detail = err.Error()
			}
		case matched:
			term.Outcome = OutcomeMatch
		default:
			term.Outcome = OutcomeNoMatch
		}
		e.trace.Records[idx].Terms = append(e.trace.Records[idx].Terms, term)
		if err != nil {
			return hostResult{status: status, err: err}
		}
		if matched {
			return hostResult{
				status:    d.Qualifier.Status(),
				match:     &Match{Domain: domain, Directive: d, Via: redirects, Record: idx},
				expDomain: domain,
				exp:       rec.Explanation,
			}
		}
	}

	// RFC 7208, section 6.1: redirect= applies only when no mechanism
	// matched, and is ignored when the record has an "all" mechanism.
	if rec.Redirect != "" && !hasAll(rec) {
		term := TermTrace{Term: "redirect=" + rec.Redirect, Child: -1}
		target, status, err := e.target(ctx, domain, rec.Redirect)
		term.Target = target
		if err == nil {
			status, err = e.countLookup()
		}
		if err != nil {
			term.Outcome, term.Detail = OutcomeError, err.Error()
			e.trace.Records[idx].Terms = append(e.trace.Records[idx].Terms, term)
			return hostResult{status: status, err: err}
		}
		term.Outcome, term.Child = OutcomeFollow, len(e.trace.Records)
		e.trace.Records[idx].Terms = append(e.trace.Records[idx].Terms, term)
		if target == "" {
			// An invalid name does not exist: the target has no record.
			return hostResult{status: StatusPermError, err: fmt.Errorf("%w: %q", ErrRedirectNone, rec.Redirect)}
		}
		chain := append(append([]string(nil), redirects...), term.Term)
		sub := e.checkHost(ctx, target, idx, term.Term, chain, depth+1)
		// RFC 7208, section 6.1: a redirect target without a record is a
		// permerror.
		if sub.status == StatusNone {
			e.trace.Records[idx].Terms[len(e.trace.Records[idx].Terms)-1].Detail = "target has no SPF record"
			return hostResult{status: StatusPermError, err: fmt.Errorf("%w: %s", ErrRedirectNone, target)}
		}
		return sub
	}
	// RFC 7208, section 4.7: no match and no redirect gives neutral.
	return hostResult{status: StatusNeutral, expDomain: domain, exp: rec.Explanation}
}

// hasAll reports whether rec has an "all" mechanism.
func hasAll(rec *Record) bool {
	for _, d := range rec.Directives {
		if d.Mechanism == MechanismAll {
			return true
		}
	}
	return false
}

// fetchRecord looks up and parses the SPF record of domain (RFC 7208,
// section 4.4 and 4.5). Without a usable record it returns nil and the
// result to give.
func (e *evaluator) fetchRecord(ctx context.Context, domain string) (*Record, string, hostResult) {
	txts, class, err := e.lookupTXT(ctx, domain)
	switch {
	case isVoid(class):
		return nil, "", hostResult{status: StatusNone}
	case err != nil:
		return nil, "", hostResult{status: StatusTempError, err: dnsError(domain, "TXT", err)}
	}
	var found []string
	for _, t := range txts {
		if hasVersion(t) {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return nil, "", hostResult{status: StatusNone}
	case 1:
	default:
		// RFC 7208, section 4.5: more than one record is a permerror.
		return nil, "", hostResult{status: StatusPermError, err: fmt.Errorf("%w: %d at %s", ErrMultipleRecords, len(found), domain)}
	}
	rec, _, err := ParseRecord(found[0])
	if err != nil {
		// RFC 7208, section 4.6: a syntax error anywhere in the record is a
		// permerror before any term is evaluated.
		return nil, found[0], hostResult{status: StatusPermError, err: fmt.Errorf("%s: %w", domain, err)}
	}
	return rec, found[0], hostResult{}
}

// countLookup counts one DNS-querying term against the limit (RFC 7208,
// section 4.6.4).
func (e *evaluator) countLookup() (Status, error) {
	e.trace.Lookups++
	if e.trace.Lookups > e.trace.LookupLimit {
		return StatusPermError, fmt.Errorf("%w: more than %d", ErrLookupLimit, e.trace.LookupLimit)
	}
	return "", nil
}

// countVoid counts one lookup that found nothing (RFC 7208, section
// 4.6.4).
func (e *evaluator) countVoid() (Status, error) {
	e.trace.VoidLookups++
	if e.trace.VoidLookups > e.trace.VoidLimit {
		return StatusPermError, fmt.Errorf("%w: more than %d", ErrVoidLimit, e.trace.VoidLimit)
	}
	return "", nil
}

// target expands a domain-spec with domain as the d macro. An expanded
// name that cannot be queried comes back empty and is treated as not
// existing.
func (e *evaluator) target(ctx context.Context, domain, spec string) (string, Status, error) {
	if spec == "" {
		return domain, "", nil
	}
	env := e.env
	env.domain = domain
	env.ptr = func() string { return e.validatedName(ctx, domain) }
	name, err := env.expandDomain(spec)
	if err != nil {
		return "", StatusPermError, err
	}
	if !validTarget(name) {
		return "", "", nil
	}
	return name, "", nil
}

// mechanism evaluates one directive. A non-nil error ends the check with
// the status returned.
func (e *evaluator) mechanism(ctx context.Context, d Directive, domain string, idx int, term *TermTrace, redirects []string, depth int) (bool, Status, error) {
	if d.Mechanism.countsLookup() {
		if status, err := e.countLookup(); err != nil {
			return false, status, err
		}
	}
	var target string
	if d.Mechanism.countsLookup() {
		t, status, err := e.target(ctx, domain, d.Domain)
		if err != nil {
			return false, status, err
		}
		if t == "" {
			term.Detail = "target is not a valid domain name; treated as not existing"
			if d.Mechanism == MechanismInclude {
				// A name that does not exist has no record: as for none.
				return false, StatusPermError, fmt.Errorf("%w: %q", ErrIncludeNone, d.Domain)
			}
			return false, "", nil
		}
		target = t
		term.Target = t
	}
	ip := e.ip
	switch d.Mechanism {
	case MechanismAll:
		return true, "", nil

	case MechanismIP4, MechanismIP6:
		bits := d.CIDR4
		if d.Mechanism == MechanismIP6 {
			bits = d.CIDR6
		}
		if bits < 0 {
			bits = d.IP.BitLen()
		}
		// RFC 7208, section 5.6: an IPv4 client (including an IPv4-mapped
		// one) never matches ip6, and an IPv6 client never matches ip4.
		if d.IP.Is4() != ip.Is4() {
			term.Detail = "address family differs"
			return false, "", nil
		}
		p, err := d.IP.Prefix(bits)
		if err != nil || !p.Contains(ip) {
			term.Detail = fmt.Sprintf("%s not in %s", ip, p)
			return false, "", nil
		}
		return true, "", nil

	case MechanismA:
		return e.matchAddrs(ctx, target, d, term, true)

	case MechanismMX:
		mxs, class, err := e.lookupMX(ctx, target)
		if isVoid(class) {
			status, err := e.countVoid()
			term.Detail = "no MX records"
			return false, status, err
		}
		if err != nil {
			return false, StatusTempError, dnsError(target, "MX", err)
		}
		// RFC 7208, section 4.6.4: more than 10 MX names is a permerror.
		if len(mxs) > maxMXNames {
			return false, StatusPermError, fmt.Errorf("%w: %d at %s", ErrMXLimit, len(mxs), target)
		}
		for _, mx := range mxs {
			host := strings.TrimSuffix(mx.Host, ".")
			if host == "" {
				continue
			}
			matched, status, err := e.matchAddrs(ctx, host, d, term, false)
			if err != nil || matched {
				return matched, status, err
			}
		}
		term.Detail = fmt.Sprintf("%s not among the addresses of %d MX hosts", ip, len(mxs))
		return false, "", nil

	case MechanismPTR:
		names, class, _ := e.lookupPTR(ctx)
		if isVoid(class) {
			status, err := e.countVoid()
			term.Detail = "no PTR records"
			return false, status, err
		}
		// RFC 7208, section 5.5: a failed PTR lookup is no match.
		target = strings.ToLower(target)
		for _, name := range e.validate(ctx, names, target) {
			if name == target || strings.HasSuffix(name, "."+target) {
				term.Detail = "validated name " + name
				return true, "", nil
			}
		}
		term.Detail = "no validated reverse name under " + target
		return false, "", nil

	case MechanismExists:
		// RFC 7208, section 5.7: exists always asks for A records.
		addrs, class, err := e.lookupAddrs(ctx, target, false)
		if isVoid(class) {
			status, err := e.countVoid()
			term.Detail = "no A record"
			return false, status, err
		}
		if err != nil {
			return false, StatusTempError, dnsError(target, "A", err)
		}
		return len(addrs) > 0, "", nil

	case MechanismInclude:
		term.Child = len(e.trace.Records)
		sub := e.checkHost(ctx, target, idx, term.Term, redirects, depth+1)
		term.Detail = "include result " + string(sub.status)
		// RFC 7208, section 5.2: pass matches; fail, softfail and neutral
		// do not; errors propagate, and none is a permerror.
		switch sub.status {
		case StatusPass:
			return true, "", nil
		case StatusFail, StatusSoftFail, StatusNeutral:
			return false, "", nil
		case StatusNone:
			return false, StatusPermError, fmt.Errorf("%w: %s", ErrIncludeNone, target)
		default:
			return false, sub.status, sub.err
		}
	}
	return false, StatusPermError, fmt.Errorf("%w: unknown mechanism %q", ErrSyntax, d.Mechanism)
}

// matchAddrs looks up the addresses of name in the client's family and
// reports whether one of them, widened to the directive's prefix length,
// contains the client (the a mechanism, section 5.3, and each MX host,
// section 5.4). countVoid says whether an empty answer is a void lookup.
func (e *evaluator) matchAddrs(ctx context.Context, name string, d Directive, term *TermTrace, countVoid bool) (bool, Status, error) {
	v6 := e.ip.Is6()
	addrs, class, err := e.lookupAddrs(ctx, name, v6)
	if isVoid(class) {
		term.Detail = "no addresses"
		if countVoid {
			status, err := e.countVoid()
			return false, status, err
		}
		return false, "", nil
	}
	if err != nil {
		return false, StatusTempError, dnsError(name, addrType(v6), err)
	}
	bits := d.CIDR4
	if v6 {
		bits = d.CIDR6
	}
	if bits < 0 {
		bits = e.ip.BitLen()
	}
	for _, a := range addrs {
		if p, err := a.Prefix(bits); err == nil && p.Contains(e.ip) {
			return true, "", nil
		}
	}
	term.Detail = fmt.Sprintf("%s not among %d addresses", e.ip, len(addrs))
	return false, "", nil
}

// validate returns the names among the first 10 of names whose addresses
// include the client (RFC 7208, section 5.5). When under is not empty,
// only names equal to or below it are looked at.
func (e *evaluator) validate(ctx context.Context, names []string, under string) []string {
	// RFC 7208, section 4.6.4: only the first 10 PTR names are used.
	if len(names) > maxPTRNames {
		names = names[:maxPTRNames]
	}
	var ok []string
	for _, n := range names {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if under != "" && n != under && !strings.HasSuffix(n, "."+under) {
			continue
		}
		if !validTarget(n) {
			continue
		}
		// RFC 7208, section 5.5: a name whose address lookup fails is
		// skipped.
		addrs, _, err := e.lookupAddrs(ctx, n, e.ip.Is6())
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if a == e.ip {
				ok = append(ok, n)
				break
			}
		}
	}
	return ok
}

// validatedName is the p macro (RFC 7208, section 7.3): a validated
// reverse name of the client, preferring domain itself, then a name under
// it, then any; "unknown" when there is none.
func (e *evaluator) validatedName(ctx context.Context, domain string) string {
	if !e.ptrDone {
		e.ptrDone = true
		names, _, err := e.lookupPTR(ctx)
		if err == nil {
			e.ptrNames = e.validate(ctx, names, "")
		}
	}
	domain = strings.ToLower(domain)
	best := ""
	for _, n := range e.ptrNames {
		switch {
		case n == domain:
			return n
		case strings.HasSuffix(n, "."+domain) && best == "":
			best = n
		}
	}
	if best != "" {
		return best
	}
	if len(e.ptrNames) > 0 {
		return e.ptrNames[0]
	}
	return "unknown"
}

// explanation fetches and expands the exp= explanation of domain (RFC 7208,
// section 6.2). Every failure gives the empty string: the receiver then
// uses its default.
func (e *evaluator) explanation(ctx context.Context, domain, spec string) string {
	name, _, err := e.target(ctx, domain, spec)
	if err != nil || name == "" {
		return ""
	}
	txts, _, err := e.lookupTXT(ctx, name)
	// RFC 7208, section 6.2: exactly one TXT record must be returned.
	if err != nil || len(txts) != 1 {
		return ""
	}
	for i := 0; i < len(txts[0]); i++ {
		// RFC 7208, section 6.2: explanations are 7-bit ASCII.
		if txts[0][i] >= 0x80 {
			return ""
		}
	}
	env := e.env
	env.domain = domain
	env.ptr = func() string { return e.validatedName(ctx, domain) }
	text, err := env.expandExplanation(txts[0])
	if err != nil {
		return ""
	}
	return text
}

// isVoid reports whether an answer class means nothing was found.
func isVoid(c dnsclient.Class) bool {
	switch c {
	case dnsclient.ClassNXDomain, dnsclient.ClassNoData, dnsclient.ClassNotFound:
		return true
	}
	return false
}

// dnsError wraps a failed lookup as a temperror cause (RFC 7208, section
// 2.6.6).
func dnsError(name, qtype string, err error) error {
	return fmt.Errorf("%w: %s %s: %w", ErrDNS, qtype, name, err)
}

func addrType(v6 bool) string {
	if v6 {
		return "AAAA"
	}
	return "A"
}

// fqdn makes name absolute, so resolvers never apply search domains.
func fqdn(name string) string {
	if strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}

// record adds a query to the trace and classifies its answer; an empty
// successful answer counts as NODATA.
func (e *evaluator) record(name, qtype string, n int, err error) dnsclient.Class {
	class := dnsclient.Classify(err)
	if err == nil && n == 0 {
		class = dnsclient.ClassNoData
	}
	e.trace.Queries = append(e.trace.Queries, QueryTrace{Name: name, Type: qtype, Class: class, Answers: n})
	return class
}

// canceled returns the context's error once ctx is done, so no query is
// started after a check was canceled.
func canceled(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return nil
}

func (e *evaluator) lookupTXT(ctx context.Context, name string) ([]string, dnsclient.Class, error) {
	if err := canceled(ctx); err != nil {
		return nil, e.record(name, "TXT", 0, err), err
	}
	txts, err := e.r.LookupTXT(ctx, fqdn(name))
	return txts, e.record(name, "TXT", len(txts), err), err
}

func (e *evaluator) lookupMX(ctx context.Context, name string) ([]*net.MX, dnsclient.Class, error) {
	if err := canceled(ctx); err != nil {
		return nil, e.record(name, "MX", 0, err), err
	}
	mxs, err := e.r.LookupMX(ctx, fqdn(name))
	return mxs, e.record(name, "MX", len(mxs), err), err
}

func (e *evaluator) lookupPTR(ctx context.Context) ([]string, dnsclient.Class, error) {
	name := e.ip.String()
	if err := canceled(ctx); err != nil {
		return nil, e.record(name, "PTR", 0, err), err
	}
	names, err := e.r.LookupAddr(ctx, name)
	return names, e.record(name, "PTR", len(names), err), err
}

// lookupAddrs returns the IPv4 (or, with v6, IPv6) addresses of name.
func (e *evaluator) lookupAddrs(ctx context.Context, name string, v6 bool) ([]netip.Addr, dnsclient.Class, error) {
	qtype, network := addrType(v6), "ip4"
	if v6 {
		network = "ip6"
	}
	if err := canceled(ctx); err != nil {
		return nil, e.record(name, qtype, 0, err), err
	}
	if nr, ok := e.r.(netIPResolver); ok {
		addrs, err := nr.LookupNetIP(ctx, network, fqdn(name))
		var out []netip.Addr
		for _, a := range addrs {
			if a = a.Unmap(); a.Is6() == v6 {
				out = append(out, a)
			}
		}
		return out, e.record(name, qtype, len(out), err), err
	}
	ipas, err := e.r.LookupIPAddr(ctx, fqdn(name))
	var out []netip.Addr
	for _, ipa := range ipas {
		a, ok := netip.AddrFromSlice(ipa.IP)
		if ok && a.Unmap().Is6() == v6 {
			out = append(out, a.Unmap())
		}
	}
	return out, e.record(name, "A/AAAA", len(out), err), err
}
