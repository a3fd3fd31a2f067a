package dkimcore

import (
	"fmt"
	"strings"
)

// Key is what the key checks need from a key record (RFC 6376, section
// 3.6.1).
type Key struct {
	// Revoked is true when p= is empty.
	Revoked bool
	// Type is k=, lower-cased.
	Type string
	// Hashes and Services are h= and s=; nil means any.
	Hashes, Services []string
	// Flags is t=.
	Flags []string
	// Bits is the RSA modulus size, or 256 for Ed25519.
	Bits int
}

// HasFlag reports whether the t= tag lists flag f.
func (k *Key) HasFlag(f string) bool {
	return contains(k.Flags, f)
}

// Signer is what the key checks need from a signature: its a=, i= and d=.
type Signer struct {
	Algorithm        Algorithm
	Identity, Domain string
}

// CheckKey reports whether key may verify a signature by sig (RFC 6376,
// section 6.1.2, steps 6 and 7, and RFC 8301, section 3.2), with
// minRSABits the smallest RSA key accepted. It does not verify the
// signature itself.
func CheckKey(key *Key, sig *Signer, minRSABits int) error {
	if key.Revoked {
		return fmt.Errorf("%w: empty p=", ErrKeyRevoked)
	}
	// RFC 6376, section 6.1.2, step 7: the key type must suit a=.
	if want := sig.Algorithm.KeyType(); key.Type != want {
		return fmt.Errorf("%w: a=%s needs k=%s, the key has k=%s", ErrKeyTypeMismatch, sig.Algorithm, want, key.Type)
	}
	// RFC 6376, section 6.1.2, step 6: a key h= must list the hash of a=.
	_, hname := sig.Algorithm.Hash()
	if key.Hashes != nil && !contains(key.Hashes, hname) {
		return fmt.Errorf("%w: a=%s uses %s, the key allows h=%s", ErrKeyHashMismatch, sig.Algorithm, hname, strings.Join(key.Hashes, ":"))
	}
	// RFC 6376, section 3.6.1: s= must be "*" or include "email".
	if key.Services != nil && !contains(key.Services, "*") && !contains(key.Services, "email") {
		return fmt.Errorf("%w: s=%s", ErrKeyServiceMismatch, strings.Join(key.Services, ":"))
	}
	// RFC 6376, section 3.6.1: with t=s, i= must be exactly d=.
	if key.HasFlag("s") && !IdentityWithin(sig.Identity, sig.Domain, true) {
		return fmt.Errorf("%w: the key is flagged t=s and i=%s is not exactly d=%s", ErrIdentityOutsideDomain, sig.Identity, sig.Domain)
	}
	// RFC 8301, section 3.2: RSA keys under 1024 bits must not be
	// considered valid.
	if key.Type == "rsa" && key.Bits < minRSABits {
		return fmt.Errorf("%w: %d-bit key, at least %d required", ErrWeakKey, key.Bits, minRSABits)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
