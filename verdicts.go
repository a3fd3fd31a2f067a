package authlens

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/compauth"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/message"
	"github.com/authlens/authlens/trust"
)

// verdicts reads the trusted receiver's SPF, DKIM, DMARC and compauth
// results and recomputes identifier alignment with the From domain.
func (a *analysis) verdicts() {
	hdrs, spfs := a.trusted()
	a.spfVerdict(hdrs, spfs)
	a.dkimVerdicts(hdrs)
	a.dmarcVerdict(hdrs)
	a.compauthVerdict(hdrs)
}

// first returns the first result of method m among hdrs.
func first(hdrs []*authres.Header, m authres.Method) (authres.Result, bool) {
	for _, h := range hdrs {
		for _, r := range h.Results {
			if r.Method == m {
				return r, true
			}
		}
	}
	return authres.Result{}, false
}

// spfVerdict: RFC 7489, section 3.1.2 aligns the RFC 5321 MAIL FROM domain;
// for a null sender SPF checked the HELO name (RFC 7208, section 2.4), and
// that is the SPF-authenticated identifier DMARC aligns (RFC 7489, section
// 4.1).
func (a *analysis) spfVerdict(hdrs []*authres.Header, spfs []*authres.ReceivedSPF) {
	var (
		result               authres.ResultValue
		domain, origin, addr string
	)
	r, ok := first(hdrs, authres.MethodSPF)
	if ok && len(spfs) > 0 && !namesSender(r) {
		// The receiver's Authentication-Results field names no sender for
		// SPF; its Received-SPF field beside it does.
		ok = false
	}
	if ok {
		result = bestGuess(r.Value, r.Comments...)
		addr = r.Prop("smtp.mailfrom")
		if addr == "" {
			addr = r.Prop("smtp.mail") // RFC 5451-era spelling, still written by some
		}
		domain, origin = message.DomainOf(addr), "smtp.mailfrom"
		if domain == "" && strings.Trim(addr, "<> ") == "" {
			// Gmail leaves smtp.mailfrom= empty and names the sender
			// in its comment: "domain of bounce@example.com designates …".
			for _, c := range r.Comments {
				if d := domainOfComment(c); d != "" {
					addr = d
					domain = message.DomainOf(d)
					break
				}
			}
		}
		if domain == "" {
			domain, origin = message.DomainOf(r.Prop("smtp.helo")), "helo"
		}
	} else if len(spfs) > 0 {
		s := spfs[0]
		result = bestGuess(s.Result, s.Comment)
		addr = s.Get("envelope-from")
		if addr == "" {
			// Gmail and Yahoo name the sender only in the comment:
			// "domain of bounce@example.com designates 192.0.2.1 …".
			addr = domainOfComment(s.Comment)
		}
		domain, origin = message.DomainOf(addr), "received-spf"
		if domain == "" && a.rep.MailFrom != nil && a.rep.MailFrom.Domain != "" {
			domain, origin = a.rep.MailFrom.Domain, "return-path"
		}
		if domain == "" {
			domain, origin = message.DomainOf(s.Get("helo")), "helo"
		}
	} else {
		return
	}
	if a.rep.MailFrom == nil && domain != "" && origin != "helo" {
		mf := &MailFrom{Domain: domain, Origin: origin}
		if strings.Contains(addr, "@") {
			mf.Address = strings.Trim(addr, "<>")
		}
		a.rep.MailFrom = mf
	}
	if mf := a.rep.MailFrom; mf != nil && mf.Origin == "return-path" {
		switch {
		case mf.Domain == "" && mf.Address == "":
			a.add(finding.Info, CodeNullSender, "The envelope sender is empty (a bounce or auto-reply), so SPF checked the HELO name instead (RFC 7208, section 2.4); DMARC aligns that name with the From domain.")
		case origin != "helo" && domain != "" && domain != mf.Domain:
			a.add(finding.Low, CodeMailFromMismatch, "Return-Path names %s but the trusted receiver checked SPF for %s.", mf.Domain, domain)
		}
	}
	a.spfOrigin = origin
	v := &SPFVerdict{Result: result, Domain: domain, Origin: OriginRecorded}
	v.Aligned = a.fromDomain != "" && align.Aligned(domain, a.fromDomain, align.ModeRelaxed)
	a.rep.SPF = v
	switch {
	case result == authres.ResultPass && !v.Aligned && domain != "":
		a.add(finding.Low, CodeSPFNotAligned, "SPF passed for %s, which is not aligned with the From domain %s: SPF alone does not authenticate the author.", domain, orDash(a.fromDomain))
	case result == authres.ResultFail || result == authres.ResultSoftFail || result == authres.ResultHardFail:
		a.add(finding.Medium, CodeSPFFail, "SPF %s: the sending server is not authorized by %s.", result, orDash(domain))
	}
}

