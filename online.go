package authlens

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"strings"
	"time"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/header"
	"github.com/authlens/authlens/spf"
)

// Resolver answers the DNS queries of online checks. *dnsclient.Client,
// *dnsclient.ZoneResolver and *net.Resolver all satisfy it.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

var (
	_ Resolver = (*net.Resolver)(nil)
	_ Resolver = (*dnsclient.Client)(nil)
	_ Resolver = (*dnsclient.ZoneResolver)(nil)
)

// VerifyTime chooses the moment DKIM signature expiry (x=) is judged at.
type VerifyTime string

// Moments to verify DKIM signatures as of.
const (
	// VerifyAtNow judges at Options.Now, or the clock.
	VerifyAtNow VerifyTime = ""
	// VerifyAtDate judges at the message's Date field.
	VerifyAtDate VerifyTime = "date"
	// VerifyAtReceived judges at delivery: the newest Received date.
	VerifyAtReceived VerifyTime = "received"
)

// online re-checks SPF, DKIM and DMARC over DNS and sets them beside the
// recorded verdicts, explaining where the two differ.
func (a *analysis) online(ctx context.Context) {
	r := a.opts.Resolver
	if r == nil {
		return
	}
	ctx, tr := dnsclient.WithTranscript(ctx)
	a.onlineSPF(ctx, r)
	a.onlineDKIM(ctx, r)
	a.onlineDMARC(ctx, r)
	entries := tr.Entries()
	if len(entries) > 0 && a.rep.DNS == nil {
		a.rep.DNS = make([]DNSQuery, 0, len(entries))
	}
	for _, e := range entries {
		a.rep.DNS = append(a.rep.DNS, DNSQuery{Name: e.Name, Type: e.Type, Class: string(e.Class), Records: e.Records, Cached: e.Cached, Error: e.Err})
	}
	a.onlineTempErrors()
}

// Finding codes of the online checks.
const (
	// CodeOnlineTempError says that some online checks could not run
	// because DNS failed temporarily: their evaluated results are
	// temperror, and nothing is concluded from them.
	CodeOnlineTempError finding.Code = "online-temperror"
)

// onlineTempErrors reports, once per message, the evaluated checks that
// could not run because of a temporary DNS failure. Such a check gave no
// answer, so it is never compared with the recorded one (RFC 8601,
// section 2.7: temperror is a failure to evaluate, not a result).
func (a *analysis) onlineTempErrors() {
	var checks []string
	why := ""
	note := func(check, err string) {
		checks = append(checks, check)
		if why == "" {
			why = err
		}
	}
	if s := a.rep.SPFEvaluated; s != nil && s.Result == authres.ResultValue(spf.StatusTempError) {
		note("SPF", s.Error)
	}
	for _, d := range a.rep.DKIM {
		if d.Origin == OriginEvaluated && d.Result == authres.ResultValue(dkim.StatusTempError) {
			note("DKIM d="+d.Domain, d.Reason)
			break
		}
	}
	if d := a.rep.DMARCEvaluated; d != nil && d.Result == authres.ResultValue(dmarc.StatusTemperror) && !strings.Contains(d.Error, spfUndetermined) {
		note("DMARC", d.Error)
	}
	if len(checks) == 0 {
		return
	}
	if why == "" {
		why = "a DNS query failed"
	}
	a.add(finding.Low, CodeOnlineTempError, "%s could not be re-checked now (temperror): %s. A check that could not run is not compared with what the receiver recorded; try again later.", strings.Join(checks, ", "), strings.TrimSuffix(why, "."))
}

// spfUndetermined starts the note of a DMARC evaluation for which SPF
// could be neither re-checked nor read from the receiver's record.
const spfUndetermined = "SPF undetermined"

// isTempError reports whether an evaluated result is temperror: the check
// could not run.
func isTempError(result authres.ResultValue) bool {
	return normResult(result) == authres.ResultTempError
}

