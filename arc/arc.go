// Package arc validates Authenticated Received Chains as defined by
// [RFC 8617]: the ARC-Seal, ARC-Message-Signature and
// ARC-Authentication-Results header fields that intermediaries such as
// mailing lists and forwarders add, so that a later receiver can see what
// each hop saw when the message reached it and whether the message was
// changed since.
//
// A chain is a sequence of numbered sets, one per hop, each made of three
// fields with the same instance number i=: the ARC-Authentication-Results
// (AAR) recording the hop's own SPF, DKIM and DMARC verdicts, the
// ARC-Message-Signature (AMS), a DKIM-like signature over the message, and
// the ARC-Seal (AS), a signature over every ARC field of the sets 1..i.
// [Validate] follows RFC 8617, section 5.2: it checks the chain's structure
// and cv= progression, verifies the newest AMS over the message, computes
// the "oldest-pass" instance from the older AMSs, and verifies every seal.
// An AMS is verified against the header fields that existed when its hop
// signed: the fields of later sets, and the hop's own seal and AMS, are
// not candidates for its h= list, while the hop's own AAR is.
// The verdict is [StatusPass], [StatusFail] or [StatusNone] — or
// [StatusTempError] when a key could not be fetched — with the first
// failing instance, a [Reason] code and a sentence.
//
// Canonicalization, body hashing, key checks and signature verification
// are DKIM's (shared with package dkim through an internal package), and
// key records come from [dkim.LookupKey]; this package adds what differs in
// ARC: the i= tag is an instance number rather than an identity, there is
// no v= tag, the seal covers ARC fields only, with relaxed header
// canonicalization, and the seal must not carry h=.
//
// [Validate] reads a whole message. [ValidateMessage] takes a message whose
// header block was already read, as a [dkim.Message] (so one parse serves
// DKIM and ARC), and optionally its ARC-Authentication-Results fields
// already parsed with [authres.ParseARC], as [ParsedResults].
//
// # Ed25519 in ARC
//
// RFC 8617, section 4.1.3 names rsa-sha256 as the only algorithm for ARC
// signatures and leaves others to future documents; no document has
// added ed25519-sha256 (RFC 8463 covers DKIM only). A set signed with any
// algorithm other than rsa-sha256, ed25519-sha256 included, therefore fails
// with [ReasonUnsupportedAlgorithm], even when the signature itself would
// verify. Implementations differ here: dkimpy and Mail::DKIM fail such a
// set, as this package does, while stalwart's mail-auth accepts it. Failing
// is the conservative reading: a receiver that trusts an ARC chain
// overrides its own DMARC verdict, and it should do that only for chains
// every conforming receiver would accept.
//
// # Offline validation
//
// With [Options].Offline set, no DNS query is made: the structure, the
// cv= progression, the recorded results and the AMS body hashes are
// checked, and signatures are not. A pass then means "well formed and the
// body is as the newest hop sealed it", not "authenticated"; [Result].Offline
// says which kind of verdict it is.
//
// [RFC 8617]: https://www.rfc-editor.org/rfc/rfc8617
package arc

import (
	"context"
	"errors"
	"time"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/dkim"
)

// Header field names of an ARC set (RFC 8617, section 4.1).
const (
	FieldSeal             = "ARC-Seal"
	FieldMessageSignature = "ARC-Message-Signature"
	FieldResults          = "ARC-Authentication-Results"
)

// Status is the chain validation status, named with the arc result words
// of RFC 8617, section 4.4 (and RFC 8601).
type Status string

// The chain validation statuses of RFC 8617, section 4.4.
const (
	// StatusNone means the message carries no ARC set.
	StatusNone Status = "none"
	// StatusPass means the chain is well formed, the newest AMS verifies
	// over the message and every seal verifies.
	StatusPass Status = "pass"
	// StatusFail means the chain is broken somewhere; Result.Reason says
	// where and how.
	StatusFail Status = "fail"
	// StatusTempError means the chain could not be validated because a
	// key could not be fetched (a temporary DNS failure): it is neither
	// pass nor fail, and a later try may decide it. RFC 8617 defines no
	// such result; it is the temperror of RFC 8601, section 2.7.1.
	StatusTempError Status = "temperror"
)

// ChainValidation is the value of an ARC-Seal's cv= tag: the chain status
// the sealer found before adding its own set (RFC 8617, section 4.1.3).
type ChainValidation string