// namesSender reports whether an spf result names what was checked.
func namesSender(r authres.Result) bool {
	for _, k := range []string{"smtp.mailfrom", "smtp.mail", "smtp.helo"} {
		if strings.Trim(r.Prop(k), "<> ") != "" {
			return true
		}
	}
	for _, c := range r.Comments {
		if domainOfComment(c) != "" {
			return true
		}
	}
	return false
}

// bestGuess returns "bestguesspass" for a pass that the receiver says
// came from a record it guessed for a domain that publishes none (Gmail's
// "best guess record for domain of …"): no SPF policy authorized the
// client, so it is no SPF pass.
func bestGuess(result authres.ResultValue, comments ...string) authres.ResultValue {
	if result != authres.ResultPass {
		return result
	}
	for _, c := range comments {
		if strings.Contains(strings.ToLower(c), "best guess record") {
			return authres.ResultBestGuessPass
		}
	}
	return result
}

// domainOfComment returns the address or domain after "domain of" in a
// Received-SPF comment (RFC 7208, section 9.1 leaves its wording free; the
// receivers that omit envelope-from= write it this way).
func domainOfComment(c string) string {
	lc := strings.ToLower(c)
	var rest []string
	if i := strings.Index(lc, "domain of "); i >= 0 {
		rest = strings.Fields(c[i+len("domain of "):])
	} else if i := strings.Index(lc, "domain "); i >= 0 {
		// "domain gmail.com designates …"
		if f := strings.Fields(c[i+len("domain "):]); len(f) > 1 && strings.EqualFold(f[1], "designates") {
			rest = f
		}
	}
	if len(rest) == 0 {
		return ""
	}
	if d := strings.Trim(rest[0], "<>.,;()"); strings.Contains(d, ".") {
		return d
	}
	return ""
}

// dkimVerdicts: one verdict per DKIM result; d= alignment per RFC 7489,
// section 3.1.1.
func (a *analysis) dkimVerdicts(hdrs []*authres.Header) {
	sigs, passes, aligned := 0, 0, 0
	var thirdParty []string
	signed := hasField(a.msg, "DKIM-Signature")
	for _, h := range hdrs {
		for r := range h.Each(authres.MethodDKIM) {
			if noSignature(r) || !signed && r.Value != authres.ResultPass && r.Prop("header.d") == "" && r.Prop("header.i") == "" {
				// "message not signed", or an error naming no signature
				// in a message that carries none: a result about no
				// signature.
				continue
			}
			d := r.Prop("header.d")
			if d == "" || strings.EqualFold(d, "none") {
				d = message.DomainOf(r.Prop("header.i"))
			}
			d = message.DomainOf(d)
			if d == "" {
				// Yahoo's legacy form and redacted copies name no domain:
				// the message's only signature is the one judged.
				d = a.onlySignatureDomain()
			}
			reason := r.Reason
			if reason == "" && len(r.Comments) > 0 {
				reason = r.Comments[0]
			}
			v := DKIMVerdict{Domain: d, Selector: r.Prop("header.s"), Result: authres.ResultValue(r.Value), Reason: reason, Origin: OriginRecorded, bPrefix: r.Prop("header.b")}
			v.Aligned = d != "" && a.fromDomain != "" && align.Aligned(d, a.fromDomain, align.ModeRelaxed)
			a.rep.DKIM = append(a.rep.DKIM, v)
			sigs++
			if r.Value == authres.ResultPass {
				passes++
				if v.Aligned {
					aligned++
				} else {
					thirdParty = append(thirdParty, orDash(d))
				}
			}
		}
	}
	if len(hdrs) == 0 {
		return
	}
	switch {
	case sigs == 0:
		a.add(finding.Low, CodeDKIMNone, "No DKIM signature was verified: the message was not signed, or the receiver recorded none.")
	case passes == 0:
		a.add(finding.Medium, CodeDKIMFail, "None of the %d DKIM signature(s) verified: the message was changed in transit, or the signature is not genuine.", sigs)
	case aligned == 0:
		sev := finding.Medium
		if s := a.rep.SPF; s != nil && s.Result == authres.ResultPass && s.Aligned {
			sev = finding.Low // the author's domain authenticates through SPF
		}
		a.add(sev, CodeDKIMThirdParty, "DKIM passed only for %s, not aligned with the From domain %s: a third party (an email service or a forwarder) vouches for the message, not the author's domain.", strings.Join(thirdParty, ", "), orDash(a.fromDomain))
	}
}

