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
	fqdn = escape(strings.ToLower(fqdn))
	// RFC 1035, section 2.3.4: labels are 63 octets or less, names 255
	// octets or less.
	if _, ok := dns.IsDomainName(fqdn); !ok {
		return "", fmt.Errorf("%w: %q is not a valid domain name", ErrMalformed, name)
	}
	return fqdn, nil
}

// escape turns a literal name (as callers pass it, like *net.Resolver) into
// DNS presentation form (RFC 1035, section 5.1): a space and the characters
// special in master files are preceded by a backslash, other bytes outside
// printable ASCII become \DDD. This is the form github.com/miekg/dns reads
// names in and writes the question of a response back in, so the question
// check compares like with like. SPF macros (RFC 7208, section 7) can
// produce such names.
func escape(name string) string {
	clean := true
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c > '~' || strings.IndexByte(`();@"\$`, c) >= 0 {
			clean = false
			break
		}
	}
	if clean {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == ' ' || strings.IndexByte(`();@"\$`, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
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