// The cv= values of RFC 8617, section 4.1.3.
const (
	// CVNone: the sealer found no chain; only valid at i=1.
	CVNone ChainValidation = "none"
	// CVPass: the sealer found a valid chain; required for i>1.
	CVPass ChainValidation = "pass"
	// CVFail: the sealer found a broken chain; nothing after it can pass.
	CVFail ChainValidation = "fail"
)

// Resolver looks up DNS TXT records. *net.Resolver satisfies it, as does
// the client of package dnsclient.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// Options tune [Validate] and [ValidateMessage]. The zero value is ready to
// use.
type Options struct {
	// Now returns the time against which seal timestamps are judged; nil
	// means time.Now. Set it to the delivery time to judge an archived
	// message. A seal whose t= lies more than a day after it gets
	// SetResult.FutureTimestamp; t= never changes Status, since RFC 8617
	// gives ARC signatures no expiry.
	Now func() time.Time
	// Offline skips DNS: only structure, recorded results and AMS body
	// hashes are checked; signatures are not verified.
	Offline bool
	// NoBody says the body is not available (a header block pasted alone):
	// AMS body hashes are not checked, and a body that is not there is
	// never reported as changed. The signatures over the header fields
	// are still checked online, since bh= is among the signed tags.
	NoBody bool
	// TrustedSealers lists the d= domains whose seals the caller trusts
	// (RFC 8617 leaves that choice to the receiver). It only
	// sets Result.Trusted and Result.NewestTrusted; it never changes
	// Status.
	TrustedSealers []string
	// Keys, if set, parses key records through this cache, which may be
	// shared with DKIM verification (dkim.Options.Keys).
	Keys *dkim.KeyCache
	// Bodies, if set, are body hashes already computed for the same
	// message's DKIM signatures (by dkim.CheckMessageBodies, or taken
	// from dkim.Result): an AMS whose body canonicalization and l= are a
	// SHA-256 DKIM signature's takes that hash, and the body is read only
	// when some AMS has none to take. Hashes of another message give
	// wrong results.
	Bodies []dkim.BodyCheck
}

// Seal is a parsed ARC-Seal field (RFC 8617, section 4.1.3).
//
// Example:
//
//	ARC-Seal: i=1; a=rsa-sha256; t=1522274478; cv=none;
//	    d=google.com; s=arc-20160816;
//	    b=CXc64U6fkuKdWCoLGbNrMVqGSL7C3wN4Qhu0hq6y0Aw51Qkx7/kKGPHRwQAuP+zVf7
type Seal struct {
	// Instance is tag "i", 1 to 50.
	Instance int
	// Algorithm is tag "a", lower-cased.
	Algorithm dkim.Algorithm
	// Signature is tag "b", decoded.
	Signature []byte
	// ChainValidation is tag "cv", lower-cased.
	ChainValidation ChainValidation
	// Domain is tag "d", the sealer's domain.
	Domain string
	// Selector is tag "s".
	Selector string
	// Timestamp is tag "t"; zero when absent.
	Timestamp time.Time
}

// MessageSignature is a parsed ARC-Message-Signature field (RFC 8617,
// section 4.1.2): a DKIM-Signature without v=, whose i= is the instance.
//
// Example:
//
//	ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed;
//	    d=google.com; s=arc-20160816; h=from:to:subject:date;
//	    bh=wA8UHicgWC9Xhbg+MPaDDXiNuk7OpeLzC4PgU7LJ3mQ=; b=0nKy4Nn+...
type MessageSignature struct {
	// Instance is tag "i", 1 to 50.
	Instance int
	// Algorithm is tag "a", lower-cased.
	Algorithm dkim.Algorithm
	// Signature is tag "b", decoded.
	Signature []byte
	// BodyHash is tag "bh", decoded.
	BodyHash []byte
	// HeaderCanon and BodyCanon are tag "c"; both default to simple.
	HeaderCanon, BodyCanon dkim.Canonicalization
	// Domain is tag "d".
	Domain string
	// Selector is tag "s".
	Selector string
	// Headers is tag "h", the signed header field names in order; it may
	// be empty.
	Headers []string
	// Length is tag "l", or -1 when absent.
	Length int64
	// Timestamp is tag "t"; zero when absent.
	Timestamp time.Time
}

