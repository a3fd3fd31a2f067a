package trust

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/finding"
)

// Finding codes this package emits.
const (
	CodeAuthResultsBroken finding.Code = "auth-results-unreadable"
	CodeNoAuthResults     finding.Code = "no-auth-results"
	CodeNoTrustedMatch    finding.Code = "trusted-receiver-not-found"
	CodeForgedAuthservID  finding.Code = "forged-authserv-id"
	CodeUntrustedBelow    finding.Code = "untrusted-auth-results"
	CodeUpstream          finding.Code = "auth-results-upstream"
	CodeARCResultsOnly    finding.Code = "arc-results-only"
	CodeSPFOnly           finding.Code = "spf-only"
)

// Read parses every Authentication-Results-like field of h and decides
// which ones the trusted receiver wrote.
func Read(h Header, opts Options) *Boundary {
	h = WithReceived(h)
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

func (b *Boundary) add(sev finding.Severity, code finding.Code, format string, args ...any) {
	b.Findings = append(b.Findings, finding.Finding{Severity: sev, Code: finding.Code(code), Message: fmt.Sprintf(format, args...)})
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
	var up *Upstream
	if chosen >= 0 && len(opts.TrustedAuthServIDs) == 0 {
		if up = upstream(h, b.Fields[chosen].Index, EffectiveID(b.Fields[chosen].Results)); up != nil {
			if r := b.Fields[chosen].Results.First(authres.MethodAuth); r != nil && r.Value == authres.ResultPass {
				up.Submission = true
			}
			chosen = -1
		} else if b.spfAbove(h, b.Fields[chosen].Index) {
			// A later hop recorded SPF in Received-SPF: the last
			// receiver wrote that, not the Authentication-Results
			// field further down.
			chosen = -1
		}
	}
	if chosen < 0 && len(opts.TrustedAuthServIDs) == 0 && b.fallback(h) {
		return
	}
	if up != nil {
		b.Upstream = up
		b.upstreamFindings(up)
		return
	}
	if chosen < 0 {
		b.noTrusted(opts)
		return
	}
	id := EffectiveID(b.Fields[chosen].Results)
	b.Receiver = id
	lo, hi := hopBounds(h, b.Fields[chosen].Index)
	seen := &results{h: h}
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

// fallback trusts what the final receiver recorded when it wrote no
// Authentication-Results field of its own (or only an earlier hop's is
// there): the newest ARC-Authentication-Results, which a receiver that
// seals on arrival writes at its hop (RFC 8617, section 4.1.1), or else the
// topmost Received-SPF field (RFC 7208, section 9.1). Each must pass the
// same upstream check as an Authentication-Results field.
func (b *Boundary) fallback(h Header) bool {
	for i := range b.Fields {
		f := &b.Fields[i]
		switch {
		case f.Kind == KindARC && f.Results != nil:
			id := EffectiveID(f.Results)
			if upstream(h, f.Index, id) != nil {
				return false
			}
			f.Trusted, b.Receiver, b.Source = true, id, KindARC
			b.boundaryFindings(i, id)
			b.add(finding.Info, CodeARCResultsOnly, "The final receiver (%s) recorded its checks only in its ARC-Authentication-Results field (i=%d), which is read as its verdict.", DisplayID(id), f.Results.Instance)
			return true
		case f.Kind == KindReceivedSPF && f.SPF != nil && spfResult(f.SPF.Result):
			name := spfReceiver(f.SPF)
			if name == "" && !topHop(h, f.Index, f.SPF.Get("client-ip")) || name != "" && upstream(h, f.Index, name) != nil {
				return false
			}
			f.Trusted, b.Receiver, b.Source = true, cmp.Or(name, hopServer(h, f.Index), ReceivedSPFReceiver), KindReceivedSPF
			b.boundaryFindings(i, "")
			b.add(finding.Low, CodeSPFOnly, "Only SPF was recorded (Received-SPF, by %s): the receiver wrote no DKIM or DMARC result, so the author's domain was never checked as such.", DisplayID(b.Receiver))
			return true
		}
	}
	return false
}

// ReceivedSPFReceiver names the receiver of a trusted Received-SPF field
// that does not say who wrote it.
const ReceivedSPFReceiver = "the receiver (Received-SPF)"

// spfReceiver returns who wrote a Received-SPF field: its receiver= key, or
// the name before ":" at the start of its comment ("google.com: domain of
// …", RFC 7208, section 9.1).
func spfReceiver(s *authres.ReceivedSPF) string {
	if r := s.Get("receiver"); r != "" {
		return strings.ToLower(r)
	}
	c := strings.TrimSpace(s.Comment)
	if i := strings.IndexByte(c, ':'); i > 0 && !strings.ContainsAny(c[:i], " \t") && strings.Contains(c[:i], ".") {
		return strings.ToLower(c[:i])
	}
	return ""
}

// spfResult reports whether r is one of the results of RFC 7208,
// section 2.6.
func spfResult(r authres.ResultValue) bool {
	switch r {
	case authres.ResultPass, authres.ResultFail, authres.ResultSoftFail, authres.ResultNeutral,
		authres.ResultNone, authres.ResultTempError, authres.ResultPermError:
		return true
	}
	return false
}

// hopServer names the server that wrote the field at idx: the "by" of the
// Received field just above it (its own hop), else of the one just below.
func hopServer(h Header, idx int) string {
	lo, hi := hopBounds(h, idx)
	for _, i := range []int{lo, hi} {
		if i < 0 || i >= h.Len() {
			continue
		}
		if hop, err := hopAt(h, i); err == nil && hop != nil && strings.Contains(hop.By, ".") {
			return strings.ToLower(hop.By)
		}
	}
	return ""
}

// spfAbove reports whether a readable Received-SPF field stands in a hop
// above header field idx: separated from it by a Received field.
func (b *Boundary) spfAbove(h Header, idx int) bool {
	lo, _ := hopBounds(h, idx)
	for i := range b.Fields {
		f := &b.Fields[i]
		if f.Index < lo && f.Kind == KindReceivedSPF && f.SPF != nil && spfResult(f.SPF.Result) {
			return true
		}
	}
	return false
}

// topHop reports whether the Received-SPF field at idx was written by the
// last server that received the message: no Received field above it
// records a network hop (local deliveries aside), except the receiver's
// own, whose client is the address the field checked (client-ip).
func topHop(h Header, idx int, clientIP string) bool {
	own := false
	for i := idx - 1; i >= 0; i-- {
		if !strings.EqualFold(h.Name(i), "Received") {
			continue
		}
		hop, err := hopAt(h, i)
		switch {
		case err == nil && hop != nil && hop.Local():
		case !own && err == nil && hop != nil && clientIP != "" && hop.IP == clientIP:
			own = true
		default:
			return false
		}
	}
	return true
}

// results is what a receiver recorded at one hop, to tell a second field
// from a repetition: one result per method, and one per DKIM signature
// the message carries.
type results struct {
	recorded []recorded // every result recorded, in order
	h        Header
	sigs     []signature // read when first needed
	loaded   bool
}

// recorded is one result recorded at the hop.
type recorded struct {
	key   resultKey
	value authres.ResultValue
}

// resultKey identifies a result: its method, and for DKIM (RFC 8601,
// section 2.7.1: one result per signature) the signature's domain,
// identity, selector and b= prefix.
type resultKey struct {
	method     authres.Method
	d, i, s, b string
}

func key(r *authres.Result) resultKey {
	if r.Method != authres.MethodDKIM && r.Method != authres.MethodDomainKeys {
		return resultKey{method: r.Method}
	}
	return resultKey{r.Method, strings.ToLower(r.Prop("header.d")), strings.ToLower(r.Prop("header.i")),
		strings.ToLower(r.Prop("header.s")), r.Prop("header.b")}
}

// count returns how many results with key k are recorded, and whether
// one of them has outcome v.
func (s *results) count(k resultKey, v authres.ResultValue) (n int, same bool) {
	for _, e := range s.recorded {
		if e.key == k {
			n++
			same = same || e.value == v
		}
	}
	return n, same
}

// repeats reports whether h contradicts a result already recorded: the
// same check with another outcome, more often than the message allows —
// once, or for DKIM once per matching signature (a receiver that does not
// note the selector or b= writes one result per signature of a domain,
// and two signatures may well end differently). A result written again
// with the same outcome adds nothing and contradicts nothing: some
// receivers repeat one (sender-id beside each identity it checked).
func (s *results) repeats(h *authres.Header) bool {
	for i := range h.Results {
		r := &h.Results[i]
		n, same := s.count(key(r), r.Value)
		if n == 0 || same {
			continue
		}
		if n >= max(1, s.matching(r)) {
			return true
		}
	}
	return false
}

func (s *results) add(h *authres.Header) {
	for i := range h.Results {
		s.recorded = append(s.recorded, recorded{key(&h.Results[i]), h.Results[i].Value})
	}
}

// matching counts the DKIM-Signature fields a DKIM result may describe.
func (s *results) matching(r *authres.Result) int {
	if r.Method != authres.MethodDKIM {
		return 0
	}
	if !s.loaded {
		s.sigs, s.loaded = signatures(s.h), true
	}
	d := strings.ToLower(r.Prop("header.d"))
	if d == "" {
		if i := r.Prop("header.i"); strings.Contains(i, "@") {
			d = strings.ToLower(i[strings.LastIndexByte(i, '@')+1:])
		}
	}
	sel, b := strings.ToLower(r.Prop("header.s")), r.Prop("header.b")
	n := 0
	for _, g := range s.sigs {
		if (d == "" || g.domain == d) && (sel == "" || g.selector == sel) && (b == "" || strings.HasPrefix(g.b, b) || strings.HasPrefix(b, g.b)) {
			n++
		}
	}
	return n
}

// signature identifies one DKIM-Signature field of the message.
type signature struct{ domain, selector, b string }

// signatures lists the message's DKIM-Signature fields.
func signatures(h Header) []signature {
	var out []signature
	for i := range h.Len() {
		if !strings.EqualFold(h.Name(i), "DKIM-Signature") {
			continue
		}
		if s, err := dkim.ParseSignature(h.Value(i)); err == nil {
			out = append(out, signature{strings.ToLower(s.Domain), strings.ToLower(s.Selector), s.BPrefix()})
		}
	}
	return out
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
	if up.Submission {
		b.add(finding.Medium, CodeUpstream, "The topmost Authentication-Results field was written by %s, the sender's own submission server (it logged the sender in: auth=pass), and the message was then handed to %s, which recorded no results of its own: nothing a receiver checked is in the headers. Check the message live (--online).", up.Receiver, up.FinalReceiver)
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
