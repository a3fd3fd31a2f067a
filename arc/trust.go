package arc

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/finding"
)

// hopView extracts what a hop recorded in its AAR (RFC 8617, section
// 4.1.1: the AAR is a copy of the hop's Authentication-Results).
func hopView(h *authres.Header) HopView {
	var hv HopView
	if h == nil {
		return hv
	}
	hv.AuthServID = h.AuthServID
	if r := h.First(authres.MethodSPF); r != nil {
		hv.SPF = r.Value
		hv.MailFrom = r.Prop("smtp.mailfrom")
		if hv.MailFrom == "" {
			// Some hops write the pre-RFC 7601 ptype "smtp.mfrom".
			hv.MailFrom = r.Prop("smtp.mfrom")
		}
	}
	for r := range h.Each(authres.MethodDKIM) {
		if hv.DKIM == "" || r.Value == authres.ResultPass && hv.DKIM != authres.ResultPass {
			hv.DKIM = r.Value
		}
		if r.Value != authres.ResultPass {
			continue
		}
		d := r.Prop("header.d")
		if d == "" {
			if id := r.Prop("header.i"); id != "" {
				d = id[strings.LastIndexByte(id, '@')+1:]
			}
		}
		if d != "" {
			hv.DKIMDomains = append(hv.DKIMDomains, strings.ToLower(d))
		}
	}
	if r := h.First(authres.MethodDMARC); r != nil {
		hv.DMARC = r.Value
		hv.HeaderFrom = r.Prop("header.from")
	}
	if r := h.First(authres.MethodARC); r != nil {
		hv.ARC = r.Value
	}
	return hv
}

// mailFromDomain returns the domain of an smtp.mailfrom value, which may be
// an address or a bare domain.
func mailFromDomain(v string) string {
	v = strings.Trim(v, "<> \"")
	return v[strings.LastIndexByte(v, '@')+1:]
}

// setTrust fills Trusted and NewestTrusted for a passing chain. Whether
// to act on a chain depends on the receiver's trust in its sealers, which
// RFC 8617 leaves to local policy.
func (res *Result) setTrust(trusted []string) {
	if res.Status != StatusPass || len(trusted) == 0 || len(res.Sets) == 0 {
		return
	}
	isTrusted := func(d string) bool {
		for _, t := range trusted {
			if strings.EqualFold(strings.TrimSuffix(t, "."), strings.TrimSuffix(d, ".")) {
				return true
			}
		}
		return false
	}
	res.NewestTrusted = isTrusted(res.Sets[len(res.Sets)-1].Sealer)
	res.Trusted = true
	for _, s := range res.Sets {
		if !isTrusted(s.Sealer) {
			res.Trusted = false
			break
		}
	}
}

// AlignedPass reports whether the hop recorded an SPF or DKIM pass for a
// domain aligned (relaxed, RFC 7489, section 3.1) with fromDomain, and
// which one.
func (hv HopView) AlignedPass(fromDomain string) (method authres.Method, domain string, ok bool) {
	for _, d := range hv.DKIMDomains {
		if align.Aligned(d, fromDomain, align.ModeRelaxed) {
			return authres.MethodDKIM, d, true
		}
	}
	if hv.SPF == authres.ResultPass && hv.MailFrom != "" {
		if d := mailFromDomain(hv.MailFrom); align.Aligned(d, fromDomain, align.ModeRelaxed) {
			return authres.MethodSPF, d, true
		}
	}
	return "", "", false
}

// Finding codes of ForwardingFinding.
const (
	CodeForwardingOverride finding.Code = "arc-forwarding-override"
	CodeNoAlignedOrigin    finding.Code = "arc-no-aligned-origin"
	CodeChainBroken        finding.Code = "arc-chain-broken"
)

// ForwardingFinding says what the chain means for a message whose own
// checks at the final receiver were or were not aligned with the From
// domain (finalAligned: an aligned SPF or DKIM pass, i.e. DMARC would
// pass). It returns nil when there is nothing to say: no chain, or a
// passing chain on a message that passes on its own.
//
// The case ARC exists for (RFC 8617, section 1) is a forwarder or list
// that breaks SPF and DKIM: a passing chain whose first hop recorded an
// aligned pass the final receiver no longer sees gets
// "arc-forwarding-override", of low severity when every sealer is trusted
// and medium otherwise, since only a trusted sealer's word is worth
// acting on. A failing chain gets "arc-chain-broken".
func ForwardingFinding(res *Result, fromDomain string, finalAligned bool) *finding.Finding {
	if res == nil || res.Status == StatusNone || res.Status == StatusTempError {
		return nil // no chain, or none decided: nothing to say about it
	}
	if res.Status == StatusFail {
		sev := finding.Low
		if !finalAligned {
			sev = finding.Medium
		}
		return &finding.Finding{Severity: sev, Code: CodeChainBroken,
			Message: fmt.Sprintf("the ARC chain fails at instance %d: %s", res.FailedInstance, res.Explanation)}
	}
	if finalAligned || len(res.Sets) == 0 {
		return nil
	}
	first := res.Sets[0]
	method, domain, ok := first.Saw.AlignedPass(fromDomain)
	if !ok {
		return &finding.Finding{Severity: finding.Info, Code: CodeNoAlignedOrigin,
			Message: fmt.Sprintf("the ARC chain passes, but its first hop (%s, sealed by %s) recorded no SPF or DKIM pass aligned with %s either", first.Saw.AuthServID, first.Sealer, fromDomain)}
	}
	sev, trust := finding.Medium, "not all sealers are in the trusted list, so this should not override a DMARC failure"
	if res.Trusted {
		sev, trust = finding.Low, "every sealer is trusted, so a receiver may accept the message despite its own DMARC failure (RFC 7489, section 6.7 allows such local policy overrides)"
	}
	if res.Offline {
		trust += " (validated offline: the seals were not verified)"
	}
	return &finding.Finding{Severity: sev, Code: CodeForwardingOverride,
		Message: fmt.Sprintf("the message fails alignment here, but the first ARC hop (%s, sealed by %s) recorded an aligned %s pass for %s: it was most likely forwarded and modified on the way; %s",
			first.Saw.AuthServID, first.Sealer, method, domain, trust)}
}
