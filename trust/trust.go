// Package trust decides whose Authentication-Results to believe and reads
// what they recorded (RFC 8601, section 7.1).
//
// Every receiver that handles a message may prepend an
// Authentication-Results field, and so may the sender: nothing in the field
// proves who wrote it. RFC 8601, section 7.1 leaves it to the reader to
// know which authserv-id is its own and to ignore the rest. This package
// makes that decision for a reader who does not know, as an analyst
// looking at a pasted header block does:
//
//   - the topmost Authentication-Results field whose receiver is trusted
//     ([Options.TrustedAuthServIDs], or any receiver when none is named) was
//     written by the last hop, normally the reader's own mail system;
//   - the same receiver may write several fields at that hop, one per
//     method (Fastmail, Proton) and one per DKIM signature, plus a
//     Received-SPF field: those are trusted with it;
//   - a field lower down that names the same receiver, or repeats a
//     result the receiver already recorded, was not written at its hop:
//     forged by the sender or left by a misconfigured relay;
//   - when the message left the receiver's organization after that field
//     was written (a Received field above it records a hand-off to another
//     organization), or when the field was stamped by the sender's own
//     Microsoft 365 tenant on the way out (DIR:OUT), the final receiver
//     recorded nothing: the field is an earlier hop's evidence, not the
//     receiver's verdict ([Boundary.Upstream]).
//
// [Read] parses every Authentication-Results, ARC-Authentication-Results,
// Received-SPF and vendor copy (Authentication-Results-Original,
// X-MS-Exchange-Authentication-Results, …) once, marks the trusted ones and
// explains the boundary in findings. [Boundary.Trusted] returns what the
// trusted receiver recorded.
package trust

import (
	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/received"
)

// Header is the header block of one message, top to bottom, as [Read]
// needs it. Value returns a field's unfolded value.
type Header interface {
	Len() int
	Name(i int) string
	Value(i int) string
	Line(i int) int
}

// ReceivedHeader is a Header that has parsed its Received fields already,
// or parses each at most once: [Read] takes the hops from it instead of
// parsing fields itself, so that a caller that traces the Received chain
// too (package received) parses every field once.
type ReceivedHeader interface {
	Header
	// Received returns [received.ParseField] of field i, a Received
	// field.
	Received(i int) received.Parsed
}

// Options tune the trust decision. The zero value trusts the topmost
// receiver.
type Options struct {
	// TrustedAuthServIDs names the receivers whose fields may be trusted,
	// by authserv-id; a name also matches its subdomains ("google.com"
	// trusts "mx.google.com"). Microsoft 365 writes no authserv-id; its
	// fields match [MicrosoftReceiver] ("protection.outlook.com"). When
	// set, the named receiver is trusted wherever its field stands: the
	// caller has said it is theirs, so no upstream check is made.
	TrustedAuthServIDs []string
}

// MicrosoftReceiver is the name Microsoft 365's Authentication-Results
// fields, which carry no authserv-id, are matched by: the receiver name
// Exchange Online writes in its Received-SPF fields.
const MicrosoftReceiver = "protection.outlook.com"

// Kind tells the kinds of Authentication-Results-like fields apart.
type Kind int

// Kinds of fields.
const (
	KindAR          Kind = iota // Authentication-Results (RFC 8601)
	KindARC                     // ARC-Authentication-Results (RFC 8617, section 4.1.1)
	KindOther                   // renamed or vendor copies: -Original, X-MS-Exchange-…, X-ME-…
	KindReceivedSPF             // Received-SPF (RFC 7208, section 9.1)
)

// Field is one parsed Authentication-Results-like field.
type Field struct {
	Kind Kind
	// Index is the field's position among all header fields, Line the
	// line it starts on, Name its name as written.
	Index int
	Line  int
	Name  string
	// Results is the parsed field; nil for Received-SPF, or when nothing
	// could be read.
	Results *authres.Header
	// SPF is the parsed Received-SPF field.
	SPF *authres.ReceivedSPF
	// Err says why the field could not be fully read.
	Err error
	// Trusted is true for the fields the trusted receiver wrote at its hop.
	Trusted bool
}

// Upstream describes a topmost Authentication-Results field that the final
// receiver did not write.
type Upstream struct {
	// Receiver names who wrote the field ("Microsoft 365", "mx.example").
	Receiver string
	// FinalReceiver names the server the message was handed to afterwards,
	// "" when the evidence is the sender's own outbound stamp.
	FinalReceiver string
	// Outbound is true when the field was written by the sender's own
	// Microsoft 365 tenant on the way out (X-Forefront-Antispam-Report
	// DIR:OUT): its results describe the message before it left, not a
	// receiver's checks.
	Outbound bool
	// Submission is true when the field records that its server logged
	// the sender in (auth=pass, RFC 8601, section 2.7.4): the sender's own
	// submission server, not a receiver.
	Submission bool
}

// Boundary is the outcome of [Read].
type Boundary struct {
	// Fields are every Authentication-Results-like field, top to bottom.
	Fields []Field
	// Receiver is the trusted receiver's authserv-id ([MicrosoftReceiver]
	// for Microsoft 365), "" when no field is trusted.
	Receiver string
	// Source is the kind of field the receiver's record was read from:
	// KindAR normally; KindARC or KindReceivedSPF when the receiver wrote
	// no Authentication-Results field of its own.
	Source Kind
	// Upstream is set when the topmost field was written by an earlier
	// hop than the final receiver; no field is trusted then.
	Upstream *Upstream
	// Findings explain the boundary: forged fields, upstream results,
	// fields that could not be read.
	Findings []finding.Finding
}

// Trusted returns what the trusted receiver recorded: its
// Authentication-Results fields and its Received-SPF fields, top to bottom.
func (b *Boundary) Trusted() (hdrs []*authres.Header, spfs []*authres.ReceivedSPF) {
	for i := range b.Fields {
		f := &b.Fields[i]
		if !f.Trusted {
			continue
		}
		if f.Results != nil {
			hdrs = append(hdrs, f.Results)
		}
		if f.SPF != nil {
			spfs = append(spfs, f.SPF)
		}
	}
	return hdrs, spfs
}

// EffectiveID is the authserv-id a field is matched by: its own, or
// [MicrosoftReceiver] for Microsoft 365's id-less fields.
func EffectiveID(h *authres.Header) string {
	if h.AuthServID == "" {
		return MicrosoftReceiver
	}
	return h.AuthServID
}

// DisplayID names a receiver for people.
func DisplayID(id string) string {
	if id == MicrosoftReceiver {
		return "Microsoft 365"
	}
	return id
}
