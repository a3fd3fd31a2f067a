package dmarc

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/finding"
)

// ReceiverPolicy is what a receiver recorded in Authentication-Results about
// the DMARC policy it found and what it did with the message. Package trust
// reads it from the receivers' notations (Gmail's "(p=… dis=…)", Fastmail's
// policy.* properties, Microsoft's action=).
type ReceiverPolicy struct {
	// Source names the notation: "gmail", "microsoft" or "fastmail".
	Source string
	// Policy is the published p= the receiver saw, "" when not recorded.
	Policy Policy
	// SubdomainPolicy is the published sp= the receiver saw, "" when not
	// recorded.
	SubdomainPolicy Policy
	// Disposition is what the receiver did, "" when not recorded.
	Disposition Policy
	// PctExcluded is true when the receiver says the message fell outside
	// the pct= sample (Microsoft pct.quarantine, pct.reject).
	PctExcluded bool
	// Override is true when the receiver says it overrode the published
	// policy (Microsoft oreject: reject published, message junked).
	Override bool
	// ARC is true when the receiver says a trusted ARC chain decided the
	// disposition (Gmail's "arc=pass" beside dis=).
	ARC bool
}

// RecordedInput is what a receiver recorded in Authentication-Results,
// evaluated again without DNS by [EvaluateRecorded].
type RecordedInput struct {
	// FromDomain is the RFC 5322 From domain (header.from).
	FromDomain string
	// SPF is the recorded SPF result with smtp.mailfrom (or smtp.helo
	// when there was no MAIL FROM).
	SPF SPFInput
	// DKIM holds the recorded dkim results with their header.d.
	DKIM []DKIMInput
	// DMARC is the recorded dmarc= result: pass, fail, none, temperror,
	// permerror, or Microsoft's bestguesspass. "" when absent.
	DMARC string
	// Receiver is the policy information the receiver recorded.
	Receiver ReceiverPolicy
	// Record is the DMARC record that applies, when known (for example
	// fetched separately); nil otherwise.
	Record *Record
}

// Finding codes of the disagreements EvaluateRecorded reports.
const (
	CodeBestGuessPass         finding.Code = "dmarc-bestguesspass"
	CodeBestGuessUnaligned    finding.Code = "dmarc-best-guess-unaligned"
	CodeBestGuessWithRecord   finding.Code = "dmarc-best-guess-with-record"
	CodeDispositionOnPass     finding.Code = "dmarc-disposition-on-pass"
	CodePolicyMismatch        finding.Code = "dmarc-policy-mismatch"
	CodePolicyNotApplied      finding.Code = "dmarc-policy-not-applied"
	CodePolicyOverridden      finding.Code = "dmarc-policy-overridden"
	CodeReceiverError         finding.Code = "dmarc-receiver-error"
	CodeReceiverFailAligned   finding.Code = "dmarc-receiver-fail-aligned"
	CodeReceiverFailTemperror finding.Code = "dmarc-receiver-fail-temperror"
	CodeReceiverNoneRecord    finding.Code = "dmarc-receiver-none-record"
	CodeReceiverPassUnaligned finding.Code = "dmarc-receiver-pass-unaligned"
	CodeReceiverUnknownResult finding.Code = "dmarc-receiver-unknown-result"
)

// Disagreement is one point where our evaluation differs from the
// receiver's, with the reason.
type Disagreement struct {
	// Code names the kind of disagreement: a finding code, "dmarc-"
	// followed by what disagrees.
	Code finding.Code
	// Message explains it in a sentence.
	Message string
}

// RecordedResult is the outcome of [EvaluateRecorded].
type RecordedResult struct {
	// Result is our evaluation. Organizational domains come from the
	// Public Suffix List: the RFC 9989 tree walk needs DNS.
	Result Result
	// ReceiverStatus is the receiver's dmarc= result as recorded.
	ReceiverStatus string
	// Disagreements lists where the receiver's verdict differs from ours.
	Disagreements []Disagreement
}

