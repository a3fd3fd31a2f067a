package arc

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// minRSABits is the smallest RSA key accepted.
// RFC 8301, section 3.2: verifiers must not accept keys under 1024 bits;
// RFC 8617, section 4.1.3 inherits DKIM's key rules.
const minRSABits = 1024

// verifier checks the signatures of one chain.
type verifier struct {
	r      Resolver
	keyc   *dkim.KeyCache
	fields []header.Field
	c      *chain
	bodies []bodyState
	known  []dkim.BodyCheck // Options.Bodies
	keys   map[string]keyEntry
}

// bodyState is the body hash verdict for one set's AMS.
type bodyState struct {
	intact bool
	err    error
}

type keyEntry struct {
	key *dkim.Key
	err error
}

// checkAlgorithm applies RFC 8617, section 4.1.3: ARC signatures use
// rsa-sha256 only. Ed25519 (RFC 8463) is defined for DKIM, not ARC.
func checkAlgorithm(a dkim.Algorithm) error {
	if a != dkim.AlgRSASHA256 {
		return fmt.Errorf("%w: a=%s; RFC 8617, section 4.1.3 permits only rsa-sha256 in ARC", ErrUnsupportedAlgorithm, a)
	}
	return nil
}

// checkAMSOffline runs the checks of AMS i that need no DNS: its tags,
// its algorithm and its body hash.
func (v *verifier) checkAMSOffline(i int) error {
	if err := v.c.amsErrs[i-1]; err != nil {
		return err
	}
	ams := v.c.sets[i-1].MessageSignature
	if err := checkAlgorithm(ams.Algorithm); err != nil {
		return err
	}
	b := v.bodies[i-1]
	if !b.intact {
		return b.err
	}
	return nil
}

// verifyAMS checks AMS i completely (RFC 8617, section 5.2, step 4: as a
// DKIM signature, RFC 6376, section 6.1, with the ARC tag rules).
func (v *verifier) verifyAMS(ctx context.Context, i int) error {
	if err := v.checkAMSOffline(i); err != nil {
		return err
	}
	set := &v.c.sets[i-1]
	ams := set.MessageSignature
	key, err := v.key(ctx, ams.Selector, ams.Domain, ams.Algorithm)
	if err != nil {
		return err
	}
	h := sha256.New()
	// RFC 8617, section 5.1: a hop adds its AAR, then signs the AMS, then
	// the seal; later hops add their sets on top. So the fields of later
	// sets, and the hop's own AMS and seal, did not exist when the AMS
	// was made and are not candidates for h=; the hop's own AAR is.
	dkimcore.HashHeaders(h, v.visibleAt(i), ams.Headers, dkimcore.Canonicalization(ams.HeaderCanon))
	sig, err := dkimcore.AppendSignatureField(nil, set.MessageSignatureField, dkimcore.Canonicalization(ams.HeaderCanon))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadTag, err)
	}
	h.Write(sig)
	if err := dkimcore.VerifyDigest(key.Public, dkimcore.Algorithm(ams.Algorithm), h.Sum(nil), ams.Signature); err != nil {
		return mapVerifyErr(err, ErrAMSSignature)
	}
	return nil
}

// visibleAt returns the header fields that existed when hop i signed its
// AMS: every non-ARC field, the sets below i, and AAR i.
func (v *verifier) visibleAt(i int) []header.Field {
	out := make([]header.Field, 0, len(v.fields))
	for j := range v.fields {
		f := &v.fields[j]
		inst := v.c.inst[j]
		switch {
		case inst == 0, inst < i:
		case inst == i && kindOf(f) == kindAAR:
		default:
			continue
		}
		out = append(out, *f)
	}
	return out
}