// onlineSPF runs check_host (RFC 7208, section 4) for the client the
// trusted receiver saw.
func (a *analysis) onlineSPF(ctx context.Context, r Resolver) {
	ip, ipFrom := a.clientIP()
	if !ip.IsValid() {
		a.add(finding.Low, CodeNoClientIP, "SPF could not be re-checked: no trusted header records the connecting client's IP address. DMARC is evaluated with the SPF result the receiver recorded, or as undetermined where that could decide it.")
		return
	}
	args := spf.Args{IP: ip, HELO: a.helo(), Now: a.opts.Now}
	if mf := a.rep.MailFrom; mf != nil && mf.Domain != "" && mf.Origin != "helo" {
		args.MailFrom = mf.Address
		if args.MailFrom == "" {
			args.MailFrom = "postmaster@" + mf.Domain
		}
	}
	res := spf.Check(ctx, r, args)
	v := &SPFEvaluated{
		SPFVerdict: SPFVerdict{Result: authres.ResultValue(res.Status), Domain: res.Domain, Origin: OriginEvaluated},
		ClientIP:   ip.String(), ClientIPFrom: ipFrom, Explanation: res.Explain(),
		Lookups: res.Trace.Lookups,
	}
	v.Aligned = args.MailFrom != "" && a.fromDomain != "" && spf.Aligned(res.Domain, a.fromDomain, align.ModeRelaxed)
	if res.Err != nil {
		v.Error = res.Err.Error()
	}
	a.rep.SPFEvaluated = v
	if rec := a.rep.SPF; rec != nil && normResult(rec.Result) != v.Result && !isTempError(v.Result) {
		why := "the domain's SPF record has changed since delivery, or the receiver saw a different client"
		switch res.Status {
		case spf.StatusPermError:
			why = "the domain's SPF record is broken now"
		}
		a.add(finding.Medium, CodeSPFChanged, "SPF now gives %s for %s from %s where the receiver recorded %s: %s.", v.Result, orDash(v.Domain), v.ClientIP, rec.Result, why)
	}
}

// clientIP finds the SMTP client's address: the entry hop's client, which
// the analysis has already reconciled with what the receiver recorded
// (reconcileEntry), or the receiver's record alone when the message has no
// Received chain.
func (a *analysis) clientIP() (netip.Addr, string) {
	if ch := a.rep.Received; ch != nil && ch.EntryClientIP != "" {
		if ip, ok := parseClientIP(ch.EntryClientIP); ok {
			return ip, ch.EntryClientIPFrom
		}
	}
	return a.recordedClientIP()
}

// helo finds the HELO name the client gave the trusted receiver.
func (a *analysis) helo() string {
	hdrs, spfs := a.trusted()
	for _, s := range spfs {
		if h := s.Get("helo"); h != "" {
			return h
		}
	}
	if r, ok := first(hdrs, authres.MethodSPF); ok {
		if h := r.Prop("smtp.helo"); h != "" {
			return h
		}
	}
	if ch := a.rep.Received; ch != nil && ch.Entry >= 0 && ch.Entry < len(ch.Hops) && ch.Hops[ch.Entry].Hop != nil {
		return ch.Hops[ch.Entry].Hop.HELO
	}
	return ""
}

// onlineDKIM verifies every DKIM-Signature (RFC 6376, section 6) as of the
// chosen moment.
func (a *analysis) onlineDKIM(ctx context.Context, r Resolver) {
	if a.msg.BodyTruncated {
		return
	}
	results, err := dkim.VerifyMessage(ctx, r, a.signedMessage(), dkim.Options{Now: a.dkimNow, NoBody: a.noBody, Keys: a.opts.Cache.dkimKeys(), Bodies: a.bodyChecks})
	if err != nil {
		return
	}
	if a.bodyChecks == nil {
		// The body hashes, for the ARC message signatures to reuse.
		for _, res := range results {
			if res.BodyHashComputed != nil {
				a.bodyChecks = append(a.bodyChecks, dkim.BodyCheck{Index: res.Index, Signature: res.Signature, Computed: res.BodyHashComputed, BodyLength: res.BodyLength})
			}
		}
	}
	for _, res := range results {
		v := DKIMVerdict{Result: authres.ResultValue(res.Status), Reason: res.Explanation, Origin: OriginEvaluated}
		if s := res.Signature; s != nil {
			v.Domain, v.Selector = strings.ToLower(s.Domain), s.Selector
			v.bPrefix = s.BPrefix()
			v.Aligned = a.fromDomain != "" && dkim.Aligned(s.Domain, a.fromDomain, align.ModeRelaxed)
			intact := res.BodyIntact()
			if res.BodyHashComputed != nil {
				v.BodyIntact = &intact
			}
		}
		for _, w := range res.Warnings {
			v.Warnings = append(v.Warnings, w.Message)
		}
		a.rep.DKIM = append(a.rep.DKIM, v)
		a.compareDKIM(v)
	}
}

