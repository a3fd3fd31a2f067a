package dnsclient

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"
	"golang.org/x/net/idna"
)

// canonicalName returns name as it is asked on the wire: absolute (trailing
// dot), lower case, every label holding non-ASCII characters converted to its
// A-label (RFC 5891, section 5). Labels such as "_dmarc" pass unchanged. A
// name that is empty, has an empty label, or is too long fails with
// ErrMalformed.
func canonicalName(name string) (string, error) {
	if name == "" || name == "." {
		return "", fmt.Errorf("%w: empty name", ErrMalformed)
	}
	fqdn := dns.Fqdn(name)
	if !isASCII(name) {
		labels := strings.Split(strings.TrimSuffix(name, "."), ".")
		for i, l := range labels {
			if !isASCII(l) {
				a, err := idna.Lookup.ToASCII(l)
				if err != nil {
					return "", fmt.Errorf("%w: label %q: %w", ErrMalformed, l, err)
				}
				labels[i] = a
			}
		}
		fqdn = strings.Join(labels, ".") + "."
	}
	fqdn = strings.ToLower(fqdn)
	// RFC 1035, section 2.3.4: labels are 63 octets or less, names 255
	// octets or less.
	if _, ok := dns.IsDomainName(fqdn); !ok {
		return "", fmt.Errorf("%w: %q is not a valid domain name", ErrMalformed, name)
	}
	return fqdn, nil
}

// isASCII reports whether s has only ASCII characters.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// typeString returns the mnemonic of a record type, such as "TXT".
func typeString(qt uint16) string {
	if s, ok := dns.TypeToString[qt]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", qt)
}