// EvaluateRecorded recomputes DMARC from the verdicts a receiver recorded,
// without DNS: alignment is recomputed with package align (Public Suffix
// List organizational domains; alignment modes from in.Record when known,
// relaxed otherwise), and the result is compared with the receiver's.
func EvaluateRecorded(in RecordedInput) RecordedResult {
	out := RecordedResult{ReceiverStatus: strings.ToLower(strings.TrimSpace(in.DMARC))}
	res := Result{Disposition: PolicyNone}
	from, err := align.Normalize(in.FromDomain)
	if err != nil {
		res.Status, res.Err = StatusPermerror, fmt.Errorf("%w: %v", ErrInvalidDomain, err)
		out.Result = res
		return out
	}
	res.Domain = from
	res.OrgDomain, _ = align.OrgDomain(from)
	res.OrgDomains = map[string]string{from: res.OrgDomain}
	rec := in.Record
	spfMode, dkimMode := align.ModeRelaxed, align.ModeRelaxed
	if rec != nil {
		spfMode, dkimMode = rec.SPFMode(), rec.DKIMMode()
	}
	orgOf := func(d string) string {
		o, err := align.OrgDomain(d)
		if err == nil {
			nd, _ := align.Normalize(d)
			res.OrgDomains[nd] = o
		}
		return o
	}
	spfDomain := in.SPF.Domain()
	var tempAligned bool
	if spfDomain != "" {
		orgOf(spfDomain)
		al := align.Aligned(spfDomain, from, spfMode)
		res.SPFAligned = in.SPF.Result == AuthPass && al
		tempAligned = in.SPF.Result == AuthTemperror && al
	}
	for _, sig := range in.DKIM {
		orgOf(sig.Domain)
		al := align.Aligned(sig.Domain, from, dkimMode)
		if sig.Result == AuthPass && al && !res.DKIMAligned {
			res.DKIMAligned, res.AlignedDKIMDomain = true, sig.Domain
		}
		tempAligned = tempAligned || (sig.Result == AuthTemperror && al)
	}

	// Which policy applies, as far as the record or the receiver says.
	rp := in.Receiver
	policyKnown := rec != nil || rp.Policy != "" || out.ReceiverStatus == "pass" || out.ReceiverStatus == "fail"
	switch {
	case rec != nil:
		p, _ := rec.DomainPolicy(ModeBis)
		res.Policy, res.PolicyTag, res.Record = p, "p", rec
		if from != res.OrgDomain && rec.SubdomainPolicy != "" {
			res.Policy, res.PolicyTag = rec.SubdomainPolicy, "sp"
		}
	case rp.Policy != "":
		res.Policy, res.PolicyTag = rp.Policy, "p"
		if from != res.OrgDomain && rp.SubdomainPolicy != "" {
			res.Policy, res.PolicyTag = rp.SubdomainPolicy, "sp"
		}
	}

	switch {
	case !policyKnown:
		res.Status = StatusNone
		res.DispositionReason = "no DMARC policy is known to apply"
	case res.SPFAligned || res.DKIMAligned:
		res.Status = StatusPass
		res.DispositionReason = "DMARC passed"
	case tempAligned:
		res.Status = StatusTemperror
		res.DispositionReason = "temporary authentication error: no policy is applied"
	default:
		res.Status = StatusFail
		res.Disposition, res.ApplyPolicy = res.Policy, res.Policy != PolicyNone && res.Policy != ""
		if res.Policy == "" {
			res.Disposition = PolicyNone
		}
		res.DispositionReason = fmt.Sprintf("no aligned identifier passed; policy %s", orUnknown(string(res.Policy)))
		if rp.PctExcluded && res.ApplyPolicy {
			res.Disposition = map[Policy]Policy{PolicyReject: PolicyQuarantine, PolicyQuarantine: PolicyNone}[res.Policy]
			res.ApplyPolicy = false
			res.DispositionReason += ", reduced because the receiver says the message fell outside the pct= sample"
		}
	}
	out.Result = res
	out.Disagreements = disagreements(in, res, out.ReceiverStatus)
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// describeIdentifiers says why no identifier aligns, for messages.
func describeIdentifiers(in RecordedInput) string {
	var spf string
	switch d := in.SPF.Domain(); {
	case d == "":
		spf = "SPF (no identifier)"
	case in.SPF.Result != AuthPass:
		spf = fmt.Sprintf("SPF (%s for %s)", orUnknown(string(in.SPF.Result)), d)
	case in.SPF.MailFromDomain != "":
		spf = fmt.Sprintf("SPF (mailfrom %s)", d)
	default:
		spf = fmt.Sprintf("SPF (helo %s)", d)
	}
	var ds []string
	for _, s := range in.DKIM {
		if s.Result == AuthPass {
			ds = append(ds, "d="+s.Domain)
		} else {
			ds = append(ds, fmt.Sprintf("d=%s %s", s.Domain, orUnknown(string(s.Result))))
		}
	}
	dkim := "DKIM (no signature)"
	if len(ds) > 0 {
		dkim = "DKIM (" + strings.Join(ds, ", ") + ")"
	}
	return "neither " + spf + " nor " + dkim
}

func disagreements(in RecordedInput, res Result, recv string) []Disagreement {
	var out []Disagreement
	add := func(code finding.Code, format string, args ...any) {
		out = append(out, Disagreement{Code: code, Message: fmt.Sprintf(format, args...)})
	}
	switch recv {
	case "":
	case "pass":
		if res.Status != StatusPass {
			add(CodeReceiverPassUnaligned, "receiver says dmarc=pass but %s aligns with %s", describeIdentifiers(in), res.Domain)
		}
	case "bestguesspass":
		if in.Record != nil {
			add(CodeBestGuessWithRecord, "receiver says bestguesspass (no DMARC record) but a record is published for %s", res.Domain)
		} else {
			add(CodeBestGuessPass, "bestguesspass: no DMARC record published for %s; the receiver only guessed that the message would pass", res.Domain)
		}
		if !res.SPFAligned && !res.DKIMAligned {
			add(CodeBestGuessUnaligned, "receiver says bestguesspass but %s aligns with %s", describeIdentifiers(in), res.Domain)
		}
	case "fail":
		switch {
		case res.SPFAligned:
			add(CodeReceiverFailAligned, "receiver says dmarc=fail but SPF passed for %s, aligned with %s", in.SPF.Domain(), res.Domain)
		case res.DKIMAligned:
			add(CodeReceiverFailAligned, "receiver says dmarc=fail but DKIM d=%s passed, aligned with %s", res.AlignedDKIMDomain, res.Domain)
		case res.Status == StatusTemperror:
			add(CodeReceiverFailTemperror, "receiver says dmarc=fail but an aligned identifier only had a temporary error")
		}
	case "none":
		if in.Record != nil {
			add(CodeReceiverNoneRecord, "receiver says dmarc=none but a DMARC record applies to %s", res.Domain)
		}
	case "temperror", "permerror":
		if res.Status == StatusPass {
			add(CodeReceiverError, "receiver says dmarc=%s but the recorded results give an aligned pass", recv)
		}
	default:
		add(CodeReceiverUnknownResult, "receiver's dmarc=%s is not a DMARC result", recv)
	}
	rp := in.Receiver
	if in.Record != nil && rp.Policy != "" && in.Record.Policy != "" && rp.Policy != in.Record.Policy {
		add(CodePolicyMismatch, "receiver saw p=%s but the record says p=%s", rp.Policy, in.Record.Policy)
	}
	if rp.Disposition != "" {
		switch {
		case recv == "pass" && rp.Disposition != PolicyNone:
			add(CodeDispositionOnPass, "receiver applied %s to a message it says passed DMARC", rp.Disposition)
		case recv == "fail" && rp.ARC && res.Policy != "" && policyRank(rp.Disposition) < policyRank(res.Policy):
			add(CodePolicyOverridden, "receiver applied %s instead of the %s= policy %s because a trusted ARC chain vouched for the message (arc=pass): forwarded mail it accepted on the forwarder's word",
				rp.Disposition, res.PolicyTag, res.Policy)
		case recv == "fail" && rp.Override:
			add(CodePolicyOverridden, "receiver overrode the published reject policy and applied %s", rp.Disposition)
		case recv == "fail" && !rp.PctExcluded && res.Policy != "" && policyRank(rp.Disposition) < policyRank(res.Policy):
			add(CodePolicyNotApplied, "receiver applied %s although the %s= policy is %s (local policy, such as for forwarded mail)",
				rp.Disposition, res.PolicyTag, res.Policy)
		}
	}
	return out
}
