// Package dkim verifies DomainKeys Identified Mail signatures as defined by
// [RFC 6376], with the Ed25519 algorithm of [RFC 8463] and the algorithm
// and key size rules of [RFC 8301], and explains every verdict: which
// check failed, what that means for the message, and what to look at.
//
// Verification is done here rather than with github.com/emersion/go-msgauth/dkim
// because that package fails every signature carrying an l= tag outright,
// cannot verify "as of" a past time (needed to judge archived mail, whose
// signatures have since expired or whose keys have rotated), keeps
// canonicalization internal, and reports an error string without saying
// what changed. This package reports, per signature, an RFC 8601 result,
// a typed [Reason], warnings, the parsed signature and key, and the
// computed and expected body hashes. Package arc (RFC 8617) reuses the
// same canonicalization, hashing and key checks, which live in an
// internal package shared by both.
//
// Verification follows RFC 6376, section 6.1: each DKIM-Signature field,
// top to bottom, is parsed and checked for the tags the verifier requires;
// its key is fetched from DNS at <s>._domainkey.<d>; the body is
// canonicalized and hashed (once per distinct canonicalization, hash and
// l= among the message's signatures, in one streaming pass); the signed
// header fields are canonicalized and hashed; and the signature is checked
// against the key. [CheckBodies] runs only the body part, without DNS, to
// tell whether bodies are intact when the verdicts were recorded elsewhere.
//
// [Verify] and [CheckBodies] read a whole message from an io.Reader. A
// caller that has already split the header block from the body (to run
// several checks on one message, or because it parsed the message itself)
// builds a [Message], or gets one from [ReadMessage], and calls
// [VerifyMessage] or [CheckMessageBodies]: the header block is then not
// read again.
//
// [RFC 6376]: https://www.rfc-editor.org/rfc/rfc6376
// [RFC 8463]: https://www.rfc-editor.org/rfc/rfc8463
// [RFC 8301]: https://www.rfc-editor.org/rfc/rfc8301
package dkim

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/authlens/authlens/internal/dkimcore"
)

// Status is the result of verifying one signature, named with the DKIM
// result words of RFC 8601, section 2.7.1.
type Status string

// The DKIM results of RFC 8601, section 2.7.1.
const (
	// StatusNone means the message was not signed.
	StatusNone Status = "none"
	// StatusPass means the signature verified.
	StatusPass Status = "pass"
	// StatusFail means the signature or the body hash did not verify.
	StatusFail Status = "fail"
	// StatusPolicy means the signature was not accepted for a local
	// reason, such as a limit on how many signatures are verified.
	StatusPolicy Status = "policy"
	// StatusNeutral means the signature could not be processed for a
	// reason not covered by the other results.
	StatusNeutral Status = "neutral"
	// StatusTempError means a temporary failure, usually in fetching the
	// key; trying later may succeed.
	StatusTempError Status = "temperror"
	// StatusPermError means a permanent error: a malformed signature, a
	// missing, revoked or unsuitable key, or a signature the RFCs forbid
	// accepting.
	StatusPermError Status = "permerror"
)

// Reason is a machine-readable code for why a signature got its result.
type Reason string

// Reasons. Each has a sentence, returned by [Reason.Description].
const (
	ReasonPass                  Reason = "pass"                    // the signature verified
	ReasonBodyHashMismatch      Reason = "body-hash-mismatch"      // the body changed in transit
	ReasonSignatureMismatch     Reason = "signature-mismatch"      // signed header fields changed, or the wrong key
	ReasonBodyTooShort          Reason = "body-too-short"          // the body is shorter than l=
	ReasonKeyNotFound           Reason = "key-not-found"           // no key record (NXDOMAIN or no TXT)
	ReasonKeyUnavailable        Reason = "key-unavailable"         // the key lookup failed temporarily
	ReasonKeyRevoked            Reason = "key-revoked"             // the key record has an empty p=
	ReasonKeyMalformed          Reason = "key-malformed"           // the key record does not parse
	ReasonKeyTypeMismatch       Reason = "key-type-mismatch"       // the key's k= does not suit a=, or is unknown
	ReasonKeyHashMismatch       Reason = "key-hash-mismatch"       // the key's h= excludes the hash of a=
	ReasonKeyServiceMismatch    Reason = "key-service-mismatch"    // the key's s= excludes email
	ReasonExpired               Reason = "expired"                 // x= has passed
	ReasonFutureTimestamp       Reason = "future-timestamp"        // t= is in the future
	ReasonMalformedSignature    Reason = "malformed-signature"     // a tag is missing or invalid
	ReasonUnsupportedVersion    Reason = "unsupported-version"     // v= is not 1
	ReasonUnsupportedAlgorithm  Reason = "unsupported-algorithm"   // unknown a=, c= or q=
	ReasonWeakHash              Reason = "weak-hash"               // rsa-sha1 (RFC 8301, section 3.1)
	ReasonWeakKey               Reason = "weak-key"                // RSA key too small (RFC 8301, section 3.2)
	ReasonIdentityOutsideDomain Reason = "identity-outside-domain" // i= not within d=
	ReasonFromNotSigned         Reason = "from-not-signed"         // h= lacks From
	ReasonTooManySignatures     Reason = "too-many-signatures"     // beyond Options.MaxSignatures, not verified
)

