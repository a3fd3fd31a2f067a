// Package compauth explains Microsoft 365 / Exchange Online Protection
// (EOP) verdicts: the composite authentication result ("compauth=" in the
// Authentication-Results field EOP writes), the antispam fields
// (X-Forefront-Antispam-Report, X-Microsoft-Antispam, the SCL and PCL
// fields, X-Microsoft-Antispam-Mailbox-Delivery) and the Exchange
// submission classification (X-MS-Exchange-Organization-AuthAs,
// -AuthSource, -AuthMechanism and the CrossTenant copies).
//
// Microsoft documents the fields in [Anti-spam message headers]; most
// specific compauth reason codes and several keys are not documented,
// and what is known about them comes from real headers. Every
// explanation therefore carries a [Confidence] saying where it comes
// from, and wording for observed or inferred meanings says so.
//
// [Explain] explains a recorded compauth result and reason. [Estimate]
// computes the composite result Microsoft's explicit authentication
// (SPF, DKIM and DMARC per [RFC 7489], ARC per [RFC 8617]) would give;
// [Compare] tells whether the recorded verdict follows from those
// results or was decided by Microsoft's implicit signals (sender
// reputation and history), which headers cannot show. [Analyze] reads
// all of it from a message's header fields.
//
// [Anti-spam message headers]: https://learn.microsoft.com/defender-office-365/message-headers-eop-mdo
// [RFC 7489]: https://www.rfc-editor.org/rfc/rfc7489
// [RFC 8617]: https://www.rfc-editor.org/rfc/rfc8617
package compauth

import (
	"errors"
)

// Errors returned by the parsers. They are wrapped with detail; test for
// them with [errors.Is].
var (
	// ErrEmpty is returned for a field value with no content.
	ErrEmpty = errors.New("compauth: empty field")
	// ErrMalformed is returned for a field with parts that cannot be
	// read; the parsers still return everything else.
	ErrMalformed = errors.New("compauth: malformed field")
)

// Result is a composite authentication result, the value of
// "compauth=" (documented values: pass, fail, softpass, none).
type Result string

// The composite authentication results Microsoft documents.
const (
	ResultPass     Result = "pass"     // the message passed composite authentication
	ResultFail     Result = "fail"     // it failed; it may still be delivered
	ResultSoftPass Result = "softpass" // soft-passed implicit authentication
	ResultNone     Result = "none"     // not checked, or bypassed
)

// known reports whether r is one of the documented results.
func (r Result) known() bool {
	switch r {
	case ResultPass, ResultFail, ResultSoftPass, ResultNone:
		return true
	}
	return false
}

// Confidence says where a statement about a Microsoft value comes from.
type Confidence string

// Sources of a statement, from strongest to weakest.
const (
	// ConfidenceDocumented: stated in Microsoft's (or an RFC's) own
	// documentation.
	ConfidenceDocumented Confidence = "documented"
	// ConfidenceCode: read from code (Exchange transport code, or
	// Microsoft's Message Header Analyzer rules).
	ConfidenceCode Confidence = "code"
	// ConfidenceObserved: observed in real headers; behaviour, not a
	// promise.
	ConfidenceObserved Confidence = "observed"
	// ConfidenceInferred: an interpretation of observations; plausible
	// but unconfirmed.
	ConfidenceInferred Confidence = "inferred"
	// ConfidenceUnknown: no meaning could be established.
	ConfidenceUnknown Confidence = "unknown"
)
