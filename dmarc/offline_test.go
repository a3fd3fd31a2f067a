package dmarc

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseGmailPolicy(t *testing.T) {
	rp, err := ParseGmailPolicy("(p=QUARANTINE sp=REJECT dis=NONE)")
	if err != nil {
		t.Fatal(err)
	}
	if rp.Policy != PolicyQuarantine || rp.SubdomainPolicy != PolicyReject || rp.Disposition != PolicyNone || rp.Source != "gmail" {
		t.Errorf("%+v", rp)
	}
	// Gmail adds arc=pass when a trusted ARC chain changed the
	// disposition; rspamd writes policy=.
	for in, want := range map[string]ReceiverPolicy{
		"(p=REJECT sp=REJECT dis=NONE arc=pass)": {Source: "gmail", Policy: PolicyReject, SubdomainPolicy: PolicyReject, Disposition: PolicyNone},
		"(policy=none)":                          {Source: "gmail", Policy: PolicyNone},
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
		policy, disp      Policy
		pct, override, ok bool
	}{
		{"none", "", PolicyNone, false, false, true},
		{"pct.quarantine", PolicyQuarantine, PolicyNone, true, false, true},
		{"pct.reject", PolicyReject, "", true, false, true},
		{"quarantine", PolicyQuarantine, PolicyQuarantine, false, false, true},
		{"Reject", PolicyReject, PolicyReject, false, false, true},
		{"oreject", PolicyReject, PolicyQuarantine, false, true, true},
		{"o.reject", PolicyReject, PolicyQuarantine, false, true, true},
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
	if rp, err := ParseFastmailPolicy("reject"); err != nil || rp.Policy != PolicyReject {
		t.Errorf("%+v %v", rp, err)
	}
	if _, err := ParseFastmailPolicy("x"); !errors.Is(err, ErrReceiverPolicy) {
		t.Errorf("error = %v", err)
	}
}

func TestEvaluateRecorded(t *testing.T) {
	gmail := func(s string) ReceiverPolicy {
		rp, err := ParseGmailPolicy(s)
		if err != nil {
			t.Fatal(err)
		}
		return rp
	}
	rec, _, _ := ParseRecord("v=DMARC1; p=reject; adkim=s")
	tests := []struct {
		name      string
		in        RecordedInput
		status    Status
		codes     []string
		inMessage string
	}{
		{
			name: "receiver pass, nothing aligns",
			in: RecordedInput{FromDomain: "example.com", DMARC: "pass",
				SPF:  SPFInput{Result: AuthPass, MailFromDomain: "bounce.other.net"},
				DKIM: []DKIMInput{{AuthPass, "other.net"}}},
			status:    StatusFail,
			codes:     []string{"dmarc-receiver-pass-unaligned"},
			inMessage: "receiver says dmarc=pass but neither SPF (mailfrom bounce.other.net) nor DKIM (d=other.net) aligns with example.com",
		},
		{
			name: "agreement",
			in: RecordedInput{FromDomain: "example.com", DMARC: "pass", Receiver: gmail("(p=REJECT sp=REJECT dis=NONE)"),
				DKIM: []DKIMInput{{AuthPass, "mail.example.com"}}},
			status: StatusPass,
		},
		{
			name: "bestguesspass",
			in: RecordedInput{FromDomain: "example.com", DMARC: "bestguesspass",
				SPF: SPFInput{Result: AuthPass, MailFromDomain: "example.com"}},
			status:    StatusNone,
			codes:     []string{"dmarc-bestguesspass"},
			inMessage: "bestguesspass: no DMARC record published",
		},
		{
			name: "receiver fail but aligned",
			in: RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: gmail("(p=REJECT sp=REJECT dis=REJECT)"),
				SPF: SPFInput{Result: AuthPass, MailFromDomain: "bounce.example.com"}},
			status: StatusPass,
			codes:  []string{"dmarc-receiver-fail-aligned"},
		},
		{
			name: "strict record from elsewhere",
			in: RecordedInput{FromDomain: "example.com", DMARC: "pass", Record: rec,
				DKIM: []DKIMInput{{AuthPass, "mail.example.com"}}},
			status: StatusFail,
			codes:  []string{"dmarc-receiver-pass-unaligned"},
		},
		{
			name: "gmail did not apply reject",
			in: RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: gmail("(p=REJECT sp=REJECT dis=NONE)"),
				SPF: SPFInput{Result: AuthPass, MailFromDomain: "forwarder.example.net"}},
			status: StatusFail,
			codes:  []string{"dmarc-policy-not-applied"},
		},
		{
			name:   "microsoft oreject",
			in:     RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: mustMS(t, "oreject")},
			status: StatusFail,
			codes:  []string{"dmarc-policy-overridden"},
		},
		{
			name:   "microsoft pct.quarantine",
			in:     RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: mustMS(t, "pct.quarantine")},
			status: StatusFail,
		},
		{
			name:   "policy mismatch",
			in:     RecordedInput{FromDomain: "example.com", DMARC: "fail", Record: rec, Receiver: gmail("(p=NONE sp=NONE dis=NONE)")},
			status: StatusFail,
			codes:  []string{"dmarc-policy-mismatch", "dmarc-policy-not-applied"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := EvaluateRecorded(tc.in)
			if out.Result.Status != tc.status {
				t.Errorf("status = %s, want %s", out.Result.Status, tc.status)
			}
			var codes []string
			var msgs []string
			for _, d := range out.Disagreements {
				codes = append(codes, string(d.Code))
				msgs = append(msgs, d.Message)
			}
			if !slices.Equal(codes, tc.codes) {
				t.Errorf("codes = %v, want %v (%v)", codes, tc.codes, msgs)
			}
			if tc.inMessage != "" && !strings.Contains(strings.Join(msgs, "\n"), tc.inMessage) {
				t.Errorf("messages %q lack %q", msgs, tc.inMessage)
			}
		})
	}
	// pct.quarantine reduces our disposition too.
	out := EvaluateRecorded(RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: mustMS(t, "pct.quarantine")})
	if out.Result.Disposition != PolicyNone || out.Result.ApplyPolicy {
		t.Errorf("pct.quarantine disposition = %s", out.Result.Disposition)
	}
}

func mustMS(t *testing.T, action string) ReceiverPolicy {
	t.Helper()
	rp, err := ParseMicrosoftAction(action)
	if err != nil {
		t.Fatal(err)
	}
	return rp
}
