package dkimcore

import (
	"bytes"
	"fmt"
	"io"

	"github.com/authlens/authlens/internal/header"
)

// HashHeaders writes to w the canonical form of the header fields named in
// names, in order, for a signature with header canonicalization c (RFC
// 6376, section 5.4.2): for each name, the bottom-most field of that name
// not yet used; a name with no field left contributes nothing (which is
// how over-signing works). It does not write the signature field itself;
// see [AppendSignatureField].
func HashHeaders(w io.Writer, fields []header.Field, names []string, c Canonicalization) {
	used := make([]bool, len(fields))
	HashSelected(w, fields, names, c, used, nil)
}

// HashSelected is [HashHeaders] for a verifier that checks several
// signatures of one message: used, as long as fields, is cleared by the
// caller and marks the fields already taken, and scratch is a buffer for
// relaxed canonicalization, returned emptied for reuse.
func HashSelected(w io.Writer, fields []header.Field, names []string, c Canonicalization, used []bool, scratch []byte) []byte {
	for _, name := range names {
		for j := len(fields) - 1; j >= 0; j-- {
			if used[j] || !fields[j].Is(name) {
				continue
			}
			used[j] = true
			if c == CanonRelaxed {
				scratch = CanonicalizeHeader(scratch[:0], fields[j].Raw, c)
				w.Write(scratch)
			} else {
				w.Write(fields[j].Raw)
			}
			break
		}
	}
	return scratch[:0]
}

// AppendSignatureField appends to dst the signature field field (a whole
// DKIM-Signature or similar tag-list field, with final CRLF) in the form
// that is hashed last (RFC 6376, section 3.7): the value of its b= tag
// emptied, canonicalized with c, without the final CRLF.
func AppendSignatureField(dst, field []byte, c Canonicalization) ([]byte, error) {
	colon := bytes.IndexByte(field, ':')
	if colon < 0 {
		return dst, fmt.Errorf("%w: not a header field", ErrTagSyntax)
	}
	tags, err := ParseTagList(string(field[colon+1:]))
	if err != nil {
		return dst, err
	}
	b := tags.Get("b")
	if b == nil {
		return dst, fmt.Errorf("%w: required tag b= is missing", ErrMalformedSignature)
	}
	off := colon + 1
	tmp := make([]byte, 0, len(field))
	tmp = append(tmp, field[:off+b.EqualEnd]...)
	tmp = append(tmp, field[off+b.SpecEnd:]...)
	n := len(dst)
	dst = CanonicalizeHeader(dst, tmp, c)
	if bytes.HasSuffix(dst[n:], crlf) {
		dst = dst[:len(dst)-2]
	}
	return dst, nil
}
