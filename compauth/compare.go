package compauth

import (
	"fmt"
	"strings"
)

// Agreement says how a recorded verdict relates to an [Estimate].
type Agreement string

// Agreements, from full to none.
const (
	// AgreementMatch: same result and same reason (or class): the verdict
	// is explained by the authentication results in the headers.
	AgreementMatch Agreement = "match"
	// AgreementSameResult: same result, different reason code.
	AgreementSameResult Agreement = "same-result"
	// AgreementDiffers: a different result: Microsoft's implicit signals,
	// or tenant policy, decided.
	AgreementDiffers Agreement = "differs"
	// AgreementARCOverride: the recorded verdict is reason 130, the ARC
	// override: a trusted ARC sealer's results replaced the explicit
	// authentication that failed, so the verdict is explained by the ARC
	// chain, not by implicit signals.
	AgreementARCOverride Agreement = "arc-override"
	// AgreementNotComparable: composite authentication was not checked or
	// was bypassed, nothing was recorded, or no estimate was possible.
	AgreementNotComparable Agreement = "not-comparable"
)

// Comparison is the outcome of [Compare].
type Comparison struct {
	// Agreement classifies the outcome.
	Agreement Agreement `json:"agreement"`
	// Explainable reports whether the recorded verdict follows from the
	// SPF, DKIM, DMARC and ARC results alone.
	Explainable bool `json:"explainable"`
	// Message is one plain sentence for the analyst.
	Message string `json:"message"`
}

// rank orders results from worst to best, for saying in which direction
// implicit signals moved a verdict.
var rank = map[Result]int{ResultFail: 0, ResultSoftPass: 1, ResultPass: 2}

// Compare says whether a recorded compauth verdict (from [Explain])
// matches the estimate from explicit authentication, and when it does
// not, which way Microsoft's implicit signals moved it, so the analyst
// knows which part of the verdict the headers explain.
func Compare(recorded Explanation, est Estimate) Comparison {
	rec := fmt.Sprintf("compauth=%s reason=%s", recorded.Result, recorded.Reason)
	switch {
	case recorded.Result == "":
		return Comparison{AgreementNotComparable, false, "No compauth verdict was recorded, so there is nothing to compare the estimate with."}
	case est.Result == "":
		return Comparison{AgreementNotComparable, false, fmt.Sprintf("The recorded %s cannot be compared: %s", rec, lowerFirst(est.Basis))}
	case recorded.Result == ResultNone:
		return Comparison{AgreementNotComparable, false, fmt.Sprintf("The recorded %s means composite authentication was not checked or was bypassed (for example mail through a gateway or an allow rule), so authentication results do not explain it.", rec)}
	}
	estimated := fmt.Sprintf("compauth=%s reason=%s", est.Result, est.Reason)
	if recorded.Reason == "130" {
		return Comparison{AgreementARCOverride, true, fmt.Sprintf("The recorded %s is the ARC override: Microsoft accepted the authentication results of a trusted ARC sealer in place of explicit authentication, which gives %s here (%s).", rec, estimated, lowerFirst(strings.TrimSuffix(est.Basis, ".")))}
	}
	if recorded.Result == est.Result {
		if sameReason(recorded.Reason, est.Reason) {
			return Comparison{AgreementMatch, true, fmt.Sprintf("The recorded %s matches the estimate from explicit authentication: %s", rec, lowerFirst(est.Basis))}
		}
		return Comparison{AgreementSameResult, true, fmt.Sprintf("The recorded %s has the estimated result but not the estimated reason %s; the result follows from explicit authentication, the sub-code is Microsoft-internal.", rec, est.Reason)}
	}
	rr, okr := rank[recorded.Result]
	re, oke := rank[est.Result]
	switch {
	case okr && oke && rr > re:
		return Comparison{AgreementDiffers, false, fmt.Sprintf("The recorded %s is better than the %s that explicit authentication gives (%s); Microsoft's implicit signals (sender reputation, history) raised it, which the headers cannot show.", rec, estimated, lowerFirst(strings.TrimSuffix(est.Basis, ".")))}
	case okr && oke:
		return Comparison{AgreementDiffers, false, fmt.Sprintf("The recorded %s is worse than the %s that explicit authentication gives; tenant policy or Microsoft's implicit signals lowered it, which the headers cannot show.", rec, estimated)}
	}
	return Comparison{AgreementDiffers, false, fmt.Sprintf("The recorded %s differs from the estimated %s.", rec, estimated)}
}

// sameReason compares a recorded code with an estimated code or class.
func sameReason(recorded, est string) bool {
	if strings.HasSuffix(est, "xx") && len(recorded) == 3 {
		return recorded[:1] == est[:1]
	}
	return recorded == est
}