// Set is one ARC set: the three fields sharing an instance number.
type Set struct {
	// Instance is the shared i= value.
	Instance int
	// Seal, MessageSignature and Results are the parsed fields.
	Seal             *Seal
	MessageSignature *MessageSignature
	Results          *authres.Header
	// SealField, MessageSignatureField and ResultsField are the fields
	// as they stand in the message, "Name: value" with folding and the
	// final CRLF.
	SealField, MessageSignatureField, ResultsField []byte
}

// Reason is a machine-readable code for a chain's verdict.
type Reason string

// Reasons. Each has a sentence, returned by [Reason.Description].
const (
	ReasonPass                 Reason = "pass"
	ReasonNoChain              Reason = "no-chain"
	ReasonTooManySets          Reason = "too-many-sets"
	ReasonInstanceGap          Reason = "instance-gap"
	ReasonDuplicateInstance    Reason = "duplicate-instance"
	ReasonMissingHeader        Reason = "missing-header"
	ReasonBadInstance          Reason = "bad-instance"
	ReasonBadTag               Reason = "bad-tag"
	ReasonSealHasHeaders       Reason = "seal-has-h-tag"
	ReasonSignsSeal            Reason = "ams-signs-seal"
	ReasonBadResults           Reason = "bad-aar"
	ReasonChainFailed          Reason = "chain-already-failed"
	ReasonChainBroken          Reason = "cv-chain-broken"
	ReasonUnsupportedAlgorithm Reason = "unsupported-algorithm"
	ReasonKeyNotFound          Reason = "key-not-found"
	ReasonKeyUnavailable       Reason = "key-unavailable"
	ReasonKeyInvalid           Reason = "key-invalid"
	ReasonWeakKey              Reason = "weak-key"
	ReasonBodyHashMismatch     Reason = "ams-body-hash-mismatch"
	ReasonAMSSignature         Reason = "ams-signature-mismatch"
	ReasonSealSignature        Reason = "seal-signature-mismatch"
)

// Description returns a sentence saying what the reason means for the
// message.
func (r Reason) Description() string {
	switch r {
	case ReasonPass:
		return "the chain is intact: every seal verifies and the newest hop's message signature still matches the message"
	case ReasonNoChain:
		return "the message carries no ARC set"
	}
	for _, c := range classes {
		if c.reason == r {
			return c.text
		}
	}
	return string(r)
}

// Errors, grouped by the phase of validation that reports them.
// Result.Err and SetResult errors wrap one of them; test with errors.Is.
var (
	// Reading the message.

	// ErrUnreadableMessage means the header block or body could not be
	// read; it is the only error Validate returns.
	ErrUnreadableMessage = errors.New("arc: unreadable message")

	// Structure (RFC 8617, section 5.2, steps 1 and 3).

	// ErrTooManySets means instances beyond 50 are present.
	ErrTooManySets = errors.New("arc: more than 50 ARC sets")
	// ErrInstanceGap means the instances do not run 1..N without gaps.
	ErrInstanceGap = errors.New("arc: gap in ARC instance numbers")
	// ErrDuplicateInstance means two fields of one kind share an instance.
	ErrDuplicateInstance = errors.New("arc: duplicate ARC field for one instance")
	// ErrMissingHeader means a set lacks one of its three fields.
	ErrMissingHeader = errors.New("arc: ARC set is missing a field")
	// ErrBadInstance means an i= tag is missing, empty or not 1..50.
	ErrBadInstance = errors.New("arc: invalid instance tag")
	// ErrBadTag means a tag-list does not parse or a tag is missing or
	// invalid.
	ErrBadTag = errors.New("arc: malformed ARC field")
	// ErrSealHasHeaders means an ARC-Seal carries h=, which RFC 8617,
	// section 4.1.3 forbids.
	ErrSealHasHeaders = errors.New("arc: ARC-Seal must not have an h= tag")
	// ErrSignsSeal means an AMS lists ARC-Seal in h=.
	ErrSignsSeal = errors.New("arc: ARC-Message-Signature must not sign ARC-Seal")
	// ErrBadResults means an ARC-Authentication-Results does not parse.
	ErrBadResults = errors.New("arc: malformed ARC-Authentication-Results")
	// ErrChainFailed means the newest seal records cv=fail.
	ErrChainFailed = errors.New("arc: the newest seal records cv=fail")
	// ErrChainBroken means the cv= values do not progress none, pass, ….
	ErrChainBroken = errors.New("arc: cv= progression broken")

	// Signatures (RFC 8617, section 5.2, steps 4 to 6).

	// ErrUnsupportedAlgorithm means a= is not rsa-sha256 or c= is unknown.
	ErrUnsupportedAlgorithm = errors.New("arc: unsupported algorithm")
	// ErrKeyNotFound means the sealer's or signer's key record is absent.
	ErrKeyNotFound = errors.New("arc: key not found")
	// ErrKeyUnavailable means the key lookup failed temporarily.
	ErrKeyUnavailable = errors.New("arc: key lookup failed")
	// ErrKeyInvalid means the key record is malformed, revoked or unfit.
	ErrKeyInvalid = errors.New("arc: unusable key")
	// ErrWeakKey means the RSA key has fewer than 1024 bits.
	ErrWeakKey = errors.New("arc: RSA key too small")
	// ErrBodyHashMismatch means an AMS bh= does not match the body.
	ErrBodyHashMismatch = errors.New("arc: AMS body hash mismatch")
	// ErrAMSSignature means an AMS b= does not verify.
	ErrAMSSignature = errors.New("arc: AMS signature mismatch")
	// ErrSealSignature means an AS b= does not verify.
	ErrSealSignature = errors.New("arc: seal signature mismatch")
)

