package authlens

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/compauth"
	"github.com/authlens/authlens/trust"
)

// verdictFacts is everything the one-line verdict depends on: who the
// trusted receiver was and what it recorded, with alignment recomputed.
type verdictFacts struct {
	// From is the From domain, "" when absent or unreadable; Author the
	// first From address, "" when there is none; OtherFrom the further
	// From domains.
	From      string
	Author    string
	OtherFrom []string
	// Receiver names the trusted receiver for people, "" when none;
	// Source is the kind of field its record was read from; Upstream is
	// set when the only results are an earlier hop's.
	Receiver string
	Source   trust.Kind
	Upstream *trust.Upstream
	// SPF, DKIM and DMARC are the recorded verdicts (DKIM: recorded
	// ones only; DMARC: nil unless it is about the From domain).
	SPF      *SPFVerdict
	DKIM     []DKIMVerdict
	DMARC    *DMARCVerdict
	Compauth *CompauthVerdict
}

// decideVerdict answers "does this message really come from its From
// domain?" from the facts alone (RFC 7489, section 4.2: an aligned pass of
// SPF or DKIM authenticates the author; DMARC's own result when the
// receiver recorded one). Online checks never change it: they sit beside
// it.
func decideVerdict(f verdictFacts) *Verdict {
	v := &Verdict{Basis: f.Receiver}
	from, basis := orDash(f.From), f.Receiver
	if basis == "" {
		v.Status, v.Summary = VerdictUnknown, "No trusted receiver recorded authentication results for this message."
		switch up := f.Upstream; {
		case up == nil:
		case up.Outbound:
			v.Summary = fmt.Sprintf("The final receiver recorded no authentication results: the only ones were stamped by the sender's own %s tenant as the message left it, before it was signed.", up.Receiver)
		default:
			v.Summary = fmt.Sprintf("The final receiver (%s) recorded no authentication results: those present were written earlier by %s, and are evidence, not its verdict.", up.FinalReceiver, up.Receiver)
		}
		return v
	}
	if f.From == "" && f.Author != "" {
		v.Status = VerdictFail
		v.Summary = fmt.Sprintf("Not authenticated: the From address %q has no readable domain, so no check can vouch for its author (results recorded by %s).", f.Author, basis)
		return v
	}
	spfOK := f.SPF != nil && f.SPF.Result == authres.ResultPass && f.SPF.Aligned
	dkimDomain, anyPass := "", spfOK || f.SPF != nil && f.SPF.Result == authres.ResultPass
	for _, d := range f.DKIM {
		if d.Result != authres.ResultPass {
			continue
		}
		anyPass = true
		if d.Aligned && dkimDomain == "" {
			dkimDomain = d.Domain
		}
	}
	if f.Source == trust.KindReceivedSPF {
		// Only SPF was recorded: DKIM and DMARC were never checked, so
		// anything but an aligned SPF pass leaves the author unverified.
		if spfOK {
			v.Status = VerdictPass
			v.Summary = fmt.Sprintf("Authenticated as %s by aligned SPF (%s), recorded by %s in Received-SPF; no DKIM or DMARC result was recorded.", from, f.SPF.Domain, basis)
		} else {
			v.Status = VerdictUnknown
			v.Summary = fmt.Sprintf("Only SPF was recorded, by %s: spf=%s for %s. DKIM and DMARC were not checked, so the author's domain %s is not verified.", basis, spfResult(f.SPF), spfDomain(f.SPF), from)
		}
		return v
	}
	how := ""
	switch {
	case dkimDomain != "" && spfOK:
		how = fmt.Sprintf("aligned DKIM (d=%s) and SPF (%s)", dkimDomain, f.SPF.Domain)
	case dkimDomain != "":
		how = fmt.Sprintf("aligned DKIM (d=%s)", dkimDomain)
	case spfOK:
		how = fmt.Sprintf("aligned SPF (%s)", f.SPF.Domain)
	}
	var dmarc authres.ResultValue
	if f.DMARC != nil {
		dmarc = f.DMARC.Result
	}
	switch {
	case dmarc == authres.ResultPass:
		v.Status = VerdictPass
		v.Summary = fmt.Sprintf("Authenticated as %s: DMARC pass%s, recorded by %s.", from, viaNote(how), basis)
	case dmarc == authres.ResultFail:
		v.Status = VerdictFail
		v.Summary = fmt.Sprintf("Not authenticated as %s: DMARC fail%s, recorded by %s.", from, policyNote(f.DMARC), basis)
	case how != "" && dmarc == "":
		v.Status = VerdictPass
		v.Summary = fmt.Sprintf("Authenticated as %s by %s, recorded by %s (no DMARC result recorded).", from, how, basis)
	case how != "":
		v.Status = VerdictPass
		v.Summary = fmt.Sprintf("Authenticated as %s by %s, recorded by %s; %s publishes no enforceable DMARC policy.", from, how, basis, from)
	case f.SPF != nil && f.SPF.Result == authres.ResultBestGuessPass:
		v.Status = VerdictWeak
		v.Summary = fmt.Sprintf("Not authenticated as %s: SPF passed only on a record the receiver guessed (%s publishes none), and no DKIM signature passed (recorded by %s).", from, orDash(f.SPF.Domain), basis)
	case anyPass:
		v.Status = VerdictWeak
		v.Summary = fmt.Sprintf("Not authenticated as %s: something passed, but nothing aligned with the From domain (recorded by %s).", from, basis)
	case f.SPF == nil && len(f.DKIM) == 0 && dmarc == "":
		v.Status = VerdictUnknown
		v.Summary = fmt.Sprintf("%s recorded no SPF, DKIM or DMARC result for this message.", basis)
	default:
		v.Status = VerdictFail
		v.Summary = fmt.Sprintf("Not authenticated as %s: neither SPF nor DKIM passed (recorded by %s).", from, basis)
	}
	if v.Status == VerdictPass && len(f.OtherFrom) > 0 {
		v.Status = VerdictWeak
		v.Summary += fmt.Sprintf(" But the message names authors in other domains too (%s), and a mail client may show one of those.", strings.Join(f.OtherFrom, ", "))
	}
	switch c := f.Compauth; {
	case c == nil || c.Result == "":
	case c.Result == compauth.ResultFail && v.Status != VerdictFail:
		// The receiver's own composite verdict is a fail: the headline
		// must not read milder than it.
		v.Summary = fmt.Sprintf("Not authenticated as %s: %s judged the sender spoofed (compauth=fail, reason %s). ", from, basis, orDash(c.Reason)) + v.Summary
		v.Status = VerdictFail
	default:
		v.Summary += fmt.Sprintf(" Microsoft compauth=%s (reason %s).", c.Result, orDash(c.Reason))
	}
	return v
}

func spfResult(s *SPFVerdict) authres.ResultValue {
	if s == nil {
		return authres.ResultNone
	}
	return s.Result
}

func spfDomain(s *SPFVerdict) string {
	if s == nil {
		return orDash("")
	}
	return orDash(s.Domain)
}