// Description returns a sentence saying what the reason means for the
// message.
func (r Reason) Description() string {
	for _, c := range classes {
		if c.reason == r {
			return c.text
		}
	}
	if r == ReasonPass {
		return "the signature verified: the signed header fields and body are as the signer sent them"
	}
	return string(r)
}

// Errors, grouped by the phase of verification that reports them. Each
// Result.Err wraps one of them; test with errors.Is.
var (
	// Reading the message.

	// ErrUnreadableMessage means the header block could not be read.
	ErrUnreadableMessage = errors.New("dkim: unreadable message")

	// Parsing tag-lists (signatures and key records).

	// ErrTagSyntax means a tag-list does not follow RFC 6376, section 3.2.
	ErrTagSyntax = dkimcore.ErrTagSyntax
	// ErrDuplicateTag means a tag occurs twice in one tag-list.
	ErrDuplicateTag = dkimcore.ErrDuplicateTag

	// Checking the signature (RFC 6376, section 6.1.1).

	// ErrMalformedSignature means a required tag is missing or a tag
	// value is invalid; the message names the tag.
	ErrMalformedSignature = dkimcore.ErrMalformedSignature
	// ErrUnsupportedVersion means v= is not 1.
	ErrUnsupportedVersion = errors.New("dkim: unsupported signature version")
	// ErrUnsupportedAlgorithm means a=, c= or q= names something this
	// package does not implement.
	ErrUnsupportedAlgorithm = dkimcore.ErrUnsupportedAlgorithm
	// ErrWeakHash means the signature uses rsa-sha1 (RFC 8301, section 3.1).
	ErrWeakHash = dkimcore.ErrWeakHash
	// ErrIdentityOutsideDomain means i= is not d= or a subdomain of it,
	// or, with a key flagged t=s, not exactly d=.
	ErrIdentityOutsideDomain = dkimcore.ErrIdentityOutsideDomain
	// ErrFromNotSigned means h= does not include From.
	ErrFromNotSigned = errors.New("dkim: From is not signed")
	// ErrExpired means the x= time has passed.
	ErrExpired = errors.New("dkim: signature expired")
	// ErrFutureTimestamp means t= is in the future.
	ErrFutureTimestamp = errors.New("dkim: signature timestamp in the future")
	// ErrTooManySignatures means the signature was beyond
	// Options.MaxSignatures and was not verified.
	ErrTooManySignatures = errors.New("dkim: too many signatures")

	// Fetching and checking the key (RFC 6376, section 6.1.2).

	// ErrKeyNotFound means the key record does not exist (NXDOMAIN or
	// no TXT record).
	ErrKeyNotFound = errors.New("dkim: key not found")
	// ErrKeyUnavailable means the key lookup failed temporarily.
	ErrKeyUnavailable = errors.New("dkim: key lookup failed")
	// ErrKeySyntax means the key record does not parse.
	ErrKeySyntax = errors.New("dkim: malformed key record")
	// ErrUnknownKeyType means the key record's k= is not rsa or ed25519.
	ErrUnknownKeyType = errors.New("dkim: unknown key type")
	// ErrKeyRevoked means the key record has an empty p=.
	ErrKeyRevoked = dkimcore.ErrKeyRevoked
	// ErrKeyTypeMismatch means the key's k= does not match a=.
	ErrKeyTypeMismatch = dkimcore.ErrKeyTypeMismatch
	// ErrKeyHashMismatch means the key's h= excludes the hash of a=.
	ErrKeyHashMismatch = dkimcore.ErrKeyHashMismatch
	// ErrKeyServiceMismatch means the key's s= excludes email.
	ErrKeyServiceMismatch = dkimcore.ErrKeyServiceMismatch
	// ErrWeakKey means the RSA key is smaller than allowed (RFC 8301,
	// section 3.2).
	ErrWeakKey = dkimcore.ErrWeakKey

	// Checking hashes and the signature (RFC 6376, section 6.1.3).

	// ErrBodyHashMismatch means the body hash differs from bh=.
	ErrBodyHashMismatch = errors.New("dkim: body hash mismatch")
	// ErrBodyTooShort means the canonical body is shorter than l=.
	ErrBodyTooShort = errors.New("dkim: body shorter than l=")
	// ErrSignatureMismatch means b= does not verify over the header hash.
	ErrSignatureMismatch = dkimcore.ErrSignatureMismatch
)

