package authlens

import (
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/internal/header"
)

// microsoftReceiver is the name Microsoft 365's Authentication-Results
// (which carry no authserv-id) are matched by in Options.TrustedAuthServIDs:
// the receiver name EOP writes in its Received-SPF fields.
const microsoftReceiver = "protection.outlook.com"

// arKind tells the kinds of Authentication-Results-like fields apart.
type arKind int

const (
	kindAR          arKind = iota // Authentication-Results (RFC 8601)
	kindARC                       // ARC-Authentication-Results (RFC 8617, section 4.1.1)
	kindOther                     // renamed or vendor copies: -Original, X-MS-Exchange-…, X-ME-…
	kindReceivedSPF               // Received-SPF (RFC 7208, section 9.1)
)

// arField is one parsed AR-like field with its place in the header block.
type arField struct {
	kind  arKind
	index int // position among all header fields
	hdr   *authres.Header
	spf   *authres.ReceivedSPF
	err   error // why the field could not be fully parsed
}

// classify returns the kind of an AR-like field, and false for other fields.
func classify(f header.Field) (arKind, bool) {
	if len(f.Name) < len("Received-SPF") {
		return 0, false
	}
	switch {
	case f.Is("Authentication-Results"):
		return kindAR, true
	case f.Is("ARC-Authentication-Results"):
		return kindARC, true
	case f.Is("Received-SPF"):
		return kindReceivedSPF, true
	case containsFold(f.Name, "authentication-results"):
		return kindOther, true
	}
	return 0, false
}

// containsFold reports whether sub, in lower case, occurs in s ignoring
// ASCII letter case, without allocating.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// authResults parses every AR-like field, top to bottom, and marks the ones
// written by the trusted receiver.
func (a *analysis) authResults() {
	for i, f := range a.msg.Fields {
		kind, ok := classify(f)
		if !ok {
			continue
		}
		out := AuthResultsField{Field: f.Name, Results: []ResultJSON{}}
		af := arField{kind: kind, index: i}
		var err error
		switch kind {
		case kindReceivedSPF:
			af.spf, err = authres.ParseReceivedSPF(f.Value())
			if af.spf != nil {
				out.Results = append(out.Results, receivedSPFJSON(af.spf))
			}
		case kindARC:
			af.hdr, err = authres.ParseARC(f.Value())
		default:
			af.hdr, err = authres.Parse(f.Value())
		}
		if af.hdr != nil {
			out.AuthservID = af.hdr.AuthServID
			out.Instance = af.hdr.Instance
			out.Results = make([]ResultJSON, 0, len(af.hdr.Results))
			for _, r := range af.hdr.Results {
				out.Results = append(out.Results, resultJSON(r))
			}
			if err == nil && len(af.hdr.Problems) > 0 {
				out.Error = af.hdr.Problems[0].Error()
				a.add(SeverityLow, CodeAuthResultsBroken, "Part of the %s field at line %d could not be read and was skipped: %v.", f.Name, f.Line, af.hdr.Problems[0])
			}
		}
		if err != nil {
			out.Error = err.Error()
			a.add(SeverityLow, CodeAuthResultsBroken, "The %s field at line %d could not be fully read: %v.", f.Name, f.Line, err)
		}
		af.err = err
		a.fields = append(a.fields, af)
		a.rep.AuthResults = append(a.rep.AuthResults, out)
	}
	a.markTrusted()
}

// effectiveID is the authserv-id a field is matched by: its own, or
// microsoftReceiver for Microsoft 365's id-less fields.
func effectiveID(h *authres.Header) string {
	if h.AuthServID == "" {
		return microsoftReceiver
	}
	return h.AuthServID
}

// trusts reports whether the options trust the field's receiver.
func (a *analysis) trusts(h *authres.Header) bool {
	if len(a.opts.TrustedAuthServIDs) == 0 {
		return true
	}
	id := effectiveID(h)
	for _, t := range a.opts.TrustedAuthServIDs {
		if sameOrSub(id, t) {
			return true
		}
	}
	return false
}

// markTrusted picks the topmost Authentication-Results field whose receiver
// is trusted, then trusts the fields the same receiver wrote at the same
// hop: further Authentication-Results fields with the same authserv-id
// (some receivers write one per method) and Received-SPF, as long as no
// Received field separates them from the chosen one. A receiver records
// each method once per message (DKIM once per signature, within one
// field), so a later same-named field that repeats a method already
// recorded is not the receiver's own: trust ends there.
func (a *analysis) markTrusted() {
	chosen := -1
	for i, af := range a.fields {
		if af.kind == kindAR && af.hdr != nil && a.trusts(af.hdr) {
			chosen = i
			break
		}
	}
	if chosen < 0 {
		a.noTrusted()
		return
	}
	id := effectiveID(a.fields[chosen].hdr)
	lo, hi := a.hopBounds(a.fields[chosen].index)
	seen := map[authres.Method]bool{}
	for i, af := range a.fields {
		if af.index <= lo || af.index >= hi {
			continue
		}
		switch {
		case af.kind == kindAR && af.hdr != nil && effectiveID(af.hdr) == id:
			if i < chosen || repeats(af.hdr, seen) {
				continue
			}
			for _, r := range af.hdr.Results {
				seen[r.Method] = true
			}
			a.rep.AuthResults[i].Trusted = true
		case af.kind == kindReceivedSPF && af.spf != nil:
			a.rep.AuthResults[i].Trusted = true
		}
	}
	a.boundaryFindings(chosen, id)
}

