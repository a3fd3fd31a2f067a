package dkimcore

import "errors"

// Sentinel errors. Package dkim re-exports each under the same name; the
// texts name dkim because that is where callers meet them.
var (
	// ErrTagSyntax means a tag-list does not follow RFC 6376, section 3.2.
	ErrTagSyntax = errors.New("dkim: tag-list syntax error")
	// ErrDuplicateTag means a tag occurs twice in one tag-list.
	ErrDuplicateTag = errors.New("dkim: duplicate tag")
	// ErrMalformedSignature means a required tag is missing or a tag
	// value is invalid.
	ErrMalformedSignature = errors.New("dkim: malformed signature")
	// ErrUnsupportedAlgorithm means an algorithm, canonicalization or
	// hash is not implemented.
	ErrUnsupportedAlgorithm = errors.New("dkim: unsupported algorithm")
	// ErrWeakHash means the signature uses rsa-sha1 (RFC 8301, section 3.1).
	ErrWeakHash = errors.New("dkim: rsa-sha1 signatures must not be accepted (RFC 8301)")
	// ErrIdentityOutsideDomain means i= is not d= or a subdomain of it,
	// or, with a key flagged t=s, not exactly d=.
	ErrIdentityOutsideDomain = errors.New("dkim: i= is not within d=")
	// ErrKeyRevoked means the key record has an empty p=.
	ErrKeyRevoked = errors.New("dkim: key revoked")
	// ErrKeyTypeMismatch means the key's k= does not match a=.
	ErrKeyTypeMismatch = errors.New("dkim: key type does not match the signature algorithm")
	// ErrKeyHashMismatch means the key's h= excludes the hash of a=.
	ErrKeyHashMismatch = errors.New("dkim: key does not allow the signature's hash algorithm")
	// ErrKeyServiceMismatch means the key's s= excludes email.
	ErrKeyServiceMismatch = errors.New("dkim: key is not for email")
	// ErrWeakKey means the RSA key is smaller than allowed (RFC 8301,
	// section 3.2).
	ErrWeakKey = errors.New("dkim: RSA key too small (RFC 8301)")
	// ErrSignatureMismatch means b= does not verify over the header hash.
	ErrSignatureMismatch = errors.New("dkim: signature mismatch")
)
