package dnsclient

import (
	"context"
	"errors"
	"net"
)

// Answer classes. Protocol rules depend on telling them apart: SPF counts
// NXDOMAIN and NODATA answers as void lookups (RFC 7208, section 4.6.4) and
// maps SERVFAIL and timeouts to temperror (RFC 7208, section 2.6.6); DMARCbis
// applies np= only to domains that do not exist (RFC 9989, section 4.7).
var (
	// ErrNXDomain means the name does not exist (RCODE 3).
	ErrNXDomain = errors.New("dnsclient: no such domain (NXDOMAIN)")
	// ErrNoData means the name exists but has no record of the asked type.
	ErrNoData = errors.New("dnsclient: no record of that type (NODATA)")
	// ErrServFail means the server could not answer (RCODE 2).
	ErrServFail = errors.New("dnsclient: server failure (SERVFAIL)")
	// ErrRefused means the server refused the query (RCODE 5).
	ErrRefused = errors.New("dnsclient: query refused (REFUSED)")
	// ErrTimeout means no answer arrived within the time allowed.
	ErrTimeout = errors.New("dnsclient: query timed out")
	// ErrConnRefused means the server's host refused the connection:
	// nothing listens at that address and port.
	ErrConnRefused = errors.New("dnsclient: connection refused")
	// ErrMalformed means an answer could not be used (bad RCODE, a CNAME
	// chain too long, a name that is not a valid domain).
	ErrMalformed = errors.New("dnsclient: unusable answer")
)

// Class is what kind of answer a lookup got, as far as protocol rules care.
type Class string

// The answer classes returned by [Classify].
const (
	ClassOK       Class = "ok"       // at least one record
	ClassNXDomain Class = "nxdomain" // the name does not exist
	ClassNoData   Class = "nodata"   // the name exists, no record of that type
	ClassNotFound Class = "notfound" // NXDOMAIN or NODATA; the resolver did not say which (net.Resolver)
	ClassServFail Class = "servfail" // server failure (RCODE 2)
	ClassRefused  Class = "refused"  // the server refused the query (RCODE 5) or the connection
	ClassTimeout  Class = "timeout"  // no answer in time
	// ClassUnreachable: no server was asked, since none has been
	// answering ([ErrUnreachable]).
	ClassUnreachable Class = "unreachable"
	ClassCanceled    Class = "canceled" // the caller's context ended
	ClassError       Class = "error"    // anything else
)

// Classify tells which class of answer err stands for. It understands the
// errors of this package's Client and those of *net.Resolver, so protocol
// code decides NXDOMAIN versus temporary failure in one place.
func Classify(err error) Class {
	switch {
	case err == nil:
		return ClassOK
	case errors.Is(err, ErrNXDomain):
		return ClassNXDomain
	case errors.Is(err, ErrNoData):
		return ClassNoData
	case errors.Is(err, ErrServFail):
		return ClassServFail
	case errors.Is(err, ErrRefused), errors.Is(err, ErrConnRefused):
		return ClassRefused
	case errors.Is(err, ErrUnreachable):
		return ClassUnreachable
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return ClassTimeout
	case errors.Is(err, context.Canceled):
		return ClassCanceled
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		switch {
		case de.IsNotFound:
			return ClassNotFound
		case de.IsTimeout:
			return ClassTimeout
		case de.IsTemporary:
			return ClassServFail
		}
	}
	return ClassError
}

// IsNotFound reports whether err means the record does not exist
// (NXDOMAIN or NODATA): an answer, not a failure.
func IsNotFound(err error) bool {
	switch Classify(err) {
	case ClassNXDomain, ClassNoData, ClassNotFound:
		return true
	}
	return false
}

// IsTemporary reports whether err is a failure that may go away on retry:
// SERVFAIL, refusal, timeout, an unreachable server or a canceled context.
func IsTemporary(err error) bool {
	switch Classify(err) {
	case ClassServFail, ClassRefused, ClassTimeout, ClassUnreachable, ClassCanceled:
		return true
	}
	return false
}

// newError returns the error this package uses for a failed lookup of name:
// a *net.DNSError (so callers written for *net.Resolver keep working) whose
// Unwrap yields the class sentinel (ErrNXDomain, ErrNoData, ErrServFail,
// ErrRefused, ErrConnRefused, ErrTimeout, ErrUnreachable or ErrMalformed).
func newError(name, server string, sentinel error) *net.DNSError {
	return &net.DNSError{
		Err:        sentinel.Error(),
		Name:       name,
		Server:     server,
		IsNotFound: errors.Is(sentinel, ErrNXDomain) || errors.Is(sentinel, ErrNoData),
		IsTimeout:  errors.Is(sentinel, ErrTimeout),
		IsTemporary: errors.Is(sentinel, ErrServFail) || errors.Is(sentinel, ErrRefused) || errors.Is(sentinel, ErrTimeout) ||
			errors.Is(sentinel, ErrConnRefused) || errors.Is(sentinel, ErrUnreachable),
		UnwrapErr: sentinel,
	}
}

// combineErrors picks the error to report for name when a lookup that asks
// several record types (A and AAAA) found nothing: a failure (timeout,
// SERVFAIL, cancellation) wins over not-found, and NXDOMAIN is reported
// only if no type said NODATA, since the name exists if any type says so.
// With no errors at all it returns a NODATA error.
func combineErrors(name string, errs []error) error {
	if len(errs) == 0 {
		return newError(name, "", ErrNoData)
	}
	for _, err := range errs {
		if !IsNotFound(err) {
			return err
		}
	}
	for _, err := range errs {
		if Classify(err) != ClassNXDomain {
			return err
		}
	}
	return errs[0]
}