// class maps a sentinel to its reason and sentence.
type class struct {
	err    error
	reason Reason
	text   string
}

// classes is ordered: the first sentinel that matches decides.
var classes = [...]class{
	{ErrTooManySets, ReasonTooManySets,
		"too many sets: the message carries more than 50 ARC sets, the limit of RFC 8617, section 4.2.1"},
	{ErrInstanceGap, ReasonInstanceGap,
		"instance gap: the ARC instance numbers do not run 1, 2, … N without a hole, so a set was removed or mis-numbered (RFC 8617, section 5.2, step 3)"},
	{ErrDuplicateInstance, ReasonDuplicateInstance,
		"duplicate instance: two ARC fields of the same kind carry the same i=, so the chain is ambiguous (RFC 8617, section 5.2, step 3)"},
	{ErrMissingHeader, ReasonMissingHeader,
		"missing field: an ARC set lacks its seal, message signature or authentication results (RFC 8617, section 5.2, step 3)"},
	{ErrBadInstance, ReasonBadInstance,
		"bad instance: an ARC field's i= is missing or not a number from 1 to 50 (RFC 8617, section 4.2.1)"},
	{ErrSealHasHeaders, ReasonSealHasHeaders,
		"the ARC-Seal has an h= tag, which RFC 8617, section 4.1.3 forbids"},
	{ErrSignsSeal, ReasonSignsSeal,
		"the ARC-Message-Signature lists ARC-Seal in h=, which RFC 8617, section 4.1.2 excludes"},
	{ErrBadResults, ReasonBadResults,
		"the ARC-Authentication-Results field does not parse (RFC 8617, section 4.1.1)"},
	{ErrBadTag, ReasonBadTag,
		"bad tag: an ARC field's tag list is malformed or a required tag is missing or invalid (RFC 8617, section 4.1)"},
	{ErrChainFailed, ReasonChainFailed,
		"the newest hop already found the chain broken and sealed it with cv=fail; nothing after that can pass (RFC 8617, section 5.2, step 2)"},
	{ErrChainBroken, ReasonChainBroken,
		"cv chain broken: the cv= values must be none at i=1 and pass after it; a hop recorded a failure or the sets were rearranged (RFC 8617, section 5.2, step 3)"},
	{ErrUnsupportedAlgorithm, ReasonUnsupportedAlgorithm,
		"unsupported algorithm in ARC (RFC 8617, section 4.1.3 permits only rsa-sha256)"},
	{ErrKeyNotFound, ReasonKeyNotFound,
		"key not found: the selector's key record does not exist, so the signature cannot be checked (RFC 6376, section 6.1.2)"},
	{ErrKeyUnavailable, ReasonKeyUnavailable,
		"the key could not be fetched because of a temporary DNS failure; trying later may succeed"},
	{ErrWeakKey, ReasonWeakKey,
		"weak key: the RSA key has fewer than 1024 bits, which RFC 8301, section 3.2 forbids accepting"},
	{ErrKeyInvalid, ReasonKeyInvalid,
		"the key record is malformed, revoked or not usable with this signature (RFC 6376, section 3.6.1)"},
	{ErrBodyHashMismatch, ReasonBodyHashMismatch,
		"AMS body hash mismatch: the message body changed after that hop sealed it (RFC 8617, section 4.1.2)"},
	{ErrAMSSignature, ReasonAMSSignature,
		"AMS signature mismatch: a signed header field changed after that hop sealed the message (RFC 8617, section 5.2, step 4)"},
	{ErrSealSignature, ReasonSealSignature,
		"seal signature bad: an ARC field was changed, added or removed after that hop sealed the chain (RFC 8617, section 5.2, step 6)"},
}