// repeats reports whether h records a method already in seen.
func repeats(h *authres.Header, seen map[authres.Method]bool) bool {
	for _, r := range h.Results {
		if seen[r.Method] {
			return true
		}
	}
	return false
}

// hopBounds returns the indexes of the Received fields just above and just
// below header field idx (-1 and len(fields) when there are none): the
// fields between them were added at the same hop.
func (a *analysis) hopBounds(idx int) (lo, hi int) {
	lo, hi = -1, len(a.msg.Fields)
	for i, f := range a.msg.Fields {
		if !f.Is("Received") {
			continue
		}
		if i < idx {
			lo = i
		} else if i > idx {
			hi = i
			break
		}
	}
	return lo, hi
}

// boundaryFindings explains the AR fields below the trusted one: written by
// earlier hops, or by the sender, they are shown but not relied on.
func (a *analysis) boundaryFindings(chosen int, id string) {
	below, forged := 0, 0
	for i, af := range a.fields {
		if i <= chosen || a.rep.AuthResults[i].Trusted || af.kind != kindAR || af.hdr == nil {
			continue
		}
		below++
		if effectiveID(af.hdr) == id {
			forged++
		}
	}
	if forged > 0 {
		a.add(SeverityHigh, CodeForgedAuthservID, "%d Authentication-Results field(s) below the trusted one claim the trusted receiver's name (%s) but were not written at its hop: likely forged by the sender or left by a misconfigured relay.", forged, displayID(id))
	}
	if below > forged {
		a.add(SeverityInfo, CodeUntrustedBelow, "%d Authentication-Results field(s) below the trusted boundary were written by earlier hops or by the sender; they are shown but not relied on.", below-forged)
	}
}

// noTrusted records why no field could be trusted.
func (a *analysis) noTrusted() {
	hasAR := false
	for _, af := range a.fields {
		if af.kind == kindAR {
			hasAR = true
		}
	}
	switch {
	case hasAR && len(a.opts.TrustedAuthServIDs) > 0:
		a.add(SeverityMedium, CodeNoTrustedMatch, "No Authentication-Results field was written by a trusted receiver (%s); the results present are shown but not relied on.", strings.Join(a.opts.TrustedAuthServIDs, ", "))
	case hasAR:
		a.add(SeverityMedium, CodeAuthResultsBroken, "No Authentication-Results field could be read.")
	default:
		a.add(SeverityMedium, CodeNoAuthResults, "The message carries no Authentication-Results field: no receiver recorded its checks. Check it live (--online) or look at the Received chain.")
	}
}

// trusted returns the trusted fields' headers and Received-SPF fields.
func (a *analysis) trusted() (hdrs []*authres.Header, spfs []*authres.ReceivedSPF) {
	for i, af := range a.fields {
		if !a.rep.AuthResults[i].Trusted {
			continue
		}
		if af.hdr != nil {
			hdrs = append(hdrs, af.hdr)
		}
		if af.spf != nil {
			spfs = append(spfs, af.spf)
		}
	}
	return hdrs, spfs
}

// displayID names a receiver for people.
func displayID(id string) string {
	if id == microsoftReceiver {
		return "Microsoft 365"
	}
	return id
}

func resultJSON(r authres.Result) ResultJSON {
	out := ResultJSON{Method: string(r.Method), Result: string(r.Value), Reason: r.Reason, Props: make(map[string]string, len(r.Props)), Comments: r.Comments}
	for _, p := range r.Props {
		k := p.Key()
		if _, dup := out.Props[k]; !dup {
			out.Props[k] = p.Value
		}
	}
	return out
}

// receivedSPFJSON shows a Received-SPF field as one "spf" result whose
// props are its key=value pairs.
func receivedSPFJSON(s *authres.ReceivedSPF) ResultJSON {
	out := ResultJSON{Method: string(authres.MethodSPF), Result: string(s.Result), Props: make(map[string]string, len(s.Params))}
	for _, p := range s.Params {
		if _, dup := out.Props[p.Key]; !dup {
			out.Props[p.Key] = p.Value
		}
	}
	if s.Comment != "" {
		out.Comments = []string{s.Comment}
	}
	return out
}
