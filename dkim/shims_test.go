package dkim

import (
	"crypto"
	"io"

	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// The tests of this package check the canonicalization and hashing it
// shares with package arc (internal/dkimcore) through these helpers, which
// take this package's types.

func canonicalizeHeader(dst, field []byte, c Canonicalization) []byte {
	return dkimcore.CanonicalizeHeader(dst, field, dkimcore.Canonicalization(c))
}

func newBodyCanonicalizer(w io.Writer, c Canonicalization) *dkimcore.BodyCanonicalizer {
	return dkimcore.NewBodyCanonicalizer(w, dkimcore.Canonicalization(c))
}

type bodySpec struct {
	Canon  Canonicalization
	Hash   crypto.Hash
	Length int64
}

func hashBody(r io.Reader, specs []bodySpec) ([]dkimcore.BodyHash, error) {
	cs := make([]dkimcore.BodySpec, len(specs))
	for i, s := range specs {
		cs[i] = dkimcore.BodySpec{Canon: dkimcore.Canonicalization(s.Canon), Hash: s.Hash, Length: s.Length}
	}
	return dkimcore.HashBody(r, cs)
}

func hashHeaderFields(w io.Writer, fields []header.Field, names []string, c Canonicalization) {
	dkimcore.HashHeaders(w, fields, names, dkimcore.Canonicalization(c))
}

func appendSignatureField(dst, field []byte, c Canonicalization) ([]byte, error) {
	return dkimcore.AppendSignatureField(dst, field, dkimcore.Canonicalization(c))
}
