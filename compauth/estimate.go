package compauth

import (
	"fmt"
	"strings"
)

// Inputs are the authentication results an estimate is computed from.
// Fields are plain strings (RFC 8601 result keywords, any case) so that
// results from any SPF, DKIM, DMARC or ARC implementation can be passed.
type Inputs struct {
	// SPFResult is the SPF result for the MAIL FROM (or HELO) identity:
	// pass, fail, softfail, neutral, none, temperror, permerror.
	SPFResult string `json:"spf_result"`
	// SPFAligned reports whether the SPF-authenticated domain is aligned
	// with the From: domain (RFC 7489, section 3.1.2).
	SPFAligned bool `json:"spf_aligned"`
	// DKIM holds one entry per DKIM signature.
	DKIM []DKIMInput `json:"dkim"`
	// DMARCResult is the DMARC result: pass, fail, none, permerror,
	// temperror, or Microsoft's bestguesspass. Empty means DMARC was not
	// evaluated; the estimate then derives it from DMARCPolicy and the
	// aligned passes.
	DMARCResult string `json:"dmarc_result"`
	// DMARCPolicy is the policy that applies to the From: domain: none,
	// quarantine, reject, or empty when there is no DMARC record.
	DMARCPolicy string `json:"dmarc_policy"`
	// ARCResult is the ARC chain validation result (pass, fail, none).
	ARCResult string `json:"arc_result"`
	// ARCTrusted reports whether the most recent ARC sealer is one of the
	// tenant's trusted ARC sealers.
	ARCTrusted bool `json:"arc_trusted"`
	// AcceptedDomain reports whether the From: domain is one of the
	// receiving tenant's accepted domains.
	AcceptedDomain bool `json:"accepted_domain"`
	// SpoofBlocked reports whether the tenant's policy explicitly blocks
	// this sender and domain pair from spoofing.
	SpoofBlocked bool `json:"spoof_blocked"`
}

// DKIMInput is the result of one DKIM signature.
type DKIMInput struct {
	// Result is the signature's result (pass, fail, neutral, none, …).
	Result string `json:"result"`
	// Aligned reports whether the signing domain (d=) is aligned with the
	// From: domain (RFC 7489, section 3.1.1).
	Aligned bool `json:"aligned"`
}

// Estimate is the composite result Microsoft's explicit authentication
// would most likely give for a set of [Inputs]. It cannot include
// Microsoft's implicit signals (sender reputation, history, spoof
// intelligence), which can raise a failing result to softpass or pass.
type Estimate struct {
	// Result is the estimated result; empty when no estimate is possible.
	Result Result `json:"result,omitempty"`
	// Reason is the estimated reason code, or a class such as "6xx" when
	// only the class is documented.
	Reason string `json:"reason,omitempty"`
	// Confidence says where the mapping from inputs to this code comes
	// from: documented, or observed in real headers.
	Confidence Confidence `json:"confidence"`
	// Basis is one plain sentence saying which inputs decided.
	Basis string `json:"basis"`
}

// Estimate computes the composite result from explicit authentication:
//
//   - policy forbids the spoof: fail 002 (documented);
//   - DMARC pass: pass 100 (observed);
//   - no DMARC record and an aligned SPF or DKIM pass (Microsoft's
//     "bestguesspass"): pass 109 (observed);
//   - DMARC permerror with an SPF or DKIM pass: pass 111 (observed);
//   - DMARC fail under p=quarantine or p=reject: fail 000, or fail 010
//     for one of the tenant's accepted domains (documented);
//   - otherwise nothing authenticates the From: domain strongly enough:
//     fail 001, or fail 6xx for an accepted domain (documented);
//   - a failing result when ARC passed and the sealer is trusted: pass
//     130 (documented).
//
// DMARC temperror gives no estimate.
func (in Inputs) Estimate() Estimate {
	spf := lower(in.SPFResult)
	dmarc := lower(in.DMARCResult)
	policy := lower(in.DMARCPolicy)
	alignedPass := spf == "pass" && in.SPFAligned
	anyPass := spf == "pass"
	for _, d := range in.DKIM {
		if lower(d.Result) == "pass" {
			anyPass = true
			alignedPass = alignedPass || d.Aligned
		}
	}
	if dmarc == "" {
		switch {
		case policy == "":
			dmarc = "none"
		case alignedPass:
			dmarc = "pass"
		default:
			dmarc = "fail"
		}
	}

	var e Estimate
	switch {
	case in.SpoofBlocked:
		e = Estimate{ResultFail, "002", ConfidenceDocumented, "The tenant's policy blocks this sender and domain pair from spoofing."}
	case dmarc == "pass":
		e = Estimate{ResultPass, "100", ConfidenceObserved, "DMARC passed."}
	case dmarc == "bestguesspass" || (dmarc == "none" && alignedPass):
		e = Estimate{ResultPass, "109", ConfidenceObserved, "The From: domain has no DMARC record, but SPF or DKIM passed in alignment with it."}
	case dmarc == "permerror" && anyPass:
		e = Estimate{ResultPass, "111", ConfidenceObserved, "The DMARC record is broken (permerror), but SPF or DKIM passed."}
	case dmarc == "temperror":
		return Estimate{Confidence: ConfidenceUnknown, Basis: "DMARC could not be evaluated (temperror), so no estimate is possible."}
	case dmarc == "fail" && (policy == "quarantine" || policy == "reject"):
		if in.AcceptedDomain {
			e = Estimate{ResultFail, "010", ConfidenceDocumented, fmt.Sprintf("DMARC failed under p=%s for one of the tenant's accepted domains.", policy)}
		} else {
			e = Estimate{ResultFail, "000", ConfidenceDocumented, fmt.Sprintf("DMARC failed under p=%s.", policy)}
		}
	default:
		basis := "Nothing authenticates the From: domain: "
		switch {
		case dmarc == "fail":
			basis += "DMARC failed under p=none."
		case dmarc == "permerror":
			basis += "the DMARC record is broken and neither SPF nor DKIM passed."
		case spf == "softfail" || spf == "neutral":
			basis += fmt.Sprintf("no DMARC record, no aligned pass, and SPF only %s.", spf)
		default:
			basis += "no DMARC record and no aligned SPF or DKIM pass."
		}
		if in.AcceptedDomain {
			e = Estimate{ResultFail, "6xx", ConfidenceDocumented, basis + " The domain is one of the tenant's accepted domains."}
		} else {
			e = Estimate{ResultFail, "001", ConfidenceDocumented, basis}
		}
	}
	if e.Result == ResultFail && e.Reason != "002" && lower(in.ARCResult) == "pass" && in.ARCTrusted {
		e = Estimate{ResultPass, "130", ConfidenceDocumented, "ARC passed and the sealer is trusted, which overrides the failure: " + lowerFirst(e.Basis)}
	}
	return e
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
