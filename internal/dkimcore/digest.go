package dkimcore

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
)

// Algorithm is a signing algorithm named in an a= tag (RFC 6376, section
// 3.3; RFC 8463, section 3).
type Algorithm string

// Signing algorithms known to DKIM and ARC.
const (
	AlgRSASHA256     Algorithm = "rsa-sha256"
	AlgEd25519SHA256 Algorithm = "ed25519-sha256"
	AlgRSASHA1       Algorithm = "rsa-sha1"
)

// KeyType returns the key type an algorithm needs, as written in a key
// record's k= tag: "rsa" or "ed25519", or "" for an unknown algorithm.
func (a Algorithm) KeyType() string {
	switch a {
	case AlgRSASHA256, AlgRSASHA1:
		return "rsa"
	case AlgEd25519SHA256:
		return "ed25519"
	}
	return ""
}

// Hash returns the hash function of the algorithm and its name as used in
// a key record's h= tag, or 0 and "" for an unknown algorithm.
func (a Algorithm) Hash() (crypto.Hash, string) {
	switch a {
	case AlgRSASHA256, AlgEd25519SHA256:
		return crypto.SHA256, "sha256"
	case AlgRSASHA1:
		return crypto.SHA1, "sha1"
	}
	return 0, ""
}

// VerifyDigest checks sig, a decoded b= value, over digest, the hash of
// the canonical header data, with key (an *rsa.PublicKey or an
// ed25519.PublicKey) and algorithm alg (RFC 6376, section 3.3; RFC 8463, section 3: Ed25519 signs the SHA-256 digest).
// It fails with [ErrSignatureMismatch] when the signature does not verify,
// [ErrWeakHash] for rsa-sha1 and [ErrKeyTypeMismatch] or
// [ErrUnsupportedAlgorithm] when the key cannot be used with alg.
func VerifyDigest(key crypto.PublicKey, alg Algorithm, digest, sig []byte) error {
	switch alg {
	case AlgRSASHA256:
		pub, ok := key.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("%w: a=%s with a %T key", ErrKeyTypeMismatch, alg, key)
		}
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest, sig); err != nil {
			return fmt.Errorf("%w: RSA signature does not verify over the signed header fields", ErrSignatureMismatch)
		}
	case AlgEd25519SHA256:
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return fmt.Errorf("%w: a=%s with a %T key", ErrKeyTypeMismatch, alg, key)
		}
		if !ed25519.Verify(pub, digest, sig) {
			return fmt.Errorf("%w: Ed25519 signature does not verify over the signed header fields", ErrSignatureMismatch)
		}
	case AlgRSASHA1:
		return fmt.Errorf("%w: a=%s", ErrWeakHash, alg)
	default:
		return fmt.Errorf("%w: a=%s", ErrUnsupportedAlgorithm, alg)
	}
	return nil
}
