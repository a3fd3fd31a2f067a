package spf

import "github.com/authlens/authlens/align"

// Aligned reports whether the MAIL FROM domain an SPF result is for is
// aligned with the RFC 5322 From domain in mode, as DMARC requires of an
// SPF pass (RFC 7489, section 3.1.2). It wraps [align.Aligned].
func Aligned(mailFromDomain, fromDomain string, mode align.Mode) bool {
	return align.Aligned(mailFromDomain, fromDomain, mode)
}
