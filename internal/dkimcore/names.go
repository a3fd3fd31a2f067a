package dkimcore

import (
	"fmt"
	"strings"
)

// CheckDomain checks that d is a plausible signing domain (the d= tag of
// DKIM and ARC signatures): dot-separated non-empty labels of letters,
// digits, "-" and "_" (or non-ASCII U-labels), at most 253 characters.
func CheckDomain(d string) error {
	d = strings.TrimSuffix(d, ".")
	if d == "" {
		return fmt.Errorf("empty domain")
	}
	if len(d) > 253 {
		return fmt.Errorf("longer than 253 characters")
	}
	for label := range strings.SplitSeq(d, ".") {
		if err := checkLabel(label); err != nil {
			return err
		}
	}
	return nil
}

// CheckSelector checks a selector, the s= tag (RFC 6376, section 3.5:
// sub-domain *("." sub-domain)).
func CheckSelector(s string) error {
	if s == "" {
		return fmt.Errorf("empty selector")
	}
	for label := range strings.SplitSeq(s, ".") {
		if err := checkLabel(label); err != nil {
			return err
		}
	}
	return nil
}

func checkLabel(label string) error {
	if label == "" {
		return fmt.Errorf("empty label")
	}
	if len(label) > 63 {
		return fmt.Errorf("label longer than 63 characters")
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !(isAlpha(c) || isDigit(c) || c == '-' || c == '_' || c >= 0x80) {
			return fmt.Errorf("invalid character %q in label %q", c, label)
		}
	}
	return nil
}

// IdentityWithin reports whether the domain of identity (an i= value) is
// domain or, unless strict, a subdomain of it. Case is ignored.
func IdentityWithin(identity, domain string, strict bool) bool {
	at := strings.LastIndexByte(identity, '@')
	id := strings.TrimSuffix(identity[at+1:], ".")
	domain = strings.TrimSuffix(domain, ".")
	if strings.EqualFold(id, domain) {
		return true
	}
	if strict || len(id) <= len(domain) {
		return false
	}
	return id[len(id)-len(domain)-1] == '.' && strings.EqualFold(id[len(id)-len(domain):], domain)
}
