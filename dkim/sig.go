package dkim

import (
	"crypto"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/authlens/authlens/internal/dkimcore"
)

// Algorithm is a signing algorithm named in an a= tag (RFC 6376, section
// 3.3; RFC 8463, section 3).
type Algorithm string

// Signing algorithms this package knows.
const (
	// AlgRSASHA256 is RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376, section
	// 3.3.2).
	AlgRSASHA256 Algorithm = "rsa-sha256"
	// AlgEd25519SHA256 is Ed25519 over the SHA-256 hash (RFC 8463,
	// section 3).
	AlgEd25519SHA256 Algorithm = "ed25519-sha256"
	// AlgRSASHA1 is RSA with SHA-1, which verifiers must not accept any
	// more (RFC 8301, section 3.1). It is parsed so that results can say
	// why the signature is refused.
	AlgRSASHA1 Algorithm = "rsa-sha1"
)

// KeyType returns the key type an algorithm needs, as written in a key
// record's k= tag: "rsa" or "ed25519", or "" for an unknown algorithm.
func (a Algorithm) KeyType() string { return dkimcore.Algorithm(a).KeyType() }

// Hash returns the hash function of the algorithm and its name as used in
// a key record's h= tag, or 0 and "" for an unknown algorithm.
func (a Algorithm) Hash() (crypto.Hash, string) { return dkimcore.Algorithm(a).Hash() }

// Canonicalization is a canonicalization algorithm named in a c= tag
// (RFC 6376, section 3.4).
type Canonicalization string

// The canonicalization algorithms of RFC 6376, section 3.4.
const (
	// CanonSimple tolerates almost no change (RFC 6376, sections 3.4.1
	// and 3.4.3).
	CanonSimple Canonicalization = "simple"
	// CanonRelaxed tolerates common white space and case changes (RFC
	// 6376, sections 3.4.2 and 3.4.4).
	CanonRelaxed Canonicalization = "relaxed"
)

// Signature is a parsed DKIM-Signature header field (RFC 6376, section 3.5).
//
// Example:
//
//	DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=brisbane;
//	    c=relaxed/simple; q=dns/txt; i=foo@eng.example.net;
//	    t=1117574938; x=1118006938; l=200;
//	    h=from:to:subject:date:keywords:keywords;
//	    bh=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=;
//	    b=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR
type Signature struct {
	// Version is tag "v"; only 1 is defined.
	Version int
	// Algorithm is tag "a", lower-cased.
	Algorithm Algorithm
	// B is tag "b", the signature, decoded.
	B []byte
	// BodyHash is tag "bh", the hash of the canonical body, decoded.
	BodyHash []byte
	// HeaderCanon and BodyCanon are tag "c"; both default to simple.
	HeaderCanon, BodyCanon Canonicalization
	// Domain is tag "d", the Signing Domain Identifier (SDID).
	Domain string
	// Headers is tag "h", the names of the signed header fields in the
	// order they were hashed, as written.
	Headers []string
	// Identity is tag "i", the Agent or User Identifier (AUID); when
	// absent it is "@" followed by Domain.
	Identity string
	// Length is tag "l", how many bytes of the canonical body are signed,
	// or -1 when absent (the whole body is signed).
	Length int64
	// QueryMethods is tag "q"; it defaults to "dns/txt".
	QueryMethods []string
	// Selector is tag "s".
	Selector string
	// Timestamp is tag "t", when the signature was made; zero if absent.
	Timestamp time.Time
	// Expiration is tag "x", after which the signature is void; zero if
	// absent.
	Expiration time.Time
	// CopiedHeaders is tag "z", the diagnostic copy of the signed header
	// fields, as written.
	CopiedHeaders string
	// tags holds every tag as parsed, including unknown ones, with offsets
	// into the parsed value.
	tags dkimcore.TagList
}

