package dnsclient_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/dnsclient/dnsclienttest"
)

// TestFakeErrorsMatchClient holds the errors package dnsclienttest gives
// fake resolvers to those the client itself returns: the same
// *net.DNSError for every class sentinel, bare or wrapped with detail, and
// the same choice among the errors of an A and AAAA lookup.
func TestFakeErrorsMatchClient(t *testing.T) {
	sentinels := []error{
		dnsclient.ErrNXDomain, dnsclient.ErrNoData, dnsclient.ErrServFail, dnsclient.ErrRefused,
		dnsclient.ErrConnRefused, dnsclient.ErrTimeout, dnsclient.ErrUnreachable, dnsclient.ErrMalformed,
	}
	for _, s := range sentinels {
		for _, err := range []error{s, fmt.Errorf("%w: detail", s)} {
			fake := dnsclienttest.Error("x.example", err)
			real := dnsclient.NewErrorForTest("x.example", "", err)
			if !reflect.DeepEqual(fake, real) {
				t.Errorf("%v: fake %#v, client %#v", err, fake, real)
			}
			if dnsclient.Classify(fake) != dnsclient.Classify(real) || !errors.Is(fake, s) {
				t.Errorf("%v: fake classifies as %s, client as %s", err, dnsclient.Classify(fake), dnsclient.Classify(real))
			}
		}
	}
	nx := dnsclienttest.Error("x.example", dnsclient.ErrNXDomain)
	nodata := dnsclienttest.Error("x.example", dnsclient.ErrNoData)
	tmo := dnsclienttest.Error("x.example", dnsclient.ErrTimeout)
	for _, errs := range [][]error{nil, {nx}, {nx, nx}, {nx, nodata}, {nodata, nx}, {nodata, tmo}, {nx, context.Canceled}} {
		fake := dnsclienttest.CombineErrors("x.example", errs)
		real := dnsclient.CombineErrorsForTest("x.example", errs)
		if !reflect.DeepEqual(fake, real) {
			t.Errorf("CombineErrors(%v): fake %v, client %v", errs, fake, real)
		}
	}
}
