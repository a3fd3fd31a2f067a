// Package align implements DMARC identifier alignment (RFC 7489, section 3.1)
// and the Public Suffix List organizational domain it rests on (RFC 7489,
// section 3.2).
//
// Two domains are in strict alignment when they are the same name, and in
// relaxed alignment when their organizational domains are the same. Names
// are compared case-insensitively, without a trailing dot, and as IDNA
// A-labels, so "Exämple.COM." and "xn--exmple-cua.com" align.
//
// The organizational domain is the public suffix plus one label. The suffix
// comes from golang.org/x/net/publicsuffix, restricted to the list's ICANN
// section: private-section entries (hosting platforms such as blogspot.com)
// are not registries in the DNS sense RFC 7489 means, and counting them
// would make every customer of such a platform its own organization. A name
// under no listed suffix falls back to the list's default rule "*", so the
// organizational domain of "sub.mail.example" is "mail.example".
//
// DMARCbis (RFC 9989) replaces the list with a DNS tree walk; that lives in
// package dmarc, which needs DNS. This package is pure and offline.
package align

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Mode is an alignment mode as written in DMARC's adkim= and aspf= tags.
type Mode string

// The two alignment modes of RFC 7489, section 3.1.
const (
	ModeRelaxed Mode = "r" // organizational domains must match
	ModeStrict  Mode = "s" // the domains must be identical
)

// ErrInvalidDomain is returned for a name that is not a usable domain.
var ErrInvalidDomain = errors.New("align: invalid domain")

// maxDomainLen is the longest presentation-form domain name (RFC 1035,
// section 2.3.4: 255 octets on the wire, 253 characters without the root).
const maxDomainLen = 253

// profile converts names to A-labels without rejecting the underscores and
// other characters that real DNS names in mail headers carry.
var profile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// Normalize returns domain in the form alignment compares: lower case, IDNA
// A-labels, no trailing dot. It fails for empty names, names with empty
// labels and names longer than DNS allows.
func Normalize(domain string) (string, error) {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	if d == "" {
		return "", fmt.Errorf("%w: empty name", ErrInvalidDomain)
	}
	if plainHostname(d) {
		return strings.ToLower(d), nil
	}
	if err := visible(d); err != nil {
		return "", fmt.Errorf("%w: %q %v", ErrInvalidDomain, domain, err)
	}
	ascii, err := profile.ToASCII(d)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalidDomain, domain, err)
	}
	ascii = strings.ToLower(ascii)
	if len(ascii) > maxDomainLen {
		return "", fmt.Errorf("%w: %d characters, more than %d", ErrInvalidDomain, len(ascii), maxDomainLen)
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" {
			return "", fmt.Errorf("%w: %q has an empty label", ErrInvalidDomain, domain)
		}
		if len(label) > 63 {
			return "", fmt.Errorf("%w: %q has a label longer than 63 characters", ErrInvalidDomain, domain)
		}
	}
	return ascii, nil
}

// visible rejects what no domain name holds and what would make one look
// like another on screen: invalid UTF-8 (which IDNA would otherwise turn
// into a new A-label), control characters and escape sequences, and
// invisible format characters such as bidirectional overrides. The joiners
// U+200C and U+200D are left to IDNA, which allows them in some scripts.
func visible(d string) error {
	if !utf8.ValidString(d) {
		return errors.New("is not valid UTF-8")
	}
	for _, r := range d {
		switch {
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			return errors.New("contains control characters")
		case r == 0x200c || r == 0x200d:
		case unicode.Is(unicode.Cf, r):
			return fmt.Errorf("contains the invisible character %U", r)
		}
	}
	return nil
}

// plainHostname reports whether d is an ASCII host name that IDNA
// processing would only lower-case: at most maxDomainLen characters, labels
// of 1 to 63 letters, digits, hyphens and underscores, none starting or
// ending with a hyphen or holding one in its third and fourth places (which
// includes every A-label, "xn--"). Most names in mail are, and they skip the
// IDNA tables.
func plainHostname(d string) bool {
	if len(d) > maxDomainLen {
		return false
	}
	start := 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			c := d[i] | 0x20
			if !(c >= 'a' && c <= 'z' || d[i] >= '0' && d[i] <= '9' || d[i] == '-' || d[i] == '_') {
				return false
			}
			continue
		}
		label := d[start:i]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			len(label) >= 4 && label[2] == '-' && label[3] == '-' {
			return false
		}
		start = i + 1
	}
	return true
}

// OrgDomain returns the organizational domain of domain (RFC 7489, section
// 3.2): its ICANN public suffix plus one label, normalized as by [Normalize].
// A name that is itself a public suffix is its own organizational domain.
func OrgDomain(domain string) (string, error) {
	d, err := Normalize(domain)
	if err != nil {
		return "", err
	}
	suffix := icannSuffix(d)
	if suffix == d {
		return d, nil
	}
	// d ends in "." + suffix; the organizational domain is the label
	// before it and the suffix, a tail of d.
	n := len(d) - len(suffix) - 1
	if n <= 0 || d[n] != '.' || d[n+1:] != suffix {
		return "", fmt.Errorf("%w: %q is not under its public suffix %q", ErrInvalidDomain, d, suffix)
	}
	return d[strings.LastIndexByte(d[:n], '.')+1:], nil
}

// icannSuffix returns the public suffix of d counting only the list's ICANN
// section; the default rule "*" applies where no rule matches.
func icannSuffix(d string) string {
	suffix, icann := publicsuffix.PublicSuffix(d)
	for !icann {
		i := strings.IndexByte(suffix, '.')
		if i < 0 {
			// The default rule: the last label.
			return suffix
		}
		suffix, icann = publicsuffix.PublicSuffix(suffix[i+1:])
	}
	return suffix
}

// Aligned reports whether domains a and b are aligned in mode (RFC 7489,
// section 3.1.1 and 3.1.2). Names that cannot be normalized never align.
// Any mode other than [ModeStrict] is treated as relaxed, the default.
func Aligned(a, b string, mode Mode) bool {
	na, err := Normalize(a)
	if err != nil {
		return false
	}
	nb, err := Normalize(b)
	if err != nil {
		return false
	}
	if na == nb {
		return true
	}
	if mode == ModeStrict {
		return false
	}
	oa, err := OrgDomain(na)
	if err != nil {
		return false
	}
	ob, err := OrgDomain(nb)
	if err != nil {
		return false
	}
	return oa == ob
}

// PublicOrgDomain returns the organizational domain of a host name that
// lies under a top-level domain of the ICANN section of the Public Suffix
// List, and "" for anything else: address literals, single labels, and
// private names such as "mail.internal" or "exch01.corp.local", which say
// nothing about which organization a server belongs to.
func PublicOrgDomain(name string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if name == "" || !strings.Contains(name, ".") || strings.ContainsAny(name, "[]:") {
		return ""
	}
	tld := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:])
	if tld != "" && tld[0] >= '0' && tld[0] <= '9' {
		// An IPv4 address literal (no top-level domain starts with a
		// digit); tested this way, not by parsing, which allocates an
		// error for every name.
		return ""
	}
	if _, icann := publicsuffix.PublicSuffix(tld); !icann {
		return ""
	}
	org, err := OrgDomain(name)
	if err != nil {
		return ""
	}
	return org
}