// class maps a sentinel to the result it produces.
type class struct {
	err    error
	status Status
	reason Reason
	text   string
}

// classes is ordered: the first sentinel err matches decides.
var classes = [...]class{
	{ErrBodyHashMismatch, StatusFail, ReasonBodyHashMismatch,
		"body hash mismatch: the body was changed in transit, often by a mailing list footer, a disclaimer or a content filter (RFC 6376, section 3.7)"},
	{ErrSignatureMismatch, StatusFail, ReasonSignatureMismatch,
		"header signature mismatch: one of the signed header fields was changed or added after signing, or the key does not belong to this signature (RFC 6376, section 6.1.3)"},
	{ErrBodyTooShort, StatusPermError, ReasonBodyTooShort,
		"the body is shorter than the l= length that was signed, so part of it was removed (RFC 6376, section 6.1.3)"},
	{ErrKeyNotFound, StatusPermError, ReasonKeyNotFound,
		"key not found: the selector's key record does not exist; it was rotated away or never published (RFC 6376, section 6.1.2)"},
	{ErrKeyUnavailable, StatusTempError, ReasonKeyUnavailable,
		"the key could not be fetched because of a temporary DNS failure; trying later may succeed (RFC 6376, section 6.1.2)"},
	{ErrKeyRevoked, StatusPermError, ReasonKeyRevoked,
		"key revoked: the key record has an empty p=, so the signer withdrew this key (RFC 6376, section 3.6.1)"},
	{ErrKeySyntax, StatusPermError, ReasonKeyMalformed,
		"the key record is malformed and cannot be used (RFC 6376, section 3.6.1)"},
	{ErrUnknownKeyType, StatusPermError, ReasonKeyTypeMismatch,
		"the key record's k= names a key type this verifier does not know (RFC 6376, section 3.6.1)"},
	{ErrKeyTypeMismatch, StatusPermError, ReasonKeyTypeMismatch,
		"key type mismatch: the key's k= does not match the signature's a= (RFC 6376, section 6.1.2)"},
	{ErrKeyHashMismatch, StatusPermError, ReasonKeyHashMismatch,
		"hash mismatch: the key's h= does not allow the signature's hash algorithm (RFC 6376, section 6.1.2)"},
	{ErrKeyServiceMismatch, StatusPermError, ReasonKeyServiceMismatch,
		"service mismatch: the key's s= does not allow use for email (RFC 6376, section 3.6.1)"},
	{ErrWeakKey, StatusPermError, ReasonWeakKey,
		"weak key: the RSA key is smaller than this verifier accepts; RFC 8301, section 3.2 forbids accepting keys under 1024 bits"},
	{ErrWeakHash, StatusPermError, ReasonWeakHash,
		"weak algorithm: rsa-sha1 signatures must not be accepted (RFC 8301, section 3.1)"},
	{ErrExpired, StatusPermError, ReasonExpired,
		"expired: the signature's x= time had passed at verification time (RFC 6376, section 3.5)"},
	{ErrFutureTimestamp, StatusPermError, ReasonFutureTimestamp,
		"from the future: the signature's t= is later than verification time (RFC 6376, section 3.5)"},
	{ErrUnsupportedVersion, StatusPermError, ReasonUnsupportedVersion,
		"the signature's v= is not 1 (RFC 6376, section 6.1.1)"},
	{ErrUnsupportedAlgorithm, StatusPermError, ReasonUnsupportedAlgorithm,
		"unsupported algorithm: the signature uses an algorithm, canonicalization or query method this verifier does not implement (RFC 6376, section 6.1.1)"},
	{ErrIdentityOutsideDomain, StatusPermError, ReasonIdentityOutsideDomain,
		"i= is not d= or a subdomain of it, so the signer claims an identity it is not responsible for (RFC 6376, section 6.1.1)"},
	{ErrFromNotSigned, StatusPermError, ReasonFromNotSigned,
		"From is not in h=, but RFC 6376, section 5.4 requires it to be signed (section 6.1.1)"},
	{ErrTooManySignatures, StatusPolicy, ReasonTooManySignatures,
		"not verified: the message has more signatures than the verifier's limit (RFC 6376, section 6.1)"},
	{ErrMalformedSignature, StatusPermError, ReasonMalformedSignature,
		"malformed signature: a required tag is missing or a tag value is invalid (RFC 6376, section 3.5)"},
	{ErrTagSyntax, StatusPermError, ReasonMalformedSignature,
		"malformed signature: the tag list does not parse (RFC 6376, section 3.2)"},
	{ErrDuplicateTag, StatusPermError, ReasonMalformedSignature,
		"malformed signature: a tag occurs twice (RFC 6376, section 3.2)"},
}