// compareDKIM explains an evaluated signature whose result differs from
// what the receiver recorded for it.
func (a *analysis) compareDKIM(ev DKIMVerdict) {
	if isTempError(ev.Result) {
		return
	}
	for _, rec := range a.rep.DKIM {
		if rec.Origin != OriginRecorded || rec.Domain != ev.Domain || (rec.Selector != "" && !strings.EqualFold(rec.Selector, ev.Selector)) {
			continue
		}
		if normResult(rec.Result) == ev.Result {
			return
		}
		a.add(finding.Medium, CodeDKIMChanged, "DKIM d=%s s=%s gives %s now where the receiver recorded %s: %s", ev.Domain, orDash(ev.Selector), ev.Result, rec.Result, orDash(ev.Reason))
		return
	}
}

// dkimNow is the moment signatures are judged at (Options.VerifyAt).
func (a *analysis) dkimNow() time.Time {
	switch a.opts.VerifyAt {
	case VerifyAtDate:
		if d := header.Values(a.msg.Fields, "Date"); len(d) > 0 {
			if t, err := mail.ParseDate(d[0]); err == nil {
				return t
			}
		}
	case VerifyAtReceived:
		if ch := a.rep.Received; ch != nil {
			for i := len(ch.Hops) - 1; i >= 0; i-- {
				if h := ch.Hops[i].Hop; h != nil && !h.Date.IsZero() {
					return h.Date
				}
			}
		}
	}
	return a.now()
}

// onlineDMARC evaluates DMARC (RFC 7489 or RFC 9989) from the evaluated
// SPF and DKIM results, with live policy discovery.
func (a *analysis) onlineDMARC(ctx context.Context, r Resolver) {
	if a.fromDomain == "" {
		return
	}
	in := dmarc.Input{FromDomain: a.fromDomain}
	if domains := a.fromDomains(); len(domains) > 1 {
		in.FromDomains = domains
	}
	spfNote := a.dmarcSPFInput(&in)
	for _, d := range a.rep.DKIM {
		if d.Origin == OriginEvaluated && d.Domain != "" {
			in.DKIM = append(in.DKIM, dmarc.DKIMInput{Result: dmarc.AuthResult(d.Result), Domain: d.Domain})
		}
	}
	res := dmarc.Evaluate(ctx, r, in, dmarc.Options{Mode: a.opts.DMARCMode, Records: a.opts.Cache.dmarcRecords()})
	v := &DMARCEvaluated{
		DMARCVerdict: DMARCVerdict{Result: authres.ResultValue(res.Status), Domain: res.Domain, Policy: string(res.Policy), Disposition: string(res.Disposition), Origin: OriginEvaluated},
		PolicyDomain: res.PolicyDomain, OrgDomain: res.OrgDomain, Reason: res.DispositionReason,
	}
	if res.Err != nil {
		v.Error = res.Err.Error()
	}
	if len(res.Notes) > 0 {
		// Queries that failed without changing the result are named.
		v.Reason = fmt.Sprintf("%s (%s)", v.Reason, strings.Join(res.Notes, "; "))
	}
	if spfNote != "" && !res.DKIMAligned {
		// SPF was not re-checked and no DKIM signature decided: say
		// what the SPF part of the result rests on.
		v.Reason = fmt.Sprintf("%s (%s)", v.Reason, spfNote)
		if v.Error != "" {
			v.Error = fmt.Sprintf("%s (%s)", v.Error, spfNote)
		}
	}
	a.rep.DMARCEvaluated = v
	a.compareModes(ctx, r, in, res)
	if rec := a.rep.DMARC; rec != nil && normResult(rec.Result) != v.Result && !isTempError(v.Result) && !(rec.Result == authres.ResultBestGuessPass && v.Result == authres.ResultNone) {
		a.add(finding.Medium, CodeDMARCChanged, "DMARC gives %s now where the receiver recorded %s: %s.", v.Result, rec.Result, orDash(v.Reason))
	}
}

