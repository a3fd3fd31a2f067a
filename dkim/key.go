package dkim

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dkimcore"
)

// Resolver looks up DNS TXT records. *net.Resolver satisfies it, as does
// the client in package dnsclient. A record made of several strings is
// returned as one string (RFC 6376, section 3.6.2.2: the strings are
// concatenated).
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// KeyFormat tells how the RSA public key in p= was encoded.
type KeyFormat string

// Encodings of p= for RSA keys.
const (
	// KeyFormatSPKI is a DER SubjectPublicKeyInfo, what RFC 6376,
	// Appendix C and deployed signers publish.
	KeyFormatSPKI KeyFormat = "spki"
	// KeyFormatPKCS1 is a bare DER RSAPublicKey, the literal reading of
	// RFC 6376, section 3.6.1; accepted for robustness.
	KeyFormatPKCS1 KeyFormat = "pkcs1"
	// KeyFormatRaw is the 32-byte Ed25519 public key (RFC 8463,
	// section 4).
	KeyFormatRaw KeyFormat = "raw"
)

// Key is a parsed DKIM key record, the TXT record at
// <selector>._domainkey.<domain> (RFC 6376, section 3.6.1).
//
// Example:
//
//	v=DKIM1; k=rsa; h=sha256; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB
type Key struct {
	// Version is tag "v"; "DKIM1" when present.
	Version string
	// Type is tag "k", the key type, lower-cased; it defaults to "rsa".
	Type string
	// Hashes is tag "h", the hash functions the key may be used with;
	// nil means any.
	Hashes []string
	// Services is tag "s", the service types; nil means all ("*").
	Services []string
	// Flags is tag "t": "y" (testing) and "s" (i= must be in exactly d=).
	Flags []string
	// Notes is tag "n", for humans.
	Notes string
	// Revoked is true when p= is empty (RFC 6376, section 3.6.1).
	Revoked bool
	// Public is the public key: *rsa.PublicKey or ed25519.PublicKey; nil
	// when Revoked.
	Public crypto.PublicKey
	// Bits is the RSA modulus size, or 256 for Ed25519.
	Bits int
	// Format tells how p= was encoded.
	Format KeyFormat
}

// HasFlag reports whether the t= tag lists flag f.
func (k *Key) HasFlag(f string) bool {
	for _, x := range k.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// core returns what the shared key checks need from k.
func (k *Key) core() *dkimcore.Key {
	return &dkimcore.Key{Revoked: k.Revoked, Type: k.Type, Hashes: k.Hashes, Services: k.Services, Flags: k.Flags, Bits: k.Bits}
}

// maxRSABits bounds the RSA keys this package verifies with. RFC 8301,
// section 3.2 requires 1024 to 4096 bits; larger keys are accepted up to
// this size, beyond which verification cost becomes an attack.
const maxRSABits = 8192

// ParseKey parses a DKIM key record (RFC 6376, section 3.6.1). Errors wrap
// [ErrTagSyntax], [ErrDuplicateTag] or [ErrKeySyntax] and say which tag is
// at fault. A record with an empty p= parses with Revoked set and no error,
// so that callers can tell revocation from a syntax error.
func ParseKey(txt string) (*Key, error) {
	tags, err := dkimcore.ParseTagList(txt)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeySyntax, err)
	}
	k := &Key{Type: "rsa"}
	// RFC 6376, section 3.6.1: v= is optional but, when present, must be
	// the first tag and be exactly "DKIM1".
	if v, ok := tags.Lookup("v"); ok {
		if tags[0].Name != "v" {
			return nil, fmt.Errorf("%w: v= must be the first tag", ErrKeySyntax)
		}
		if v != "DKIM1" {
			return nil, fmt.Errorf("%w: v=%q, want DKIM1", ErrKeySyntax, v)
		}
		k.Version = v
	}
	p, ok := tags.Lookup("p")
	if !ok {
		return nil, fmt.Errorf("%w: required tag p= is missing", ErrKeySyntax)
	}
	for _, t := range tags {
		switch t.Name {
		case "k":
			k.Type = strings.ToLower(t.Value)
		case "h":
			k.Hashes = splitColonList(t.Value)
		case "s":
			k.Services = splitColonList(t.Value)
		case "t":
			k.Flags = splitColonList(t.Value)
		case "n":
			k.Notes = t.Value
		}
	}
	data, err := decodeBase64(p)
	if err != nil {
		return nil, fmt.Errorf("%w: p= is not valid base64: %v", ErrKeySyntax, err)
	}
	if len(data) == 0 {
		k.Revoked = true
		return k, nil
	}
	switch k.Type {
	case "rsa":
		var pub *rsa.PublicKey
		if parsed, err := x509.ParsePKIXPublicKey(data); err == nil {
			rp, ok := parsed.(*rsa.PublicKey)
			if !ok {
				return nil, fmt.Errorf("%w: p= holds a %T key, but k=rsa", ErrKeySyntax, parsed)
			}
			pub, k.Format = rp, KeyFormatSPKI
		} else if rp, err2 := x509.ParsePKCS1PublicKey(data); err2 == nil {
			pub, k.Format = rp, KeyFormatPKCS1
		} else {
			return nil, fmt.Errorf("%w: p= is not an RSA public key: %v", ErrKeySyntax, err)
		}
		k.Public, k.Bits = pub, pub.N.BitLen()
		if k.Bits > maxRSABits {
			return nil, fmt.Errorf("%w: %d-bit RSA key is larger than %d bits", ErrKeySyntax, k.Bits, maxRSABits)
		}
	case "ed25519":
		// RFC 8463, section 4: p= is the base64 of the 32-byte key itself.
		if len(data) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: ed25519 p= is %d bytes, want %d", ErrKeySyntax, len(data), ed25519.PublicKeySize)
		}
		k.Public, k.Bits, k.Format = ed25519.PublicKey(data), 256, KeyFormatRaw
	default:
		return nil, fmt.Errorf("%w: k=%q", ErrUnknownKeyType, k.Type)
	}
	return k, nil
}