// classify returns the status and reason for err.
func classify(err error) (Status, Reason, string) {
	if err == nil {
		return StatusPass, ReasonPass, ReasonPass.Description()
	}
	for _, c := range classes {
		if errors.Is(err, c.err) {
			return c.status, c.reason, c.text
		}
	}
	return StatusPermError, ReasonMalformedSignature, err.Error()
}

// WarningCode identifies a warning attached to a result.
type WarningCode string

// Warnings. They never change the status; they say what a pass does not
// guarantee.
const (
	// WarnFromNotSigned: h= lacks From (the result is permerror).
	WarnFromNotSigned WarningCode = "from-not-signed"
	// WarnFromNotOversigned: h= lists From only as many times as the
	// message has From fields, so a second From could be added without
	// breaking the signature (RFC 6376, section 8.15).
	WarnFromNotOversigned WarningCode = "from-not-oversigned"
	// WarnUnsignedFrom: the message has more From fields than h= covers;
	// one of them is not signed and may be the one a reader sees.
	WarnUnsignedFrom WarningCode = "unsigned-from"
	// WarnBodyLength: l= is present; bytes after it are not signed (RFC
	// 6376, section 8.2).
	WarnBodyLength WarningCode = "body-length"
	// WarnWeakKey: the RSA key is accepted but smaller than 2048 bits
	// (RFC 8301, section 3.2).
	WarnWeakKey WarningCode = "weak-key"
	// WarnTestingKey: the key is flagged t=y, testing mode (RFC 6376,
	// section 3.6.1).
	WarnTestingKey WarningCode = "testing-key"
	// WarnFutureTimestamp: t= is later than the verification time, but
	// within the day of clock skew tolerated.
	WarnFutureTimestamp WarningCode = "future-timestamp"
	// WarnPKCS1Key: the RSA key is published as a bare RSAPublicKey
	// instead of a SubjectPublicKeyInfo, which some verifiers reject.
	WarnPKCS1Key WarningCode = "pkcs1-key"
)

// Warning is something a result does not guarantee, with a sentence.
type Warning struct {
	Code    WarningCode
	Message string
}

// Result is the verdict for one DKIM-Signature field.
type Result struct {
	// Index is the field's position among the message's DKIM-Signature
	// fields, 0 being the top-most.
	Index int
	// Status is the RFC 8601 result.
	Status Status
	// Reason says why, as a code.
	Reason Reason
	// Explanation says why, as a sentence for people.
	Explanation string
	// Err is nil on pass and otherwise wraps one of the package's
	// sentinel errors, with details.
	Err error
	// Signature is the parsed signature; nil only when the field's
	// tag-list does not parse at all.
	Signature *Signature
	// Key is the key record used, when it was fetched and parsed.
	Key *Key
	// KeyType and KeyBits describe Key ("rsa" and the modulus size, or
	// "ed25519" and 256).
	KeyType string
	KeyBits int
	// BodyHashComputed is the hash of the canonical body (limited to l=)
	// as computed here; BodyHashExpected is the signature's bh=. Either
	// may be nil when the signature could not be processed that far.
	BodyHashComputed, BodyHashExpected []byte
	// BodyLength is the length of the canonical body under this
	// signature's body canonicalization, or -1 if not computed.
	BodyLength int64
	// UnsignedBodyBytes is how many canonical body bytes lie beyond l=.
	UnsignedBodyBytes int64
	// FromSigned and FromOversigned tell whether h= lists From at all, and
	// more times than the message has From fields.
	FromSigned, FromOversigned bool
	// Warnings lists what a pass does not guarantee.
	Warnings []Warning
}

