package dmarc

import (
	"slices"
	"strings"
	"testing"
)

func TestEvaluateRecorded(t *testing.T) {
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
			in: RecordedInput{FromDomain: "example.com", DMARC: "pass", Receiver: ReceiverPolicy{Source: "gmail", Policy: PolicyReject, SubdomainPolicy: PolicyReject, Disposition: PolicyNone},
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
			in: RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: ReceiverPolicy{Source: "gmail", Policy: PolicyReject, SubdomainPolicy: PolicyReject, Disposition: PolicyReject},
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
			in: RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: ReceiverPolicy{Source: "gmail", Policy: PolicyReject, SubdomainPolicy: PolicyReject, Disposition: PolicyNone},
				SPF: SPFInput{Result: AuthPass, MailFromDomain: "forwarder.example.net"}},
			status: StatusFail,
			codes:  []string{"dmarc-policy-not-applied"},
		},
		{
			name:   "microsoft oreject",
			in:     RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: ReceiverPolicy{Source: "microsoft", Policy: PolicyReject, Disposition: PolicyQuarantine, Override: true}},
			status: StatusFail,
			codes:  []string{"dmarc-policy-overridden"},
		},
		{
			name:   "microsoft pct.quarantine",
			in:     RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: ReceiverPolicy{Source: "microsoft", Policy: PolicyQuarantine, Disposition: PolicyNone, PctExcluded: true}},
			status: StatusFail,
		},
		{
			name:   "policy mismatch",
			in:     RecordedInput{FromDomain: "example.com", DMARC: "fail", Record: rec, Receiver: ReceiverPolicy{Source: "gmail", Policy: PolicyNone, SubdomainPolicy: PolicyNone, Disposition: PolicyNone}},
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
	out := EvaluateRecorded(RecordedInput{FromDomain: "example.com", DMARC: "fail", Receiver: ReceiverPolicy{Source: "microsoft", Policy: PolicyQuarantine, Disposition: PolicyNone, PctExcluded: true}})
	if out.Result.Disposition != PolicyNone || out.Result.ApplyPolicy {
		t.Errorf("pct.quarantine disposition = %s", out.Result.Disposition)
	}
}
