package trust

import (
	"errors"
	"testing"

	"github.com/authlens/authlens/dmarc"
)

func TestParseGmailPolicy(t *testing.T) {
	rp, err := ParseGmailPolicy("(p=QUARANTINE sp=REJECT dis=NONE)")
	if err != nil {
		t.Fatal(err)
	}
	if rp.Policy != dmarc.PolicyQuarantine || rp.SubdomainPolicy != dmarc.PolicyReject || rp.Disposition != dmarc.PolicyNone || rp.Source != "gmail" {
		t.Errorf("%+v", rp)
	}
	// Gmail adds arc=pass when a trusted ARC chain changed the
	// disposition; rspamd writes policy=.
	for in, want := range map[string]dmarc.ReceiverPolicy{
		"(p=REJECT sp=REJECT dis=NONE arc=pass)": {Source: "gmail", Policy: dmarc.PolicyReject, SubdomainPolicy: dmarc.PolicyReject, Disposition: dmarc.PolicyNone, ARC: true},
		"(policy=none)":                          {Source: "gmail", Policy: dmarc.PolicyNone},
	} {
		if rp, err := ParseGmailPolicy(in); err != nil || rp != want {
			t.Errorf("ParseGmailPolicy(%q) = %+v, %v; want %+v", in, rp, err, want)
		}
	}
	for _, bad := range []string{"", "()", "(p=drop dis=NONE)", "(p QUARANTINE)"} {
		if _, err := ParseGmailPolicy(bad); !errors.Is(err, ErrReceiverPolicy) {
			t.Errorf("ParseGmailPolicy(%q) error = %v", bad, err)
		}
	}
}

func TestParseMicrosoftAction(t *testing.T) {
	tests := []struct {
		action            string
		policy, disp      dmarc.Policy
		pct, override, ok bool
	}{
		{"none", "", dmarc.PolicyNone, false, false, true},
		{"pct.quarantine", dmarc.PolicyQuarantine, dmarc.PolicyNone, true, false, true},
		{"pct.reject", dmarc.PolicyReject, "", true, false, true},
		{"quarantine", dmarc.PolicyQuarantine, dmarc.PolicyQuarantine, false, false, true},
		{"Reject", dmarc.PolicyReject, dmarc.PolicyReject, false, false, true},
		{"oreject", dmarc.PolicyReject, dmarc.PolicyQuarantine, false, true, true},
		{"o.reject", dmarc.PolicyReject, dmarc.PolicyQuarantine, false, true, true},
		{"discard", "", "", false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.action, func(t *testing.T) {
			rp, err := ParseMicrosoftAction(tc.action)
			if (err == nil) != tc.ok {
				t.Fatalf("error = %v", err)
			}
			if !tc.ok {
				if !errors.Is(err, ErrReceiverPolicy) {
					t.Errorf("error = %v", err)
				}
				return
			}
			if rp.Policy != tc.policy || rp.Disposition != tc.disp || rp.PctExcluded != tc.pct || rp.Override != tc.override {
				t.Errorf("%+v", rp)
			}
		})
	}
}

func TestParseFastmailPolicy(t *testing.T) {
	if rp, err := ParseFastmailPolicy("reject"); err != nil || rp.Policy != dmarc.PolicyReject {
		t.Errorf("%+v %v", rp, err)
	}
	if _, err := ParseFastmailPolicy("x"); !errors.Is(err, ErrReceiverPolicy) {
		t.Errorf("error = %v", err)
	}
}
