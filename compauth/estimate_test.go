package compauth

import "testing"

func TestEstimate(t *testing.T) {
	pass := []DKIMInput{{Result: "pass", Aligned: true}}
	tests := []struct {
		name   string
		in     Inputs
		result Result
		reason string
		conf   Confidence
	}{
		{"100 DMARC pass", Inputs{SPFResult: "pass", SPFAligned: true, DMARCResult: "pass", DMARCPolicy: "reject"}, ResultPass, "100", ConfidenceObserved},
		{"100 derived from aligned DKIM and a record", Inputs{SPFResult: "fail", DKIM: pass, DMARCPolicy: "none"}, ResultPass, "100", ConfidenceObserved},
		{"109 no record, aligned pass", Inputs{SPFResult: "pass", SPFAligned: true}, ResultPass, "109", ConfidenceObserved},
		{"109 bestguesspass", Inputs{DMARCResult: "BestGuessPass"}, ResultPass, "109", ConfidenceObserved},
		{"111 broken record", Inputs{SPFResult: "pass", DMARCResult: "permerror"}, ResultPass, "111", ConfidenceObserved},
		{"000 fail reject", Inputs{SPFResult: "fail", DMARCResult: "fail", DMARCPolicy: "reject"}, ResultFail, "000", ConfidenceDocumented},
		{"000 derived fail quarantine", Inputs{SPFResult: "pass", DKIM: []DKIMInput{{Result: "pass"}}, DMARCPolicy: "QUARANTINE"}, ResultFail, "000", ConfidenceDocumented},
		{"010 accepted domain", Inputs{DMARCResult: "fail", DMARCPolicy: "reject", AcceptedDomain: true}, ResultFail, "010", ConfidenceDocumented},
		{"001 p=none", Inputs{SPFResult: "none", DMARCResult: "fail", DMARCPolicy: "none"}, ResultFail, "001", ConfidenceDocumented},
		{"001 no record unaligned pass", Inputs{SPFResult: "pass", SPFAligned: false}, ResultFail, "001", ConfidenceDocumented},
		{"001 softfail", Inputs{SPFResult: "softfail"}, ResultFail, "001", ConfidenceDocumented},
		{"001 permerror nothing passes", Inputs{DMARCResult: "permerror"}, ResultFail, "001", ConfidenceDocumented},
		{"6xx accepted domain weak", Inputs{SPFResult: "none", AcceptedDomain: true}, ResultFail, "6xx", ConfidenceDocumented},
		{"002 spoof blocked", Inputs{DMARCResult: "pass", SpoofBlocked: true}, ResultFail, "002", ConfidenceDocumented},
		{"130 trusted ARC over 000", Inputs{DMARCResult: "fail", DMARCPolicy: "reject", ARCResult: "pass", ARCTrusted: true}, ResultPass, "130", ConfidenceDocumented},
		{"130 trusted ARC over 001", Inputs{DMARCResult: "none", ARCResult: "pass", ARCTrusted: true}, ResultPass, "130", ConfidenceDocumented},
		{"untrusted ARC no override", Inputs{DMARCResult: "fail", DMARCPolicy: "reject", ARCResult: "pass"}, ResultFail, "000", ConfidenceDocumented},
		{"temperror no estimate", Inputs{DMARCResult: "temperror"}, "", "", ConfidenceUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.in.Estimate()
			if e.Result != tc.result || e.Reason != tc.reason || e.Confidence != tc.conf {
				t.Errorf("Estimate() = %s/%s (%s), want %s/%s (%s)", e.Result, e.Reason, e.Confidence, tc.result, tc.reason, tc.conf)
			}
			if e.Basis == "" {
				t.Error("empty Basis")
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name            string
		result, reason  string
		est             Inputs
		want            Agreement
		wantExplainable bool
	}{
		{"match 100", "pass", "100", Inputs{DMARCResult: "pass"}, AgreementMatch, true},
		{"match class 6xx", "fail", "601", Inputs{SPFResult: "none", AcceptedDomain: true}, AgreementMatch, true},
		{"same result other code", "pass", "105", Inputs{DMARCResult: "pass"}, AgreementSameResult, true},
		{"implicit raised softpass", "softpass", "202", Inputs{DMARCResult: "fail", DMARCPolicy: "none"}, AgreementDiffers, false},
		{"implicit raised pass", "pass", "105", Inputs{SPFResult: "softfail"}, AgreementDiffers, false},
		{"lowered", "fail", "001", Inputs{DMARCResult: "pass"}, AgreementDiffers, false},
		{"arc override", "pass", "130", Inputs{DMARCResult: "fail", DMARCPolicy: "reject", ARCResult: "pass", ARCTrusted: true}, AgreementARCOverride, true},
		{"arc override, untrusted sealer as far as we know", "pass", "130", Inputs{DMARCResult: "fail", DMARCPolicy: "reject", ARCResult: "pass"}, AgreementARCOverride, true},
		{"bypassed", "none", "905", Inputs{DMARCResult: "pass"}, AgreementNotComparable, false},
		{"no estimate", "pass", "100", Inputs{DMARCResult: "temperror"}, AgreementNotComparable, false},
		{"nothing recorded", "", "", Inputs{DMARCResult: "pass"}, AgreementNotComparable, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Compare(Explain(tc.result, tc.reason), tc.est.Estimate())
			if c.Agreement != tc.want || c.Explainable != tc.wantExplainable {
				t.Errorf("Compare = %s/%v (%s), want %s/%v", c.Agreement, c.Explainable, c.Message, tc.want, tc.wantExplainable)
			}
			if c.Message == "" {
				t.Error("empty Message")
			}
		})
	}
}