// noSignature reports whether a DKIM result says there was no signature to
// check: dkim=none (RFC 8601, section 2.7.1), or a neutral result whose
// comment says "no sig" (Yahoo).
func noSignature(r *authres.Result) bool {
	if r.Value == authres.ResultNone {
		return true
	}
	if r.Value != authres.ResultNeutral {
		return false
	}
	for _, c := range append([]string{r.Reason}, r.Comments...) {
		if c := strings.ToLower(c); strings.Contains(c, "no sig") || strings.Contains(c, "not signed") {
			return true
		}
	}
	return false
}

// onlySignatureDomain returns the d= domain of the message's
// DKIM-Signature fields when they all name one domain, else "".
func (a *analysis) onlySignatureDomain() string {
	d := ""
	for _, f := range a.msg.Fields {
		if !f.Is("DKIM-Signature") {
			continue
		}
		s, err := dkim.ParseSignature(f.Value())
		if err != nil {
			return ""
		}
		sd := message.DomainOf(s.Domain)
		if d != "" && sd != d {
			return ""
		}
		d = sd
	}
	return d
}

// alignedPass reports whether the receiver recorded an SPF or DKIM pass
// aligned with the From domain: what DMARC requires (RFC 7489, section
// 4.2). Online results do not count: they sit beside the recorded ones.
func (a *analysis) alignedPass() (spf bool, dkim string) {
	if s := a.rep.SPF; s != nil && s.Result == authres.ResultPass && s.Aligned {
		spf = true
	}
	for _, d := range a.rep.DKIM {
		if d.Origin == OriginRecorded && d.Result == authres.ResultPass && d.Aligned {
			return spf, d.Domain
		}
	}
	return spf, ""
}

// dmarcVerdict reads the recorded DMARC result and the policy the receiver
// noted, and re-evaluates it from the recorded SPF and DKIM results with
// alignment recomputed (package dmarc, offline), reporting where the
// receiver and the recomputation disagree.
func (a *analysis) dmarcVerdict(hdrs []*authres.Header) {
	r, ok := first(hdrs, authres.MethodDMARC)
	if !ok {
		return
	}
	v := &DMARCVerdict{Result: authres.ResultValue(r.Value), Domain: message.DomainOf(r.Prop("header.from")), Origin: OriginRecorded}
	if v.Domain == "" {
		v.Domain = a.fromDomain
	}
	rp := trust.ReceiverPolicy(&r)
	v.Policy, v.Disposition = string(rp.Policy), string(rp.Disposition)
	if act := r.Prop("action"); act != "" {
		v.Action = act
		if _, err := trust.ParseMicrosoftAction(act); err != nil {
			a.add(finding.Info, CodeDMARCActionUndocumented, "The receiver recorded action=%s beside its DMARC result, a value Microsoft does not document; no policy or disposition is read from it.", act)
		}
	}
	a.rep.DMARC = v
	if a.dmarcOtherDomain() {
		sev := finding.Medium
		if a.multipleFromDomains() {
			sev = finding.High
		}
		a.add(sev, CodeDMARCOtherDomain, "The receiver's DMARC result is for header.from=%s, not for the From domain %s: it does not authenticate the author a mail client shows.", v.Domain, orDash(a.fromDomain))
	}
	if v.Result == authres.ResultFail {
		sev := finding.Medium
		if v.Policy == "quarantine" || v.Policy == "reject" {
			sev = finding.High
		}
		a.add(sev, CodeDMARCFail, "DMARC failed for %s%s: the message is not authenticated as its From domain.", orDash(v.Domain), policyNote(v))
	}
	if v.Result == authres.ResultNone {
		a.add(finding.Low, CodeDMARCNoPolicy, "%s publishes no DMARC record, so receivers have no policy for mail that fails authentication.", orDash(v.Domain))
	}
	if a.fromDomain == "" {
		return
	}
	in := dmarc.RecordedInput{FromDomain: a.fromDomain, DMARC: string(v.Result), Receiver: rp}
	if s := a.rep.SPF; s != nil {
		in.SPF.Result = dmarc.AuthResult(s.Result)
		if a.spfOrigin == "helo" {
			in.SPF.HELODomain = s.Domain
		} else {
			in.SPF.MailFromDomain = s.Domain
		}
	}
	for _, d := range a.rep.DKIM {
		in.DKIM = append(in.DKIM, dmarc.DKIMInput{Result: dmarc.AuthResult(d.Result), Domain: d.Domain})
	}
	for _, d := range dmarc.EvaluateRecorded(in).Disagreements {
		switch d.Code {
		case dmarc.CodePolicyOverridden:
			// The receiver said why it applied less than the policy.
			a.add(finding.Low, d.Code, "%s.", sentence(d.Message))
		case dmarc.CodeBestGuessPass:
			a.add(finding.Low, d.Code, "%s. Without a published policy, spoofs of this domain are not rejected.", sentence(d.Message))
		default:
			a.add(finding.Medium, d.Code, "%s.", sentence(d.Message))
		}
	}
}

