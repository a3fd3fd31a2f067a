// Package dnsclienttest helps tests that stand in for a DNS resolver: a
// fake given to authlens' packages (spf, dkim, dmarc, arc, or Analyze
// through Options.Resolver) must fail the way a real lookup does, or those
// packages cannot tell a missing record from a temporary failure. [Error]
// builds the error a [dnsclient.Client] lookup fails with, so that
// [dnsclient.Classify], [dnsclient.IsNotFound] and [dnsclient.IsTemporary]
// read a fake's failures exactly as real ones, and [CombineErrors] reports
// the outcome of an address lookup that asks for A and AAAA records, as
// the client does.
//
// The project's own fakes (a map-based resolver and a DNS server on the
// loopback interface) are built on it; the dnsclient tests hold both
// functions to the client's own errors.
package dnsclienttest

import (
	"errors"
	"net"

	"github.com/authlens/authlens/dnsclient"
)

// Error returns the error a lookup of name fails with when the answer is of
// the class of sentinel: [dnsclient.ErrNXDomain], [dnsclient.ErrNoData],
// [dnsclient.ErrServFail], [dnsclient.ErrRefused],
// [dnsclient.ErrConnRefused], [dnsclient.ErrTimeout],
// [dnsclient.ErrUnreachable] or [dnsclient.ErrMalformed] (or an error
// wrapping one, to add detail). It is a *net.DNSError, as *net.Resolver
// returns, with IsNotFound, IsTimeout and IsTemporary set to match and
// Unwrap yielding sentinel.
func Error(name string, sentinel error) *net.DNSError {
	return &net.DNSError{
		Err:        sentinel.Error(),
		Name:       name,
		IsNotFound: errors.Is(sentinel, dnsclient.ErrNXDomain) || errors.Is(sentinel, dnsclient.ErrNoData),
		IsTimeout:  errors.Is(sentinel, dnsclient.ErrTimeout),
		IsTemporary: errors.Is(sentinel, dnsclient.ErrServFail) || errors.Is(sentinel, dnsclient.ErrRefused) ||
			errors.Is(sentinel, dnsclient.ErrTimeout) || errors.Is(sentinel, dnsclient.ErrConnRefused) ||
			errors.Is(sentinel, dnsclient.ErrUnreachable),
		UnwrapErr: sentinel,
	}
}

// CombineErrors returns the error to report for name when a lookup that
// asks several record types (A and AAAA) found nothing, given each type's
// error: a failure (timeout, SERVFAIL, cancellation) wins over not-found,
// and NXDOMAIN is reported only if no type said NODATA, since the name
// exists if any type says so. With no errors at all it returns a NODATA
// error.
func CombineErrors(name string, errs []error) error {
	if len(errs) == 0 {
		return Error(name, dnsclient.ErrNoData)
	}
	for _, err := range errs {
		if !dnsclient.IsNotFound(err) {
			return err
		}
	}
	for _, err := range errs {
		if dnsclient.Classify(err) != dnsclient.ClassNXDomain {
			return err
		}
	}
	return errs[0]
}
