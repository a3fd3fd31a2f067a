package trust

import (
	"errors"
	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/internal/testshared"
	"regexp"
	"strings"
	"testing"
)

// Receiver policy notations as they appear in Authentication-Results.
var (
	gmailCommentRE = regexp.MustCompile(`(?i)dmarc=\S+\s*(\([^)]*\))`)
	msActionRE     = regexp.MustCompile(`(?i)\baction=([^\s;]*)`)
	fastmailRE     = regexp.MustCompile(`(?i)policy\.published-domain-policy=([^\s;]*)`)
)

// seedNotations adds to f the texts re captures in the
// Authentication-Results fields of the test messages.
func seedNotations(f *testing.F, re *regexp.Regexp) {
	for _, v := range testshared.FieldValues(f, "Authentication-Results") {
		for _, m := range re.FindAllStringSubmatch(v, -1) {
			f.Add(m[1])
		}
	}
}

// checkReceiverError checks the result of a receiver policy parser that
// failed: a wrapped ErrReceiverPolicy and nothing but the source.
func checkReceiverError(t *testing.T, in string, rp dmarc.ReceiverPolicy, err error, source string) {
	t.Helper()
	if !errors.Is(err, ErrReceiverPolicy) {
		t.Fatalf("%q: error %v does not wrap ErrReceiverPolicy", in, err)
	}
	if rp != (dmarc.ReceiverPolicy{Source: source}) {
		t.Fatalf("%q: error %v with %+v", in, err, rp)
	}
}

// validPolicy reports whether p is empty or one of the three policies.
func validPolicy(p dmarc.Policy) bool {
	return p == "" || p == dmarc.PolicyNone || p == dmarc.PolicyQuarantine || p == dmarc.PolicyReject
}

// FuzzParseGmailPolicy checks that ParseGmailPolicy never panics, fails
// only with ErrReceiverPolicy, sets only valid policies, and that what it
// read, written back as "(p=… sp=… dis=…)" in upper case, reads the same.
func FuzzParseGmailPolicy(f *testing.F) {
	for _, s := range []string{"(p=QUARANTINE sp=QUARANTINE dis=NONE)", "p=reject dis=none", "(p=NONE)", "()", "(p=none x=y)", "(p=nonesuch)", "(p)", " ( p=reject\tsp=none ) "} {
		f.Add(s)
	}
	seedNotations(f, gmailCommentRE)
	f.Fuzz(func(t *testing.T, s string) {
		rp, err := ParseGmailPolicy(s)
		if err != nil {
			// A failed parse may have set policies before the bad item.
			if !errors.Is(err, ErrReceiverPolicy) || rp.Source != "gmail" {
				t.Fatalf("%q: %+v, %v", s, rp, err)
			}
			return
		}
		if rp.Source != "gmail" || rp.PctExcluded || rp.Override ||
			!validPolicy(rp.Policy) || !validPolicy(rp.SubdomainPolicy) || !validPolicy(rp.Disposition) {
			t.Fatalf("%q: %+v", s, rp)
		}
		var items []string
		for _, kv := range []struct {
			key string
			p   dmarc.Policy
		}{{"p", rp.Policy}, {"sp", rp.SubdomainPolicy}, {"dis", rp.Disposition}} {
			if kv.p != "" {
				items = append(items, kv.key+"="+strings.ToUpper(string(kv.p)))
			}
		}
		if rp.ARC {
			items = append(items, "arc=pass")
		}
		if len(items) == 0 {
			return // only keys Gmail may add later
		}
		text := "(" + strings.Join(items, " ") + ")"
		if again, err := ParseGmailPolicy(text); err != nil || again != rp {
			t.Fatalf("%q = %+v; written back as %q, reads %+v, %v", s, rp, text, again, err)
		}
	})
}

// microsoftActions maps each result of ParseMicrosoftAction to the
// canonical action that gives it.
var microsoftActions = map[dmarc.ReceiverPolicy]string{}

func init() {
	for _, a := range []string{"none", "pct.quarantine", "pct.reject", "quarantine", "reject", "oreject"} {
		rp, err := ParseMicrosoftAction(a)
		if err != nil {
			panic(err)
		}
		microsoftActions[rp] = a
	}
}

// FuzzParseMicrosoftAction checks that ParseMicrosoftAction never
// panics, fails only with ErrReceiverPolicy, and gives one of the six
// documented outcomes, each of which its canonical action (in any case,
// padded) reads the same.
func FuzzParseMicrosoftAction(f *testing.F) {
	for _, s := range []string{"none", "pct.quarantine", "PCT.REJECT", " quarantine ", "reject", "oreject", "o.reject", "", "rejected"} {
		f.Add(s)
	}
	seedNotations(f, msActionRE)
	f.Fuzz(func(t *testing.T, s string) {
		rp, err := ParseMicrosoftAction(s)
		if err != nil {
			checkReceiverError(t, s, rp, err, "microsoft")
			return
		}
		a, ok := microsoftActions[rp]
		if !ok {
			t.Fatalf("%q: outcome %+v is none of the documented actions", s, rp)
		}
		for _, text := range []string{a, " " + strings.ToUpper(a) + "\t"} {
			if again, err := ParseMicrosoftAction(text); err != nil || again != rp {
				t.Fatalf("%q = %+v (%s); %q reads %+v, %v", s, rp, a, text, again, err)
			}
		}
	})
}

// FuzzParseFastmailPolicy checks that ParseFastmailPolicy never panics,
// fails only with ErrReceiverPolicy, and that the policy it read, written
// back, reads the same.
func FuzzParseFastmailPolicy(f *testing.F) {
	for _, s := range []string{"reject", "NONE", " quarantine\r\n", "", "p=reject"} {
		f.Add(s)
	}
	seedNotations(f, fastmailRE)
	f.Fuzz(func(t *testing.T, s string) {
		rp, err := ParseFastmailPolicy(s)
		if err != nil {
			checkReceiverError(t, s, rp, err, "fastmail")
			return
		}
		if rp.Policy == "" || !validPolicy(rp.Policy) || rp != (dmarc.ReceiverPolicy{Source: "fastmail", Policy: rp.Policy}) {
			t.Fatalf("%q: %+v", s, rp)
		}
		for _, text := range []string{string(rp.Policy), strings.ToUpper(string(rp.Policy))} {
			if again, err := ParseFastmailPolicy(text); err != nil || again != rp {
				t.Fatalf("%q = %+v; %q reads %+v, %v", s, rp, text, again, err)
			}
		}
	})
}
