// Package authres parses the Authentication-Results header field defined by
// [RFC 8601], its ARC snapshot ARC-Authentication-Results ([RFC 8617]) and the
// SPF trace field Received-SPF ([RFC 7208], section 9.1).
//
// An Authentication-Results field records, for one authentication service
// (the authserv-id), the outcome of each check it ran: a method such as spf,
// dkim or dmarc, a result keyword such as pass or fail, an optional reason,
// and properties of the form ptype.property=value naming what was checked
// (smtp.mailfrom, header.d, header.from, …). Comments in parentheses carry the
// human-readable details analysts rely on ("sender IP is 192.0.2.1",
// "p=NONE sp=NONE dis=NONE", "body hash did not verify"), so this package
// keeps them: on the [Result] they follow, or on the [Prop] they follow.
//
// # Why a parser of our own
//
// The authres package of github.com/emersion/go-msgauth splits the value on
// ";" and on white space and does not interpret comments, so a quoted string
// or a comment containing ";" or "=" is misread; it requires an authserv-id,
// which Microsoft 365 does not write, so those fields fail; and it drops a
// malformed parameter without saying so. This package tokenizes the field
// properly (folding white space, nested comments with quoted-pairs, quoted
// strings) and accepts the shapes real receivers write:
//
//   - no authserv-id at all, the value starting with "spf=…" (Microsoft 365);
//   - bare domain tokens between results ("…header.d=example.com;example.com;"),
//     which are skipped;
//   - vendor key=value pairs without a ptype ("action=none" on dmarc,
//     "reason=202" on compauth), kept as a [Prop] with an empty Type;
//   - a missing ";" before a well-known method name ("dkim=pass spf=pass");
//   - a property set off from its result by a stray ";" (Yahoo:
//     "dkim=permerror (bad sig); header.i=@example.com"), kept on that result;
//   - white space or a comment between "=" and a value, empty values
//     ("smtp.mailfrom="), comments glued to a result ("dmarc=pass(p=REJECT)"),
//     values with ":", "/", "<" or "=" (IPv6 addresses, URIs, "<user@domain>"),
//     a leading ARC instance tag ("i=2;") and any letter case.
//
// # Errors and leniency
//
// [Parse] returns an error only when nothing usable can be read: an empty
// value, an authserv-id with neither ";" nor a result after it, a malformed
// ARC instance tag, or a comment or quoted string that never ends before the
// first result. Any later problem (a stray word, an unterminated comment, a
// comment nested deeper than the limit) skips the rest of the affected result
// and is recorded in [Header.Problems] as a [*SyntaxError]; every result read
// before it is kept. All errors match [ErrSyntax] with [errors.Is], plus a more
// specific sentinel where one applies.
//
// Parsing is a single forward pass over the string, so its cost grows
// linearly with the input, and words and values are substrings of the input
// wherever no unescaping is needed.
//
// [RFC 8601]: https://www.rfc-editor.org/rfc/rfc8601
// [RFC 8617]: https://www.rfc-editor.org/rfc/rfc8617
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
package authres

import (
	"iter"
	"strings"
)

// ResultValue is the result keyword of one authentication method, in lower
// case. The RFC 8601 keywords have constants; words used only by some vendors
// ("bestguesspass", "softpass", "skipped", "timeout", …) are kept as written,
// lower-cased.
type ResultValue string

// Result keywords of RFC 8601, section 2.7, and RFC 7208, section 8.
const (
	ResultPass      ResultValue = "pass"
	ResultFail      ResultValue = "fail"
	ResultSoftFail  ResultValue = "softfail"
	ResultNeutral   ResultValue = "neutral"
	ResultNone      ResultValue = "none"
	ResultTempError ResultValue = "temperror"
	ResultPermError ResultValue = "permerror"
	ResultPolicy    ResultValue = "policy"
)

// Vendor result keywords that recur in real headers.
const (
	// ResultHardFail is the RFC 5451-era spelling of an SPF or Sender ID fail.
	ResultHardFail ResultValue = "hardfail"
	// ResultBestGuessPass is Microsoft's DMARC result when the domain publishes
	// no DMARC record but SPF or DKIM would have aligned.
	ResultBestGuessPass ResultValue = "bestguesspass"
	// ResultSoftPass is Microsoft's compauth result for a weak implicit pass.
	ResultSoftPass ResultValue = "softpass"
)

// Method is an authentication method name, in lower case.
type Method string

// Method names registered with IANA for RFC 8601, plus Microsoft's compauth
// and the BIMI method.
const (
	MethodARC        Method = "arc"
	MethodAuth       Method = "auth"
	MethodBIMI       Method = "bimi"
	MethodCompAuth   Method = "compauth"
	MethodDKIM       Method = "dkim"
	MethodDKIMADSP   Method = "dkim-adsp"
	MethodDKIMATPS   Method = "dkim-atps"
	MethodDMARC      Method = "dmarc"
	MethodDNSWL      Method = "dnswl"
	MethodDomainKeys Method = "domainkeys"
	MethodIPRev      Method = "iprev"
	MethodRRVS       Method = "rrvs"
	MethodSenderID   Method = "sender-id"
	MethodSMIME      Method = "smime"
	MethodSPF        Method = "spf"
	MethodVBR        Method = "vbr"
)

