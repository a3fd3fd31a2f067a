package trust

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/dmarc"
)

// Receivers note beside their dmarc= result the policy they found and
// what they did, each in a dialect of its own: Gmail in a comment
// ("(p=REJECT sp=REJECT dis=NONE)", with "arc=pass" when a trusted ARC
// chain changed the disposition; rspamd writes "(policy=none)"), Fastmail
// in policy.published-domain-policy and policy.applied-disposition
// properties (RFC 8601, section 2.3 leaves policy properties to the
// receiver), Microsoft 365 in a bare action= word. These are
// Authentication-Results dialects, not DMARC: this file reads them into
// a dmarc.ReceiverPolicy.

// ErrReceiverPolicy is wrapped by errors from the receiver policy parsers.
var ErrReceiverPolicy = errors.New("trust: unrecognized receiver policy notation")

// ReceiverPolicy reads the policy a receiver noted beside its dmarc result,
// in whichever of the dialects above it wrote.
func ReceiverPolicy(r *authres.Result) dmarc.ReceiverPolicy {
	var rp dmarc.ReceiverPolicy
	comments := r.Comments
	for _, p := range r.Props {
		if p.Comment != "" {
			comments = append(comments[:len(comments):len(comments)], p.Comment)
		}
	}
	for _, c := range comments {
		if lc := strings.ToLower(c); strings.Contains(lc, "p=") || strings.HasPrefix(strings.TrimPrefix(lc, "("), "policy=") {
			if p, err := ParseGmailPolicy(c); err == nil {
				rp = p
			}
		}
	}
	if v := r.Prop("policy.published-domain-policy"); v != "" {
		if p, err := ParseFastmailPolicy(v); err == nil {
			rp.Source, rp.Policy = p.Source, p.Policy
		}
		if d, err := ParseFastmailPolicy(r.Prop("policy.applied-disposition")); err == nil {
			rp.Disposition = d.Policy
		}
	}
	if act := r.Prop("action"); act != "" {
		if p, err := ParseMicrosoftAction(act); err == nil {
			if p.Policy == "" {
				p.Policy = rp.Policy
			}
			rp = p
		}
	}
	return rp
}

// ParseGmailPolicy parses the comment Gmail writes after its dmarc result,
// such as "(p=QUARANTINE sp=QUARANTINE dis=NONE)": the published p= and sp=
// and the disposition applied. Parentheses are optional.
func ParseGmailPolicy(comment string) (dmarc.ReceiverPolicy, error) {
	rp := dmarc.ReceiverPolicy{Source: "gmail"}
	s := strings.TrimSpace(comment)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "("), ")")
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return rp, fmt.Errorf("%w: empty Gmail policy comment", ErrReceiverPolicy)
	}
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return rp, fmt.Errorf("%w: Gmail policy comment item %q is not key=value", ErrReceiverPolicy, f)
		}
		var dst *dmarc.Policy
		switch strings.ToLower(k) {
		case "p", "policy": // rspamd writes "(policy=none)"
			dst = &rp.Policy
		case "sp":
			dst = &rp.SubdomainPolicy
		case "dis":
			dst = &rp.Disposition
		case "arc":
			// Gmail adds arc=pass where a trusted ARC chain decided the
			// disposition.
			rp.ARC = strings.EqualFold(v, "pass")
			continue
		default:
			// Unknown keys are tolerated: Gmail may add more.
			continue
		}
		p, ok := dmarc.ParsePolicy(v)
		if !ok {
			return rp, fmt.Errorf("%w: Gmail policy comment value %q is not a policy", ErrReceiverPolicy, v)
		}
		*dst = p
	}
	return rp, nil
}

// ParseMicrosoftAction parses the action= value Microsoft writes in its
// dmarc result: none, pct.quarantine, pct.reject, quarantine, reject or
// oreject (also written o.reject).
func ParseMicrosoftAction(action string) (dmarc.ReceiverPolicy, error) {
	rp := dmarc.ReceiverPolicy{Source: "microsoft"}
	switch strings.ToLower(strings.TrimSpace(action)) {
	case "none":
		rp.Disposition = dmarc.PolicyNone
	case "pct.quarantine":
		// Quarantine published, the message fell outside the sample and
		// was handled normally.
		rp.Policy, rp.Disposition, rp.PctExcluded = dmarc.PolicyQuarantine, dmarc.PolicyNone, true
	case "pct.reject":
		// Reject published, the message fell outside the sample; what was
		// done instead is not recorded.
		rp.Policy, rp.PctExcluded = dmarc.PolicyReject, true
	case "quarantine":
		rp.Policy, rp.Disposition = dmarc.PolicyQuarantine, dmarc.PolicyQuarantine
	case "reject":
		rp.Policy, rp.Disposition = dmarc.PolicyReject, dmarc.PolicyReject
	case "oreject", "o.reject":
		rp.Policy, rp.Disposition, rp.Override = dmarc.PolicyReject, dmarc.PolicyQuarantine, true
	case "permerror", "temperror":
		// The policy could not be read: nothing was applied.
	default:
		return rp, fmt.Errorf("%w: Microsoft action %q", ErrReceiverPolicy, action)
	}
	return rp, nil
}

// ParseFastmailPolicy parses the value of Fastmail's
// policy.published-domain-policy= property: the published p=.
func ParseFastmailPolicy(value string) (dmarc.ReceiverPolicy, error) {
	p, ok := dmarc.ParsePolicy(strings.TrimSpace(value))
	if !ok {
		return dmarc.ReceiverPolicy{Source: "fastmail"}, fmt.Errorf("%w: Fastmail published-domain-policy %q", ErrReceiverPolicy, value)
	}
	return dmarc.ReceiverPolicy{Source: "fastmail", Policy: p}, nil
}
