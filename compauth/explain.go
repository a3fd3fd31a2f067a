package compauth

import (
	"fmt"
	"strings"
)

// Explanation explains one recorded compauth result and reason.
type Explanation struct {
	// Result is the recorded result, lower case.
	Result Result `json:"result"`
	// Reason is the recorded reason code, such as "202".
	Reason string `json:"reason"`
	// Class is the documented class of Reason, such as "2xx" or "000";
	// empty when the code fits no documented class.
	Class string `json:"class,omitempty"`
	// ClassMeaning is Microsoft's documented meaning of Class.
	ClassMeaning string `json:"class_meaning,omitempty"`
	// Meaning is one plain sentence explaining the specific code.
	Meaning string `json:"meaning"`
	// Confidence says where Meaning comes from.
	Confidence Confidence `json:"confidence"`
	// Note points out an inconsistency, such as a result that does not
	// fit the code's documented class.
	Note string `json:"note,omitempty"`
	// NextSteps lists what the analyst should check next.
	NextSteps []string `json:"next_steps"`
}

// codeInfo is one row of the reason-code tables.
type codeInfo struct {
	result     Result // documented or usual result; "" when not stated
	meaning    string
	confidence Confidence
	next       []string
}

// Frequently used next steps.
const (
	stepDMARC    = "Check the From: domain's DMARC record and whether SPF or DKIM passed in alignment with it."
	stepAuth     = "Compare the spf=, dkim= and dmarc= results in the same Authentication-Results field."
	stepGateway  = "If mail reaches Microsoft 365 through a third-party gateway, check that Enhanced Filtering for Connectors or trusted ARC sealers are configured."
	stepSender   = "Verify the sender through another channel before trusting the message's content."
	stepAccepted = "Check whether the From: domain is one of the tenant's accepted domains and who is allowed to send as it."
	stepSpoof    = "Review the tenant's spoof intelligence and Tenant Allow/Block List entries for this sender and domain pair."
	stepImplicit = "Treat the verdict as Microsoft's implicit judgement (reputation, history); it cannot be reproduced from the headers."
	stepARC      = "Check the ARC-Authentication-Results and ARC-Seal fields: which sealer vouched for the message, and whether it is in the tenant's trusted ARC sealers."
)

// classes holds the documented reason classes (Microsoft's
// documentation, "Anti-spam message headers", compauth table).
var classes = map[string]codeInfo{
	"1xx": {ResultPass, "Passed composite authentication; the last two digits are internal codes.", ConfidenceDocumented, []string{stepAuth}},
	"2xx": {ResultSoftPass, "Soft-passed implicit authentication.", ConfidenceDocumented, []string{stepAuth, stepImplicit}},
	"3xx": {ResultNone, "Not checked for composite authentication.", ConfidenceDocumented, []string{stepGateway}},
	"4xx": {ResultNone, "Composite authentication was bypassed.", ConfidenceDocumented, []string{stepGateway, "Check mail-flow rules and allow entries that bypass filtering for this sender."}},
	"6xx": {ResultFail, "Implicit authentication failed and the From: domain is one of the tenant's accepted domains (intra-organisation spoofing); Microsoft's documentation gives no compauth value for this class.", ConfidenceDocumented, []string{stepAccepted, stepSpoof}},
	"7xx": {ResultPass, "Passed composite authentication; internal sub-codes.", ConfidenceDocumented, []string{stepAuth}},
	"9xx": {ResultNone, "Composite authentication was bypassed.", ConfidenceDocumented, []string{stepGateway, "Check mail-flow rules and allow entries that bypass filtering for this sender."}},
}