// dmarcSPFInput sets the SPF result DMARC is evaluated with: the evaluated
// one when SPF was re-checked. Without a client address SPF cannot be
// re-checked, and treating it as failed would make DMARC fail for every
// such message; instead the receiver's recorded SPF result is used, or,
// when none was recorded, SPF counts as undetermined (temperror), so that
// DMARC is temperror unless a DKIM signature decides it (RFC 7489, section
// 4.2: a pass needs only one aligned identifier). It returns a note saying
// which was done, "" when SPF was re-checked.
func (a *analysis) dmarcSPFInput(in *dmarc.Input) string {
	mailFrom := a.rep.MailFrom != nil && a.rep.MailFrom.Domain != "" && a.rep.MailFrom.Origin != "helo"
	set := func(result authres.ResultValue, domain string) {
		in.SPF.Result = dmarc.AuthResult(normResult(result))
		if mailFrom || domain == "" {
			in.SPF.MailFromDomain = domain
		} else {
			in.SPF.HELODomain = domain
		}
	}
	if s := a.rep.SPFEvaluated; s != nil {
		set(s.Result, s.Domain)
		return ""
	}
	if rec := a.rep.SPF; rec != nil && rec.Result != "" && rec.Domain != "" {
		set(rec.Result, rec.Domain)
		return fmt.Sprintf("SPF not re-checked, no client IP recorded: DMARC used the receiver's recorded SPF %s for %s", normResult(rec.Result), rec.Domain)
	}
	domain := a.fromDomain
	if mailFrom {
		domain = a.rep.MailFrom.Domain
	}
	set(authres.ResultTempError, domain)
	return spfUndetermined + ": no client IP and no recorded SPF result, so DMARC cannot tell fail from pass without an aligned DKIM pass"
}

// compareModes evaluates DMARC under the other discovery mode too (RFC 7489's
// Public Suffix List versus RFC 9989's DNS tree walk) and says when the two
// would treat the message differently: receivers do not all use the same.
func (a *analysis) compareModes(ctx context.Context, r Resolver, in dmarc.Input, res dmarc.Result) {
	mode, other := dmarc.ModeBis, dmarc.Mode7489
	if a.opts.DMARCMode == dmarc.Mode7489 {
		mode, other = dmarc.Mode7489, dmarc.ModeBis
	}
	alt := dmarc.Evaluate(ctx, r, in, dmarc.Options{Mode: other, Records: a.opts.Cache.dmarcRecords()})
	if res.Status == dmarc.StatusTemperror || alt.Status == dmarc.StatusTemperror {
		return // a check that could not run disagrees with nothing
	}
	if alt.Status == res.Status && alt.PolicyDomain == res.PolicyDomain && alt.Policy == res.Policy {
		return
	}
	name := map[dmarc.Mode]string{dmarc.ModeBis: "RFC 9989 (DNS tree walk)", dmarc.Mode7489: "RFC 7489 (Public Suffix List)"}
	a.add(finding.Low, CodeDMARCModes, "Under %s DMARC gives %s with policy %s from _dmarc.%s, but under %s it gives %s with policy %s from _dmarc.%s: receivers using the other rules treat this message differently.",
		name[mode], res.Status, orDash(string(res.Policy)), orDash(res.PolicyDomain), name[other], alt.Status, orDash(string(alt.Policy)), orDash(alt.PolicyDomain))
}

// fromDomains lists the distinct From domains.
func (a *analysis) fromDomains() []string {
	var out []string
	for _, f := range a.msg.From {
		if f.Domain != "" && !contains(out, f.Domain) {
			out = append(out, f.Domain)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// normResult maps vendor spellings to the RFC 8601 keyword they stand for.
func normResult(r authres.ResultValue) authres.ResultValue {
	switch r = authres.ResultValue(strings.ToLower(string(r))); r {
	case authres.ResultHardFail:
		return authres.ResultFail
	case "timeout":
		return authres.ResultTempError
	}
	return r
}

// String names the moment for people.
func (v VerifyTime) String() string {
	if v == VerifyAtNow {
		return "now"
	}
	return fmt.Sprintf("the message's %s", string(v))
}