// Known reports whether m is one of the registered method names above. A
// known name followed by "=" inside a result starts a new result even when
// the ";" before it is missing.
func (m Method) Known() bool {
	switch m {
	case MethodARC, MethodAuth, MethodBIMI, MethodCompAuth, MethodDKIM,
		MethodDKIMADSP, MethodDKIMATPS, MethodDMARC, MethodDNSWL,
		MethodDomainKeys, MethodIPRev, MethodRRVS, MethodSenderID,
		MethodSMIME, MethodSPF, MethodVBR:
		return true
	}
	return false
}

// Header is one parsed Authentication-Results or ARC-Authentication-Results
// field value.
//
// Example:
//
//	i=1; mx.example.net 1; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.com
type Header struct {
	// AuthServID is the authserv-id in lower case, or "" when the field has
	// none (Microsoft 365 writes none).
	AuthServID string
	// Version is the authserv-id version ("1" in "mx.example.net 1;"), or "".
	Version string
	// Instance is the ARC instance (the "i=" tag) of an
	// ARC-Authentication-Results value, or 0.
	Instance int
	// None is set when the field says "none": no method was evaluated.
	None bool
	// Comments are the comments around the authserv-id and version.
	Comments []string
	// Results are the method results in the order written.
	Results []Result
	// Problems lists the parts of the value that were skipped; they do not
	// make Parse fail.
	Problems []*SyntaxError
}

// Result is the outcome of one authentication method.
//
// Example:
//
//	dkim=fail (body hash did not verify) header.d=example.com header.s=sel1
type Result struct {
	// Method is the method name in lower case ("spf", "dkim", "x-tls", …).
	Method Method
	// MethodVersion is the method version ("1" in "dkim/1=pass"), or "".
	MethodVersion string
	// Value is the result keyword in lower case.
	Value ResultValue
	// Reason is the value of the reason= key, or "". Microsoft writes its
	// three-digit compauth code there.
	Reason string
	// Props are the key=value pairs in the order written, including reason=
	// and vendor keys without a ptype such as Microsoft's action=.
	Props []Prop
	// Comments are the comments that follow the result keyword (and any
	// written before or inside "method=result").
	Comments []string
}

// Prop is one property of a result: ptype.property=value, or a vendor
// key=value without a ptype.
//
// Example:
//
//	header.from=example.com
type Prop struct {
	// Type is the ptype in lower case ("smtp", "header", "body", "policy"),
	// or "" for a key without a ptype (reason=, action=, …).
	Type string
	// Property is the property (or key) name in lower case.
	Property string
	// Value is the value, unquoted; it may be empty ("smtp.mailfrom=").
	Value string
	// Comment holds the comments written after (or inside) the property,
	// joined by a space.
	Comment string
}

// Key returns "ptype.property", or the bare key when Type is empty.
func (p Prop) Key() string {
	if p.Type == "" {
		return p.Property
	}
	if k := commonKey(p.Type, p.Property); k != "" {
		return k
	}
	return p.Type + "." + p.Property
}

// commonKey returns the key of the properties receivers write most (RFC
// 8601, section 2.7, and the IANA registry of its section 6.3) without
// building it, or "".
func commonKey(ptype, property string) string {
	switch ptype {
	case "smtp":
		switch property {
		case "mailfrom":
			return "smtp.mailfrom"
		case "helo":
			return "smtp.helo"
		case "auth":
			return "smtp.auth"
		case "remote-ip":
			return "smtp.remote-ip"
		}
	case "header":
		switch property {
		case "d":
			return "header.d"
		case "i":
			return "header.i"
		case "s":
			return "header.s"
		case "b":
			return "header.b"
		case "a":
			return "header.a"
		case "from":
			return "header.from"
		}
	case "policy":
		switch property {
		case "dmarc":
			return "policy.dmarc"
		}
	}
	return ""
}

// Prop returns the value of the first property whose Key equals key, ignoring
// letter case ("smtp.mailfrom", "header.d", "action"), or "". For "reason" it
// falls back to Reason.
func (r Result) Prop(key string) string {
	typ, prop, dotted := strings.Cut(key, ".")
	if !dotted {
		typ, prop = "", key
	}
	for _, p := range r.Props {
		if strings.EqualFold(p.Type, typ) && strings.EqualFold(p.Property, prop) {
			return p.Value
		}
	}
	if !dotted && strings.EqualFold(key, "reason") {
		return r.Reason
	}
	return ""
}

// Each returns an iterator over the results for method m, in order. The
// results point into h.Results: unlike [Header.Lookup], Each copies
// nothing.
func (h *Header) Each(m Method) iter.Seq[*Result] {
	return func(yield func(*Result) bool) {
		for i := range h.Results {
			if h.Results[i].Method == m && !yield(&h.Results[i]) {
				return
			}
		}
	}
}

// First returns the first result for method m, or nil.
func (h *Header) First(m Method) *Result {
	for i := range h.Results {
		if h.Results[i].Method == m {
			return &h.Results[i]
		}
	}
	return nil
}

// Lookup returns the results for method m, in order.
func (h *Header) Lookup(m Method) []Result {
	var out []Result
	for _, r := range h.Results {
		if r.Method == m {
			out = append(out, r)
		}
	}
	return out
}
