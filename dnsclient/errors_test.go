package dnsclient

import (
	"context"
	"errors"
	"testing"
)

func TestCombineErrors(t *testing.T) {
	nx := newError("x.example", "", ErrNXDomain)
	nodata := newError("x.example", "", ErrNoData)
	tmo := newError("x.example", "", ErrTimeout)
	tests := []struct {
		name string
		errs []error
		want Class
	}{
		{"none", nil, ClassNoData},
		{"both nxdomain", []error{nx, nx}, ClassNXDomain},
		{"nodata beats nxdomain", []error{nx, nodata}, ClassNoData},
		{"failure beats not-found", []error{nodata, tmo}, ClassTimeout},
		{"canceled", []error{nx, context.Canceled}, ClassCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := combineErrors("x.example", tc.errs)
			if got := Classify(err); got != tc.want {
				t.Errorf("Classify(combineErrors) = %s (%v), want %s", got, err, tc.want)
			}
			if tc.errs == nil && !errors.Is(err, ErrNoData) {
				t.Errorf("err = %v, want ErrNoData", err)
			}
		})
	}
}