// classify returns the reason and sentence for err.
func classify(err error) (Reason, string) {
	if err == nil {
		return ReasonPass, ReasonPass.Description()
	}
	for _, c := range classes {
		if errors.Is(err, c.err) {
			return c.reason, c.text
		}
	}
	return ReasonBadTag, err.Error()
}

// Result is the verdict on a message's ARC chain.
type Result struct {
	// Status is the chain validation status.
	Status Status
	// FailedInstance is the instance of the set at fault when Status is
	// fail (for temperror, the set whose key could not be fetched), or 0 when the failure concerns the whole chain (too many
	// sets) or there is none.
	FailedInstance int
	// Reason says why, as a code; Explanation says why, as a sentence.
	Reason      Reason
	Explanation string
	// Err is nil on pass and none; otherwise it wraps one of the
	// package's sentinel errors, with details.
	Err error
	// Sets has one entry per set found, oldest (i=1) first. A chain too
	// broken to be grouped into sets may have fewer entries than fields.
	Sets []SetResult
	// OldestPass is the lowest instance whose AMS still verifies when
	// every newer AMS does, or 0 when all of them verify (RFC 8617,
	// section 5.2, step 5). It is only meaningful on pass.
	OldestPass int
	// Offline is true when signatures were not checked (Options.Offline).
	Offline bool
	// NoBody is true when body hashes were not checked (Options.NoBody).
	NoBody bool
	// Trusted is true when every sealer of a passing chain is in
	// Options.TrustedSealers; NewestTrusted when the newest one is. Which
	// sealers to trust is the receiver's local policy; RFC 8617 leaves it
	// open.
	Trusted, NewestTrusted bool
}

// SetResult is what one set says and how it fared.
type SetResult struct {
	// Instance is the set's i=.
	Instance int
	// Sealer and Selector are the seal's d= and s=; SignerDomain and
	// SignerSelector are the AMS's, which may differ.
	Sealer, Selector             string
	SignerDomain, SignerSelector string
	// ChainValidation is the seal's cv=.
	ChainValidation ChainValidation
	// SealedAt is the seal's t=, zero when absent; FutureTimestamp is
	// true when it lies more than a day after Options.Now.
	SealedAt        time.Time
	FutureTimestamp bool
	// SealVerified is true when the seal's signature verified.
	SealVerified bool
	// SealErr says why the seal did not verify, when it was checked.
	SealErr error
	// AMSVerified is true when the AMS signature verified.
	AMSVerified bool
	// BodyIntact is true when the AMS body hash matches the body.
	BodyIntact bool
	// BodyChecked is false when the body hash was not checked
	// (Options.NoBody).
	BodyChecked bool
	// AMSErr says why the AMS did not verify, when it was checked.
	AMSErr error
	// Saw is what the hop recorded in its ARC-Authentication-Results.
	Saw HopView
	// Set is the parsed set.
	Set *Set
}

// HopView is what one hop recorded about the message when it arrived: the
// results in its ARC-Authentication-Results field.
type HopView struct {
	// AuthServID is the hop's authserv-id.
	AuthServID string
	// SPF is the first spf result, with MailFrom its smtp.mailfrom.
	SPF      authres.ResultValue
	MailFrom string
	// DKIM is the best dkim result (pass if any passed), with DKIMDomains
	// the header.d (or the domain of header.i) of every passing one.
	DKIM        authres.ResultValue
	DKIMDomains []string
	// DMARC is the first dmarc result, with HeaderFrom its header.from.
	DMARC      authres.ResultValue
	HeaderFrom string
	// ARC is the hop's own arc result for the chain it received.
	ARC authres.ResultValue
}
