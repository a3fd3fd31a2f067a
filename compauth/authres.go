package compauth

import (
	"strings"

	"github.com/authlens/authlens/authres"
)

// authResults is what this package reads from the Authentication-Results
// field EOP writes: method results and the properties it needs.
//
// Example:
//
//	Authentication-Results: spf=none (sender IP is 192.0.2.7)
//	 smtp.helo=mail.example.org; dkim=none (message not signed)
//	 header.d=none;dmarc=fail action=none
//	 header.from=example.org;compauth=softpass reason=202
type authResults struct {
	spf, dkim, dmarc, action, arc string
	compauth, reason              string
}

// parseAuthResults reads Microsoft's form of Authentication-Results with
// package authres, which accepts its quirks (no authserv-id, bare
// recipient-domain tokens, action= and reason= without a ptype). The
// first result of each method wins.
func parseAuthResults(value string) authResults {
	var ar authResults
	h, err := authres.Parse(value)
	if err != nil {
		return ar
	}
	for _, r := range h.Results {
		v := string(r.Value)
		switch r.Method {
		case authres.MethodSPF:
			setOnce(&ar.spf, v)
		case authres.MethodDKIM:
			setOnce(&ar.dkim, v)
		case authres.MethodDMARC:
			setOnce(&ar.dmarc, v)
			setOnce(&ar.action, strings.ToLower(r.Prop("action")))
		case authres.MethodARC:
			setOnce(&ar.arc, v)
		case authres.MethodCompAuth:
			if ar.compauth == "" {
				ar.compauth, ar.reason = v, r.Reason
			}
		}
	}
	return ar
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// ParseCompauth finds "compauth=<result> reason=<code>" in an
// Authentication-Results value; ok is false when there is none.
func ParseCompauth(value string) (result, reason string, ok bool) {
	ar := parseAuthResults(value)
	return ar.compauth, ar.reason, ar.compauth != ""
}

// inputs derives estimate inputs from Microsoft's own recorded results.
// DMARC's result already includes alignment; the policy is read from
// "action=" (none means p=none or sampling; quarantine, reject and the
// override and pct forms mean an enforcing policy). ARC trust is not
// recorded there, so an ARC override is never estimated from it.
func (ar authResults) inputs() Inputs {
	in := Inputs{SPFResult: ar.spf, DMARCResult: ar.dmarc}
	if ar.dkim != "" {
		in.DKIM = []DKIMInput{{Result: ar.dkim}}
	}
	switch a := ar.action; {
	case strings.Contains(a, "reject"):
		in.DMARCPolicy = "reject"
	case strings.Contains(a, "quarantine"):
		in.DMARCPolicy = "quarantine"
	case a == "none":
		in.DMARCPolicy = "none"
	}
	return in
}
