package trust

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/finding"
)

// Finding codes this package emits.
const (
	CodeAuthResultsBroken = "auth-results-unreadable"
	CodeNoAuthResults     = "no-auth-results"
	CodeNoTrustedMatch    = "trusted-receiver-not-found"
	CodeForgedAuthservID  = "forged-authserv-id"
	CodeUntrustedBelow    = "untrusted-auth-results"
	CodeUpstream          = "auth-results-upstream"
)

// Read parses every Authentication-Results-like field of h and decides
// which ones the trusted receiver wrote.
func Read(h Header, opts Options) *Boundary {
	b := &Boundary{}
	for i := range h.Len() {
		if kind, ok := classify(h.Name(i)); ok {
			b.read(h, i, kind)
		}
	}
	b.mark(h, opts)
	return b
}

// classify returns the kind of an AR-like field, and false for other fields.
func classify(name string) (Kind, bool) {
	if len(name) < len("Received-SPF") {
		return 0, false
	}
	switch {
	case strings.EqualFold(name, "Authentication-Results"):
		return KindAR, true
	case strings.EqualFold(name, "ARC-Authentication-Results"):
		return KindARC, true
	case strings.EqualFold(name, "Received-SPF"):
		return KindReceivedSPF, true
	case containsFold(name, "authentication-results"):
		return KindOther, true
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

// read parses header field i of kind into b.Fields.
func (b *Boundary) read(h Header, i int, kind Kind) {
	f := Field{Kind: kind, Index: i, Line: h.Line(i), Name: h.Name(i)}
	switch kind {
	case KindReceivedSPF:
		f.SPF, f.Err = authres.ParseReceivedSPF(h.Value(i))
	case KindARC:
		f.Results, f.Err = authres.ParseARC(h.Value(i))
	default:
		f.Results, f.Err = authres.Parse(h.Value(i))
	}
	switch {
	case f.Err != nil:
		b.add(finding.Low, CodeAuthResultsBroken, "The %s field at line %d could not be fully read: %v.", f.Name, f.Line, f.Err)
	case f.Results != nil && len(f.Results.Problems) > 0:
		b.add(finding.Low, CodeAuthResultsBroken, "Part of the %s field at line %d could not be read and was skipped: %v.", f.Name, f.Line, f.Results.Problems[0])
	}
	b.Fields = append(b.Fields, f)
}

func (b *Boundary) add(sev finding.Severity, code, format string, args ...any) {
	b.Findings = append(b.Findings, finding.Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// trusts reports whether opts trust the receiver of h.
func trusts(opts Options, h *authres.Header) bool {
	if len(opts.TrustedAuthServIDs) == 0 {
		return true
	}
	id := EffectiveID(h)
	for _, t := range opts.TrustedAuthServIDs {
		if sameOrSub(id, t) {
			return true
		}
	}
	return false
}

// sameOrSub reports whether name is trusted, or a subdomain of trusted.
func sameOrSub(name, trusted string) bool {
	name, trusted = strings.ToLower(name), strings.ToLower(strings.TrimSuffix(trusted, "."))
	return name == trusted || strings.HasSuffix(name, "."+trusted)
}

// mark picks the topmost Authentication-Results field whose receiver is
// trusted, checks that the final receiver wrote it, then trusts the fields
// the same receiver wrote at the same hop: further Authentication-Results
// fields with the same authserv-id (some receivers write one per method,
// and one per DKIM signature) and Received-SPF, as long as no Received
// field separates them from the chosen one. A receiver records each
// method once per message, and DKIM once per signature, so a same-named
// field that repeats a result already recorded is not the receiver's own:
// it is skipped and reported.
func (b *Boundary) mark(h Header, opts Options) {
	chosen := -1
	for i := range b.Fields {
		f := &b.Fields[i]
		if f.Kind == KindAR && f.Results != nil && trusts(opts, f.Results) {
			chosen = i
			break
		}
	}
	if chosen < 0 {
		b.noTrusted(opts)
		return
	}
	id := EffectiveID(b.Fields[chosen].Results)
	if len(opts.TrustedAuthServIDs) == 0 {
		if up := upstream(h, b.Fields[chosen]); up != nil {
			b.Upstream = up
			b.upstreamFindings(up)
			return
		}
	}
	b.Receiver = id
	lo, hi := hopBounds(h, b.Fields[chosen].Index)
	seen := results{}
	for i := range b.Fields {
		f := &b.Fields[i]
		if f.Index <= lo || f.Index >= hi {
			continue
		}
		switch {
		case f.Kind == KindAR && f.Results != nil && EffectiveID(f.Results) == id:
			if i < chosen || seen.repeats(f.Results) {
				continue
			}
			seen.add(f.Results)
			f.Trusted = true
		case f.Kind == KindReceivedSPF && f.SPF != nil:
			f.Trusted = true
		}
	}
	b.boundaryFindings(chosen, id)
}

// results is what a receiver recorded at one hop, to tell a second field
// from a repetition: one key per method, and one per DKIM signature.
type results map[string]bool

// key identifies a result: its method, and for DKIM (RFC 8601, section
// 2.7.1: one result per signature) the signature's domain, selector and
// b= prefix.
func key(r *authres.Result) string {
	if r.Method != authres.MethodDKIM && r.Method != authres.MethodDomainKeys {
		return string(r.Method)
	}
	return string(r.Method) + "\x00" + strings.ToLower(r.Prop("header.d")) + "\x00" + strings.ToLower(r.Prop("header.i")) +
		"\x00" + strings.ToLower(r.Prop("header.s")) + "\x00" + r.Prop("header.b")
}

func (s results) repeats(h *authres.Header) bool {
	for i := range h.Results {
		if s[key(&h.Results[i])] {
			return true
		}
	}
	return false
}

func (s results) add(h *authres.Header) {
	for i := range h.Results {
		s[key(&h.Results[i])] = true
	}
}

// hopBounds returns the indexes of the Received fields just above and just
// below header field idx (-1 and h.Len() when there are none): the fields
// between them were added at the same hop.
func hopBounds(h Header, idx int) (lo, hi int) {
	lo, hi = -1, h.Len()
	for i := range h.Len() {
		if !strings.EqualFold(h.Name(i), "Received") {
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
func (b *Boundary) boundaryFindings(chosen int, id string) {
	below, forged := 0, 0
	for i := range b.Fields {
		f := &b.Fields[i]
		if i <= chosen || f.Trusted || f.Kind != KindAR || f.Results == nil {
			continue
		}
		below++
		if EffectiveID(f.Results) == id {
			forged++
		}
	}
	if forged > 0 {
		b.add(finding.High, CodeForgedAuthservID, "%d Authentication-Results field(s) below the trusted one claim the trusted receiver's name (%s) but were not written at its hop, or repeat a result it already recorded: likely forged by the sender or left by a misconfigured relay.", forged, DisplayID(id))
	}
	if below > forged {
		b.add(finding.Info, CodeUntrustedBelow, "%d Authentication-Results field(s) below the trusted boundary were written by earlier hops or by the sender; they are shown but not relied on.", below-forged)
	}
}

// upstreamFindings says that the final receiver recorded nothing.
func (b *Boundary) upstreamFindings(up *Upstream) {
	if up.Outbound {
		b.add(finding.Medium, CodeUpstream, "The topmost Authentication-Results field was written by the sender's own Microsoft 365 tenant as the message left it (X-Forefront-Antispam-Report DIR:OUT), before it was signed and sent: it is not a receiver's check, and the final receiver recorded none. Its results are shown but not relied on; check the message live (--online).")
		return
	}
	b.add(finding.Medium, CodeUpstream, "The topmost Authentication-Results field was written by %s, and the message was then handed to %s, which recorded no results of its own: the verdict of an earlier hop is shown but not relied on. If %s is your own gateway, trust it with --trust.", up.Receiver, up.FinalReceiver, up.Receiver)
}

// noTrusted records why no field could be trusted.
func (b *Boundary) noTrusted(opts Options) {
	hasAR := false
	for i := range b.Fields {
		hasAR = hasAR || b.Fields[i].Kind == KindAR
	}
	switch {
	case hasAR && len(opts.TrustedAuthServIDs) > 0:
		b.add(finding.Medium, CodeNoTrustedMatch, "No Authentication-Results field was written by a trusted receiver (%s); the results present are shown but not relied on.", strings.Join(opts.TrustedAuthServIDs, ", "))
	case hasAR:
		b.add(finding.Medium, CodeAuthResultsBroken, "No Authentication-Results field could be read.")
	default:
		b.add(finding.Medium, CodeNoAuthResults, "The message carries no Authentication-Results field: no receiver recorded its checks. Check it live (--online) or look at the Received chain.")
	}
}
