package dnsclienttest_test

import (
	"context"
	"testing"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/dnsclient/dnsclienttest"
)

// TestError checks that each class sentinel gives an error the protocol
// packages read as that class: not-found for NXDOMAIN and NODATA (an
// answer), temporary for failures that may go away.
func TestError(t *testing.T) {
	tests := []struct {
		sentinel  error
		class     dnsclient.Class
		notFound  bool
		temporary bool
	}{
		{dnsclient.ErrNXDomain, dnsclient.ClassNXDomain, true, false},
		{dnsclient.ErrNoData, dnsclient.ClassNoData, true, false},
		{dnsclient.ErrServFail, dnsclient.ClassServFail, false, true},
		{dnsclient.ErrRefused, dnsclient.ClassRefused, false, true},
		{dnsclient.ErrTimeout, dnsclient.ClassTimeout, false, true},
		{dnsclient.ErrUnreachable, dnsclient.ClassUnreachable, false, true},
		{dnsclient.ErrMalformed, dnsclient.ClassError, false, false},
	}
	for _, tc := range tests {
		err := dnsclienttest.Error("_dmarc.example.com", tc.sentinel)
		if err.Name != "_dmarc.example.com" {
			t.Errorf("%v: Name = %q", tc.sentinel, err.Name)
		}
		if got := dnsclient.Classify(err); got != tc.class {
			t.Errorf("%v: class %s, want %s", tc.sentinel, got, tc.class)
		}
		if dnsclient.IsNotFound(err) != tc.notFound || dnsclient.IsTemporary(err) != tc.temporary {
			t.Errorf("%v: IsNotFound %v, IsTemporary %v", tc.sentinel, dnsclient.IsNotFound(err), dnsclient.IsTemporary(err))
		}
	}
}

// TestCombineErrors checks how the outcomes of an A and an AAAA lookup
// combine: a failure wins over not-found, NODATA over NXDOMAIN.
func TestCombineErrors(t *testing.T) {
	nx := dnsclienttest.Error("x.example", dnsclient.ErrNXDomain)
	nodata := dnsclienttest.Error("x.example", dnsclient.ErrNoData)
	tmo := dnsclienttest.Error("x.example", dnsclient.ErrTimeout)
	tests := []struct {
		name string
		errs []error
		want dnsclient.Class
	}{
		{"none", nil, dnsclient.ClassNoData},
		{"both nxdomain", []error{nx, nx}, dnsclient.ClassNXDomain},
		{"nodata beats nxdomain", []error{nx, nodata}, dnsclient.ClassNoData},
		{"failure beats not-found", []error{nodata, tmo}, dnsclient.ClassTimeout},
		{"canceled", []error{nx, context.Canceled}, dnsclient.ClassCanceled},
	}
	for _, tc := range tests {
		if got := dnsclient.Classify(dnsclienttest.CombineErrors("x.example", tc.errs)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