// verifySeal checks AS i (RFC 8617, section 5.1.1 and section 5.2, step
// 6): the signature covers, for each set 1..i in increasing order, the AAR,
// the AMS and the AS, relaxed-canonicalized, the last AS with its b= value
// emptied and no final CRLF.
func (v *verifier) verifySeal(ctx context.Context, i int) error {
	seal := v.c.sets[i-1].Seal
	if err := checkAlgorithm(seal.Algorithm); err != nil {
		return err
	}
	key, err := v.key(ctx, seal.Selector, seal.Domain, seal.Algorithm)
	if err != nil {
		return err
	}
	h := sha256.New()
	var buf []byte
	for j := 0; j < i; j++ {
		s := &v.c.sets[j]
		buf = dkimcore.CanonicalizeHeader(buf[:0], s.ResultsField, dkimcore.CanonRelaxed)
		buf = dkimcore.CanonicalizeHeader(buf, s.MessageSignatureField, dkimcore.CanonRelaxed)
		if j < i-1 {
			buf = dkimcore.CanonicalizeHeader(buf, s.SealField, dkimcore.CanonRelaxed)
		} else {
			buf, err = dkimcore.AppendSignatureField(buf, s.SealField, dkimcore.CanonRelaxed)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrBadTag, err)
			}
		}
		h.Write(buf)
	}
	if err := dkimcore.VerifyDigest(key.Public, dkimcore.Algorithm(seal.Algorithm), h.Sum(nil), seal.Signature); err != nil {
		return mapVerifyErr(err, ErrSealSignature)
	}
	return nil
}

// key fetches and checks the key for selector and domain, once per
// Validate call.
func (v *verifier) key(ctx context.Context, selector, domain string, alg dkim.Algorithm) (*dkim.Key, error) {
	name := strings.ToLower(selector) + "\x00" + strings.ToLower(domain)
	e, ok := v.keys[name]
	if !ok {
		if v.r == nil {
			e.err = fmt.Errorf("%w: no resolver given for %s", ErrKeyUnavailable, dkim.KeyName(selector, domain))
		} else if e.key, e.err = v.keyc.Lookup(ctx, v.r, selector, domain); e.err != nil {
			e.err = mapKeyErr(e.err)
		}
		if v.keys == nil {
			v.keys = make(map[string]keyEntry, 2)
		}
		v.keys[name] = e
	}
	if e.err != nil {
		return nil, e.err
	}
	// The same checks as for DKIM (RFC 6376, section 6.1.2): key type,
	// key h=, s=, and size. ARC has no AUID, so i= is the domain itself.
	k := e.key
	key := &dkimcore.Key{Revoked: k.Revoked, Type: k.Type, Hashes: k.Hashes, Services: k.Services, Flags: k.Flags, Bits: k.Bits}
	sig := &dkimcore.Signer{Algorithm: dkimcore.Algorithm(alg), Domain: domain, Identity: "@" + domain}
	if err := dkimcore.CheckKey(key, sig, minRSABits); err != nil {
		return nil, mapKeyErr(err)
	}
	return e.key, nil
}

// mapKeyErr turns a dkim key error into this package's sentinels, keeping
// the original in the chain.
func mapKeyErr(err error) error {
	switch {
	case errors.Is(err, dkim.ErrKeyNotFound):
		return fmt.Errorf("%w: %w", ErrKeyNotFound, err)
	case errors.Is(err, dkim.ErrKeyUnavailable):
		return fmt.Errorf("%w: %w", ErrKeyUnavailable, err)
	case errors.Is(err, dkim.ErrWeakKey):
		return fmt.Errorf("%w: %w", ErrWeakKey, err)
	}
	return fmt.Errorf("%w: %w", ErrKeyInvalid, err)
}

// mapVerifyErr turns a dkim signature error into mismatch (the sentinel
// for the field being checked) or an unusable key.
func mapVerifyErr(err, mismatch error) error {
	switch {
	case errors.Is(err, dkim.ErrSignatureMismatch):
		return fmt.Errorf("%w: %w", mismatch, err)
	case errors.Is(err, dkim.ErrUnsupportedAlgorithm), errors.Is(err, dkim.ErrWeakHash):
		return fmt.Errorf("%w: %w", ErrUnsupportedAlgorithm, err)
	}
	return fmt.Errorf("%w: %w", ErrKeyInvalid, err)
}