// BPrefix returns the first eight characters of the base64 b= value, the
// form an Authentication-Results header.b property uses to tell
// signatures apart (RFC 6008, section 4).
func (s *Signature) BPrefix() string {
	t := s.tags.Get("b")
	if t == nil {
		return ""
	}
	return fwsPrefix(t.Value, 8)
}

// fwsPrefix returns the first n bytes (at most 8) of
// dkimcore.StripFWS(v), reading only as much of v as they take: b= values
// run to hundreds of bytes.
func fwsPrefix(v string, n int) string {
	isFWS := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	i := 0
	for i < len(v) && i < n && !isFWS(v[i]) {
		i++
	}
	if i == n || i == len(v) {
		return v[:i]
	}
	var buf [8]byte
	k := copy(buf[:n], v[:i])
	for ; i < len(v) && k < n; i++ {
		if !isFWS(v[i]) {
			buf[k] = v[i]
			k++
		}
	}
	return string(buf[:k])
}

// Canonicalization returns the c= value in its full "header/body" form.
func (s *Signature) Canonicalization() string {
	return string(s.HeaderCanon) + "/" + string(s.BodyCanon)
}

// sigRequired are the tags every signature must have.
// RFC 6376, section 3.5: v=, a=, b=, bh=, d=, h= and s= are required.
var sigRequired = [...]string{"v", "a", "b", "bh", "d", "h", "s"}

// ParseSignature parses the value of a DKIM-Signature header field (the
// text after the colon, folding allowed). Errors wrap [ErrTagSyntax],
// [ErrDuplicateTag] or [ErrMalformedSignature] and name the tag at fault;
// unknown tags are ignored (RFC 6376, section 3.2). Values that are well
// formed but not supported (an unknown algorithm, canonicalization or
// version) parse without error; checking them is verification's job, so
// that the result can say which it was.
func ParseSignature(value string) (*Signature, error) {
	tags, err := dkimcore.ParseTagList(value)
	if err != nil {
		return nil, err
	}
	return signatureFromTags(tags)
}