func splitColonList(v string) []string {
	var out []string
	for part := range strings.SplitSeq(dkimcore.StripFWS(v), ":") {
		if part != "" {
			out = append(out, strings.ToLower(part))
		}
	}
	return out
}

// KeyName returns the DNS name of the key record for selector and domain
// (RFC 6376, section 3.6.2.1).
func KeyName(selector, domain string) string {
	return selector + "._domainkey." + strings.TrimSuffix(domain, ".") + "."
}

// LookupKey fetches and parses the key record for selector and domain
// (RFC 6376, section 3.6.2). A name that does not exist or has no TXT
// record gives [ErrKeyNotFound]; a server failure or timeout gives
// [ErrKeyUnavailable]; a record that does not parse gives [ErrKeySyntax] or
// [ErrUnknownKeyType]. A revoked key is returned with Revoked set and
// [ErrKeyRevoked].
//
// RFC 6376, section 6.1.2, step 3: when several records come back, the
// verifier may choose; the first one that parses is used.
func LookupKey(ctx context.Context, r Resolver, selector, domain string) (*Key, error) {
	return lookupKey(ctx, r, selector, domain, ParseKey)
}

// lookupKey is LookupKey with the records parsed by parse.
func lookupKey(ctx context.Context, r Resolver, selector, domain string, parse func(string) (*Key, error)) (*Key, error) {
	name := KeyName(selector, domain)
	txts, err := r.LookupTXT(ctx, name)
	if err != nil {
		switch {
		case dnsclient.IsNotFound(err):
			return nil, fmt.Errorf("%w: %s: %v", ErrKeyNotFound, name, err)
		default:
			return nil, fmt.Errorf("%w: %s: %v", ErrKeyUnavailable, name, err)
		}
	}
	if len(txts) == 0 {
		return nil, fmt.Errorf("%w: %s: no TXT record", ErrKeyNotFound, name)
	}
	var firstErr error
	for _, txt := range txts {
		k, err := parse(txt)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if k.Revoked {
			return k, fmt.Errorf("%w: %s has an empty p=", ErrKeyRevoked, name)
		}
		return k, nil
	}
	return nil, fmt.Errorf("%s: %w", name, firstErr)
}