// HasWarning reports whether the result carries a warning with code c.
func (r *Result) HasWarning(c WarningCode) bool {
	for _, w := range r.Warnings {
		if w.Code == c {
			return true
		}
	}
	return false
}

// BodyIntact reports whether the computed body hash equals bh=.
func (r *Result) BodyIntact() bool {
	return r.BodyHashComputed != nil && string(r.BodyHashComputed) == string(r.BodyHashExpected)
}

// String formats the result like an Authentication-Results dkim entry with
// the explanation as a comment, e.g.
// "dkim=pass header.d=example.com header.s=sel header.b=abcdefgh".
func (r *Result) String() string {
	var b strings.Builder
	b.WriteString("dkim=")
	b.WriteString(string(r.Status))
	if r.Status != StatusPass {
		fmt.Fprintf(&b, " (%s)", r.Explanation)
	}
	if s := r.Signature; s != nil {
		if s.Domain != "" {
			b.WriteString(" header.d=" + s.Domain)
		}
		if s.Selector != "" {
			b.WriteString(" header.s=" + s.Selector)
		}
		if p := s.BPrefix(); p != "" {
			b.WriteString(" header.b=" + p)
		}
	}
	return b.String()
}

// Options tune [Verify] and [VerifyMessage]. The zero value is ready to use.
type Options struct {
	// Now returns the time against which x= and t= are judged; nil means
	// time.Now. Set it to a message's Date or delivery time to verify an
	// archived message as of when it arrived.
	Now func() time.Time
	// MaxSignatures is how many DKIM-Signature fields are verified, top
	// to bottom; later ones get StatusPolicy with
	// ReasonTooManySignatures. Zero means 10; negative means no limit.
	MaxSignatures int
	// MinRSABits is the smallest RSA key accepted. Zero means 1024, the
	// floor of RFC 8301, section 3.2; smaller values are raised to it.
	MinRSABits int
	// NoBody says the body is not available (a header block pasted
	// alone): body hashes are not computed or compared, and
	// Result.BodyHashComputed stays nil. The signature over the header
	// fields, which covers bh=, is still verified, so a pass means the
	// signed header fields and the body hash they name are genuine.
	NoBody bool
	// Logger, if set, gets one debug line per call.
	Logger *slog.Logger
	// Keys, if set, parses key records through this cache, shared with
	// other calls: the keys it holds must not be modified.
	Keys *KeyCache
	// Bodies, if set, are what [CheckMessageBodies] returned for the same
	// message: the body hashes computed there are used instead of
	// canonicalizing and hashing the body again. The body is read only
	// when a signature's hash is not among them. Body checks of another
	// message give wrong results.
	Bodies []BodyCheck
}

const (
	defaultMaxSignatures = 10
	// rfc8301MinBits is the smallest RSA key RFC 8301, section 3.2
	// allows a verifier to accept.
	rfc8301MinBits = 1024
	// recommendedBits is the key size RFC 8301, section 3.2 asks signers
	// to use; smaller keys get a warning.
	recommendedBits = 2048
	// clockSkew is how far in the future t= may lie before the signature
	// counts as from the future. Signers with clocks a time zone off are
	// common, and archived mail is judged as of its Date, which such
	// clocks also write, so the margin is a day; a t= within it gets
	// WarnFutureTimestamp instead.
	clockSkew = 24 * time.Hour
)

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) maxSignatures() int {
	switch {
	case o.MaxSignatures == 0:
		return defaultMaxSignatures
	case o.MaxSignatures < 0:
		return int(^uint(0) >> 1)
	}
	return o.MaxSignatures
}

func (o *Options) minRSABits() int {
	if o.MinRSABits < rfc8301MinBits {
		return rfc8301MinBits
	}
	return o.MinRSABits
}
