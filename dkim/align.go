package dkim

import "github.com/authlens/authlens/align"

// Aligned reports whether a signature's d= domain is aligned with the
// RFC 5322 From domain under mode (RFC 7489, section 3.1.1): identical in
// strict mode, sharing the organizational domain in relaxed mode. Names
// that are not valid domains never align.
func Aligned(d, fromDomain string, mode align.Mode) bool {
	return align.Aligned(d, fromDomain, mode)
}
