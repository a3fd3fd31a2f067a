package dmarc

import (
	"reflect"
	"testing"
)

// sameFields reports whether a and b hold the same tag values, ignoring
// diagnoses (formatting drops invalid values and their diagnoses with them).
func sameFields(a, b *Record) bool {
	x, y := *a, *b
	x.Diagnoses, y.Diagnoses = nil, nil
	return reflect.DeepEqual(x, y)
}

// FuzzParseRecord checks that formatting a parsed record and parsing it
// again gives the same record.
func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{
		"v=DMARC1; p=reject",
		"v=DMARC1; p=none; sp=quarantine; np=reject; adkim=s; aspf=r; pct=20; fo=0:1:d:s; rf=afrf; ri=86400",
		"v=DMARC1; p=reject; rua=mailto:a@example.com!10m,mailto:b@example.net; ruf=mailto:c@example.org!1g",
		"v=DMARC1; psd=y; t=y; x=1; y=",
		"v=DMARC1; p=none; bogus",
		"v=DMARC1;;p=reject;",
		"v=dmarc1; p=none",
		"v=spf1 -all",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, txt string) {
		rec, isDMARC, err := ParseRecord(txt)
		if !isDMARC || err != nil {
			return
		}
		s := rec.String()
		again, isDMARC, err := ParseRecord(s)
		if !isDMARC || err != nil {
			t.Fatalf("reparse of %q (from %q): %v, %v", s, txt, isDMARC, err)
		}
		if !sameFields(rec, again) {
			t.Fatalf("round trip differs:\n in   %q\n out  %q\n rec  %+v\n back %+v", txt, s, rec, again)
		}
		if again.String() != s {
			t.Fatalf("String not stable: %q then %q", s, again.String())
		}
	})
}