func signatureFromTags(tags dkimcore.TagList) (*Signature, error) {
	s := &Signature{tags: tags, Length: -1}
	for _, name := range sigRequired {
		if tags.Get(name) == nil {
			return s, fmt.Errorf("%w: required tag %s= is missing", ErrMalformedSignature, name)
		}
	}
	for i := range tags {
		t := &tags[i]
		v := t.Value
		switch t.Name {
		case "v":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return s, fmt.Errorf("%w: v=%q is not a number", ErrMalformedSignature, v)
			}
			s.Version = n
		case "a":
			// RFC 6376, section 3.5: sig-a-tag-alg "-" sig-a-tag-h.
			if _, _, ok := strings.Cut(v, "-"); !ok {
				return s, fmt.Errorf("%w: a=%q is not of the form key-hash", ErrMalformedSignature, v)
			}
			s.Algorithm = Algorithm(strings.ToLower(v))
		case "b":
			b, err := decodeBase64(v)
			if err != nil {
				return s, fmt.Errorf("%w: b= is not valid base64: %v", ErrMalformedSignature, err)
			}
			if len(b) == 0 {
				return s, fmt.Errorf("%w: b= is empty", ErrMalformedSignature)
			}
			s.B = b
		case "bh":
			b, err := decodeBase64(v)
			if err != nil {
				return s, fmt.Errorf("%w: bh= is not valid base64: %v", ErrMalformedSignature, err)
			}
			if len(b) == 0 {
				return s, fmt.Errorf("%w: bh= is empty", ErrMalformedSignature)
			}
			s.BodyHash = b
		case "c":
			h, b, _ := strings.Cut(dkimcore.StripFWS(v), "/")
			s.HeaderCanon = Canonicalization(strings.ToLower(h))
			s.BodyCanon = Canonicalization(strings.ToLower(b))
		case "d":
			if err := dkimcore.CheckDomain(v); err != nil {
				return s, fmt.Errorf("%w: d=%q: %v", ErrMalformedSignature, v, err)
			}
			s.Domain = v
		case "h":
			hs, err := parseHeaderList(v)
			if err != nil {
				return s, fmt.Errorf("%w: h=: %v", ErrMalformedSignature, err)
			}
			s.Headers = hs
		case "i":
			// RFC 6376, section 3.5: [ Local-part ] "@" domain-name.
			at := strings.LastIndexByte(v, '@')
			if at < 0 || dkimcore.CheckDomain(v[at+1:]) != nil {
				return s, fmt.Errorf("%w: i=%q is not of the form [local-part]@domain", ErrMalformedSignature, v)
			}
			s.Identity = v
		case "l":
			// RFC 6376, section 3.5: l= is 1*76DIGIT.
			n, err := parseDigits(v, 76)
			if err != nil {
				return s, fmt.Errorf("%w: l=%q: %v", ErrMalformedSignature, v, err)
			}
			s.Length = n
		case "q":
			for _, m := range strings.Split(dkimcore.StripFWS(v), ":") {
				s.QueryMethods = append(s.QueryMethods, strings.ToLower(m))
			}
		case "s":
			if err := dkimcore.CheckSelector(v); err != nil {
				return s, fmt.Errorf("%w: s=%q: %v", ErrMalformedSignature, v, err)
			}
			s.Selector = v
		case "t", "x":
			// RFC 6376, section 3.5: t= and x= are 1*12DIGIT seconds
			// since the epoch.
			n, err := parseDigits(v, 12)
			if err != nil {
				return s, fmt.Errorf("%w: %s=%q: %v", ErrMalformedSignature, t.Name, v, err)
			}
			if t.Name == "t" {
				s.Timestamp = time.Unix(n, 0).UTC()
			} else {
				s.Expiration = time.Unix(n, 0).UTC()
			}
		case "z":
			s.CopiedHeaders = v
		}
	}
	if s.HeaderCanon == "" {
		s.HeaderCanon = CanonSimple
	}
	if s.BodyCanon == "" {
		s.BodyCanon = CanonSimple
	}
	if s.Identity == "" {
		s.Identity = "@" + s.Domain
	}
	if s.QueryMethods == nil {
		s.QueryMethods = []string{"dns/txt"}
	}
	// RFC 6376, section 3.5: x= must be greater than t= when both are
	// present.
	if !s.Timestamp.IsZero() && !s.Expiration.IsZero() && !s.Expiration.After(s.Timestamp) {
		return s, fmt.Errorf("%w: x= (%d) is not after t= (%d)", ErrMalformedSignature, s.Expiration.Unix(), s.Timestamp.Unix())
	}
	return s, nil
}

// parseHeaderList splits an h= value into field names.
// RFC 6376, section 3.5: h= is hdr-name *( [FWS] ":" [FWS] hdr-name ).
func parseHeaderList(v string) ([]string, error) {
	n := strings.Count(v, ":") + 1
	out := make([]string, 0, n)
	for part := range strings.SplitSeq(v, ":") {
		name := strings.Trim(part, " \t\r\n")
		if name == "" {
			return nil, fmt.Errorf("empty field name in %q", v)
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; c < 33 || c > 126 {
				return nil, fmt.Errorf("invalid character 0x%02x in field name %q", c, name)
			}
		}
		out = append(out, name)
	}
	return out, nil
}

// parseDigits parses a decimal of at most max digits.
func parseDigits(v string, max int) (int64, error) {
	if v == "" {
		return 0, fmt.Errorf("empty")
	}
	if len(v) > max {
		return 0, fmt.Errorf("more than %d digits", max)
	}
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return 0, fmt.Errorf("not a decimal number")
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("out of range")
	}
	return n, nil
}

// decodeBase64 decodes a base64 tag value, ignoring folding white space
// and accepting missing padding.
func decodeBase64(v string) ([]byte, error) {
	v = dkimcore.StripFWS(v)
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		if b2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(v, "=")); err2 == nil {
			return b2, nil
		}
		return nil, err
	}
	return b, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func encodeB64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
