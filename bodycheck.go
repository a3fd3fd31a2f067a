package authlens

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/message"
)

// BodyCheckMode chooses which messages get the offline body check: the
// body hash of each DKIM signature (RFC 6376, section 3.7) recomputed
// without DNS and compared with bh=.
type BodyCheckMode string

const (
	// BodyCheckAll checks every message with a recorded DKIM verdict. A
	// recorded pass whose body no longer matches shows the copy at hand
	// was changed after delivery. The zero value means BodyCheckAll.
	BodyCheckAll BodyCheckMode = "all"
	// BodyCheckFailed checks only messages with a recorded DKIM verdict
	// other than pass, where it tells a changed body from a header or key
	// problem. Mail the receiver verified is not hashed, which makes
	// large scans several times faster.
	BodyCheckFailed BodyCheckMode = "failed"
	// BodyCheckOff never hashes the body offline.
	BodyCheckOff BodyCheckMode = "off"
)

// ParseBodyCheckMode reads "all", "failed" or "off".
func ParseBodyCheckMode(s string) (BodyCheckMode, error) {
	switch m := BodyCheckMode(strings.ToLower(s)); m {
	case BodyCheckAll, BodyCheckFailed, BodyCheckOff:
		return m, nil
	}
	return "", fmt.Errorf("authlens: body check %q: want all, failed or off", s)
}

// bodyCheck recomputes, without DNS, the body hash of every DKIM-Signature
// (RFC 6376, section 3.7) and says for each recorded DKIM verdict whether
// the body is still the one that was signed: the one part of a DKIM check
// that needs no key, and often the answer to "why did DKIM fail?".
// Options.BodyCheck says for which messages.
func (a *analysis) bodyCheck() {
	recorded, failed := false, false
	for _, v := range a.rep.DKIM {
		if v.Origin == OriginRecorded {
			recorded = true
			failed = failed || v.Result != authres.ResultPass
		}
	}
	switch a.opts.BodyCheck {
	case BodyCheckOff:
		return
	case BodyCheckFailed:
		recorded = failed
	}
	if !recorded || !hasField(a.msg, "DKIM-Signature") {
		return // nothing to annotate: spare the body hashing
	}
	if a.noBody {
		return // said once, by identities
	}
	if a.msg.BodyTruncated {
		return // a cut body cannot be judged
	}
	checks, err := dkim.CheckMessageBodies(a.signedMessage())
	if err != nil || len(checks) == 0 {
		return
	}
	a.bodyChecks = checks // the online verification reuses the hashes
	used := make([]bool, len(checks))
	for i := range a.rep.DKIM {
		v := &a.rep.DKIM[i]
		if v.Origin != OriginRecorded {
			continue
		}
		for j, c := range checks {
			judged := c.Err == nil || errors.Is(c.Err, dkim.ErrBodyHashMismatch) || errors.Is(c.Err, dkim.ErrBodyTooShort)
			if used[j] || c.Signature == nil || !judged || !sameSignature(v, c.Signature) {
				continue
			}
			used[j] = true
			sel := c.Signature.Selector // the receiver may not have noted it
			if sel == "" {
				sel = v.Selector
			}
			if twin(checks, j) {
				// Two signatures of one domain and selector: b= tells
				// them apart.
				sel += " b=" + c.Signature.BPrefix() + "…"
			}
			intact := c.Intact
			v.BodyIntact = &intact
			switch {
			case !intact && v.Result == authres.ResultPass:
				a.add(finding.Low, CodeDKIMBodyChanged, "The body no longer matches the DKIM signature d=%s s=%s that the receiver verified: it was changed after delivery (by the mailbox, an export, or a forwarder's copy).", v.Domain, orDash(sel))
			case !intact && a.authenticatedWithout(i):
				a.add(finding.Low, CodeDKIMBodyChanged, "The body does not match the DKIM signature d=%s s=%s: it was changed after signing (a mailing-list footer, a gateway rewriting links), but the message still authenticates as its From domain through another aligned pass.", v.Domain, orDash(sel))
			case !intact:
				a.add(finding.Medium, CodeDKIMBodyChanged, "The body does not match the DKIM signature d=%s s=%s: it was changed after signing (a mailing-list footer, a gateway rewriting links, or tampering).", v.Domain, orDash(sel))
			case v.Result == authres.ResultFail:
				a.add(finding.Info, CodeDKIMBodyIntact, "The body still matches the DKIM signature d=%s s=%s, so its failure lies in the signed header fields or the key, not the body.", v.Domain, orDash(sel))
			}
			break
		}
	}
}

// twin reports whether another signature among checks has the same
// domain and selector as signature j.
func twin(checks []dkim.BodyCheck, j int) bool {
	s := checks[j].Signature
	for k, c := range checks {
		if k != j && c.Signature != nil && strings.EqualFold(c.Signature.Domain, s.Domain) && strings.EqualFold(c.Signature.Selector, s.Selector) {
			return true
		}
	}
	return false
}

// authenticatedWithout reports whether the From domain authenticates
// without recorded DKIM verdict i: an aligned SPF pass, or another
// aligned DKIM pass.
func (a *analysis) authenticatedWithout(i int) bool {
	if s := a.rep.SPF; s != nil && s.Result == authres.ResultPass && s.Aligned {
		return true
	}
	for j, d := range a.rep.DKIM {
		if j != i && d.Origin == OriginRecorded && d.Result == authres.ResultPass && d.Aligned {
			return true
		}
	}
	return false
}

// sameSignature reports whether a recorded verdict describes sig: the same
// domain, and the same selector and b= prefix where the receiver noted them.
func sameSignature(v *DKIMVerdict, sig *dkim.Signature) bool {
	if message.DomainOf(sig.Domain) != v.Domain {
		return false
	}
	if v.Selector != "" && !strings.EqualFold(v.Selector, sig.Selector) {
		return false
	}
	if v.bPrefix != "" && !strings.HasPrefix(sig.BPrefix(), v.bPrefix) && !strings.HasPrefix(v.bPrefix, sig.BPrefix()) {
		return false
	}
	return true
}

func hasField(m *message.Message, name string) bool {
	for _, f := range m.Fields {
		if f.Is(name) {
			return true
		}
	}
	return false
}