// codes holds the specific reason codes, documented and observed.
var codes = map[string]codeInfo{
	"000": {ResultFail, "Explicit authentication failed: DMARC failed and the From: domain's policy is p=quarantine or p=reject.", ConfidenceDocumented,
		[]string{stepDMARC, stepSender}},
	"001": {ResultFail, "Implicit authentication failed: the From: domain has no or weak authentication records (no SPF or DMARC record, SPF ~all or ?all, or DMARC p=none) and Microsoft's own signals did not vouch for the sender.", ConfidenceDocumented,
		[]string{stepAuth, stepDMARC, stepSender}},
	"002": {ResultFail, "The tenant's policy explicitly forbids this sender and domain pair from spoofing.", ConfidenceDocumented,
		[]string{stepSpoof}},
	"010": {ResultFail, "DMARC failed with p=quarantine or p=reject and the From: domain is one of the tenant's own accepted domains (intra-organisation spoofing).", ConfidenceDocumented,
		[]string{stepAccepted, stepDMARC, stepSender}},
	"100": {ResultPass, "Observed when DMARC passed: the message likely passed because DMARC passed.", ConfidenceObserved,
		[]string{"Confirm dmarc=pass in the same field and that the From: domain is the one the recipient expects."}},
	"105": {ResultPass, "Observed with no DMARC record and mixed SPF results: the message likely passed on Microsoft's other signals (reputation, history), not on DMARC.", ConfidenceObserved,
		[]string{stepAuth, stepImplicit}},
	"109": {ResultPass, "Observed with dmarc=bestguesspass: the From: domain publishes no DMARC record, but SPF or DKIM likely passed in alignment with it (Microsoft's best-guess DMARC).", ConfidenceObserved,
		[]string{stepAuth, "Suggest the domain owner publish a DMARC record."}},
	"111": {ResultPass, "Observed with dmarc=permerror and SPF or DKIM passing: the message likely passed despite a broken DMARC record.", ConfidenceObserved,
		[]string{"Check the From: domain's DMARC record for syntax errors.", stepAuth}},
	"115": {ResultPass, "Observed with spf=none, dkim=pass and no DMARC record: the message likely passed on the DKIM signature alone.", ConfidenceObserved,
		[]string{"Check which domain signed the message (header.d) and how it relates to the From: domain."}},
	"116": {ResultPass, "Observed passing while SPF and DKIM failed, on mail through a third-party gateway; what decided it is not known (a reverse-DNS fallback has been suggested but not confirmed by Microsoft).", ConfidenceObserved,
		[]string{stepGateway, stepImplicit}},
	"130": {ResultPass, "An ARC result from a trusted ARC sealer was used to override a DMARC failure.", ConfidenceDocumented,
		[]string{stepARC}},
	"201": {ResultSoftPass, "Observed with SPF softfail or none, DKIM absent or failing, and no enforcing DMARC policy: a weak implicit soft pass.", ConfidenceObserved,
		[]string{stepAuth, stepImplicit}},
	"202": {ResultSoftPass, "Observed with SPF none, DKIM none and DMARC failing under p=none: a weak implicit soft pass.", ConfidenceObserved,
		[]string{stepAuth, stepImplicit, stepGateway}},
	"905": {ResultNone, "Observed on mail arriving through a third-party gateway in front of Microsoft 365; composite authentication was likely bypassed because of that path.", ConfidenceInferred,
		[]string{stepGateway}},
}

// unknownCodes are codes seen only in test strings or asked about, with
// no established meaning.
var unknownCodes = map[string]bool{"102": true, "405": true, "451": true}

// Explain explains a recorded compauth result and reason, as written in
// "compauth=<result> reason=<reason>". Matching is case-insensitive and
// ignores surrounding white space. Every code gets an explanation: a
// code that is neither documented nor observed gets a meaning that says
// so, plus its class's documented meaning when its class is known.
func Explain(result, reason string) Explanation {
	r := Result(strings.ToLower(strings.TrimSpace(result)))
	code := strings.TrimSpace(reason)
	e := Explanation{Result: r, Reason: code}
	class := classOf(code)
	if ci, ok := classes[class]; ok {
		e.Class, e.ClassMeaning = class, ci.meaning
	} else if _, ok := codes[code]; ok {
		e.Class = code // 000, 001, 002, 010 are classes of their own
	}

	var expected Result
	if ci, ok := codes[code]; ok {
		e.Meaning, e.Confidence, expected = ci.meaning, ci.confidence, ci.result
		e.NextSteps = append(e.NextSteps, ci.next...)
		if e.ClassMeaning != "" && ci.confidence != ConfidenceDocumented {
			e.Meaning += " Microsoft documents only the class: " + lowerFirst(e.ClassMeaning)
		}
	} else if cl, ok := classes[class]; ok {
		what := "is not documented and has no established meaning in observed headers"
		if !unknownCodes[code] {
			what = "is not documented and has not been seen in the headers this explanation is based on"
		}
		e.Meaning = fmt.Sprintf("Reason %s %s; Microsoft documents its class %s as: %s", code, what, class, lowerFirst(cl.meaning))
		e.Confidence, expected = ConfidenceUnknown, cl.result
		e.NextSteps = append(e.NextSteps, cl.next...)
	} else {
		e.Meaning = fmt.Sprintf("Reason %q is not documented and fits no documented class; its meaning is unknown.", code)
		if code == "" {
			e.Meaning = "No reason code was recorded; the meaning of the result alone is unknown beyond its name."
		}
		e.Confidence = ConfidenceUnknown
		e.NextSteps = append(e.NextSteps, stepAuth)
	}

	switch {
	case r == "":
		e.Note = "No compauth result was recorded."
	case !r.known():
		e.Note = fmt.Sprintf("Result %q is not one of Microsoft's documented values (pass, fail, softpass, none).", result)
	case expected != "" && r != expected:
		e.Note = fmt.Sprintf("Reason %s is documented or observed with compauth=%s, but compauth=%s was recorded.", code, expected, r)
	}
	if e.NextSteps == nil {
		e.NextSteps = []string{}
	}
	return e
}

// classOf returns the documented class of a three-digit reason code:
// the code itself for 000, 001, 002 and 010, "Nxx" for the others, or ""
// when code is not three digits or its first digit has no class.
func classOf(code string) string {
	if len(code) != 3 || !isDigits(code) {
		return ""
	}
	switch code {
	case "000", "001", "002", "010":
		return code
	}
	c := code[:1] + "xx"
	if _, ok := classes[c]; ok {
		return c
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func lowerFirst(s string) string {
	if s == "" || len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s // empty, or an acronym such as "DMARC"
	}
	return strings.ToLower(s[:1]) + s[1:]
}