// dmarcOtherDomain reports whether the recorded DMARC result names a
// header.from domain other than the From domain: the receiver evaluated
// another author (a second From field, or a From it read differently).
func (a *analysis) dmarcOtherDomain() bool {
	d := a.rep.DMARC
	if d == nil || d.Domain == "" || a.fromDomain == "" {
		return false
	}
	nd, err := align.Normalize(d.Domain)
	if err != nil {
		return false
	}
	return nd != a.fromDomain
}

// sentence capitalizes the first letter of s.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// compauthVerdict reads Microsoft's composite authentication.
func (a *analysis) compauthVerdict(hdrs []*authres.Header) {
	r, ok := first(hdrs, authres.MethodCompAuth)
	if !ok {
		return
	}
	reason := r.Reason
	if reason == "" {
		reason = r.Prop("reason")
	}
	ex := compauth.Explain(string(r.Value), reason)
	a.rep.Compauth = &CompauthVerdict{Result: compauth.Result(r.Value), Reason: reason, Meaning: ex.Meaning}
	if r.Value == authres.ResultFail {
		sev := finding.Medium
		if reason == "000" || reason == "010" {
			sev = finding.High
		}
		a.add(sev, CodeCompauthFail, "Microsoft 365 composite authentication failed (reason %s): %s", orDash(reason), ex.Meaning)
	}
}

// conclude writes the one-line verdict.
func (a *analysis) conclude() {
	f := verdictFacts{
		From:      a.fromDomain,
		OtherFrom: a.otherFromDomains(),
		Source:    a.boundary.Source,
		Upstream:  a.boundary.Upstream,
		SPF:       a.rep.SPF,
		Compauth:  a.rep.Compauth,
	}
	if len(a.msg.From) > 0 {
		f.Author = a.msg.From[0].Address
	}
	if id := a.boundary.Receiver; id != "" {
		f.Receiver = trust.DisplayID(id)
	}
	for _, d := range a.rep.DKIM {
		if d.Origin == OriginRecorded {
			f.DKIM = append(f.DKIM, d)
		}
	}
	if !a.dmarcOtherDomain() {
		f.DMARC = a.rep.DMARC
	}
	a.rep.Verdict = decideVerdict(f)
}

func viaNote(how string) string {
	if how == "" {
		return ""
	}
	return " via " + how
}

func policyNote(v *DMARCVerdict) string {
	if v == nil || v.Policy == "" {
		return ""
	}
	s := fmt.Sprintf(" (policy p=%s", v.Policy)
	if v.Disposition != "" {
		s += ", disposition " + v.Disposition
	}
	return s + ")"
}

func orDash(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// otherFromDomains lists the From domains other than the one checked.
func (a *analysis) otherFromDomains() []string {
	var out []string
	seen := map[string]bool{a.fromDomain: true}
	for _, f := range a.msg.From {
		if !seen[f.Domain] {
			seen[f.Domain] = true
			out = append(out, orDash(f.Domain))
		}
	}
	return out
}

func (a *analysis) multipleFromDomains() bool { return len(a.otherFromDomains()) > 0 }
