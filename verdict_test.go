package authlens

import (
	"strings"
	"testing"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/compauth"
	"github.com/authlens/authlens/trust"
)

// TestDecideVerdict: the verdict is a function of the facts alone.
func TestDecideVerdict(t *testing.T) {
	spf := func(r authres.ResultValue, aligned bool) *SPFVerdict {
		return &SPFVerdict{Result: r, Domain: "example.com", Aligned: aligned, Origin: OriginRecorded}
	}
	dkim := func(r authres.ResultValue, d string, aligned bool) []DKIMVerdict {
		return []DKIMVerdict{{Domain: d, Result: r, Aligned: aligned, Origin: OriginRecorded}}
	}
	dmarc := func(r authres.ResultValue, policy string) *DMARCVerdict {
		return &DMARCVerdict{Result: r, Domain: "example.com", Policy: policy, Origin: OriginRecorded}
	}
	base := verdictFacts{From: "example.com", Author: "a@example.com", Receiver: "mx.example.net", Source: trust.KindAR}
	with := func(change func(*verdictFacts)) verdictFacts {
		f := base
		change(&f)
		return f
	}
	tests := []struct {
		name  string
		facts verdictFacts
		want  VerdictStatus
		says  string // a phrase the summary must hold
	}{
		{"no receiver", with(func(f *verdictFacts) { f.Receiver = "" }), VerdictUnknown, "No trusted receiver"},
		{"outbound stamp only", with(func(f *verdictFacts) {
			f.Receiver, f.Upstream = "", &trust.Upstream{Receiver: "Microsoft 365", Outbound: true}
		}), VerdictUnknown, "sender's own Microsoft 365 tenant"},
		{"earlier hop only", with(func(f *verdictFacts) {
			f.Receiver, f.Upstream = "", &trust.Upstream{Receiver: "mx.lists.example", FinalReceiver: "mx.example.org"}
		}), VerdictUnknown, "final receiver (mx.example.org)"},
		{"unreadable From domain", with(func(f *verdictFacts) { f.From, f.DMARC = "", dmarc(authres.ResultPass, "reject") }), VerdictFail, "no readable domain"},
		{"DMARC pass by aligned DKIM", with(func(f *verdictFacts) {
			f.DKIM, f.DMARC = dkim(authres.ResultPass, "example.com", true), dmarc(authres.ResultPass, "reject")
		}), VerdictPass, "DMARC pass via aligned DKIM (d=example.com)"},
		{"DMARC fail under reject", with(func(f *verdictFacts) {
			f.SPF, f.DMARC = spf(authres.ResultFail, true), dmarc(authres.ResultFail, "reject")
		}), VerdictFail, "policy p=reject"},
		{"aligned SPF, no DMARC result", with(func(f *verdictFacts) { f.SPF = spf(authres.ResultPass, true) }), VerdictPass, "no DMARC result recorded"},
		{"aligned SPF, DMARC none", with(func(f *verdictFacts) {
			f.SPF, f.DMARC = spf(authres.ResultPass, true), dmarc(authres.ResultNone, "")
		}), VerdictPass, "no enforceable DMARC policy"},
		{"guessed SPF record", with(func(f *verdictFacts) { f.SPF = spf(authres.ResultBestGuessPass, true) }), VerdictWeak, "guessed"},
		{"third-party DKIM only", with(func(f *verdictFacts) { f.DKIM = dkim(authres.ResultPass, "esp.example.net", false) }), VerdictWeak, "nothing aligned"},
		{"nothing recorded", base, VerdictUnknown, "recorded no SPF, DKIM or DMARC"},
		{"nothing passed", with(func(f *verdictFacts) {
			f.SPF, f.DKIM = spf(authres.ResultSoftFail, true), dkim(authres.ResultFail, "example.com", true)
		}), VerdictFail, "neither SPF nor DKIM passed"},
		{"authors in several domains", with(func(f *verdictFacts) {
			f.DMARC, f.DKIM, f.OtherFrom = dmarc(authres.ResultPass, "none"), dkim(authres.ResultPass, "example.com", true), []string{"bank.example.org"}
		}), VerdictWeak, "bank.example.org"},
		{"Received-SPF only, aligned pass", with(func(f *verdictFacts) {
			f.Source, f.SPF = trust.KindReceivedSPF, spf(authres.ResultPass, true)
		}), VerdictPass, "in Received-SPF"},
		{"Received-SPF only, softfail", with(func(f *verdictFacts) {
			f.Source, f.SPF = trust.KindReceivedSPF, spf(authres.ResultSoftFail, true)
		}), VerdictUnknown, "DKIM and DMARC were not checked"},
		{"compauth fail is never milder", with(func(f *verdictFacts) {
			f.DKIM, f.Compauth = dkim(authres.ResultPass, "esp.example.net", false), &CompauthVerdict{Result: compauth.ResultFail, Reason: "601"}
		}), VerdictFail, "judged the sender spoofed"},
		{"compauth pass noted", with(func(f *verdictFacts) {
			f.DMARC, f.DKIM, f.Compauth = dmarc(authres.ResultPass, "none"), dkim(authres.ResultPass, "example.com", true), &CompauthVerdict{Result: compauth.ResultPass, Reason: "100"}
		}), VerdictPass, "compauth=pass (reason 100)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := decideVerdict(tc.facts)
			if v.Status != tc.want || !strings.Contains(v.Summary, tc.says) {
				t.Errorf("verdict %s: %q; want %s saying %q", v.Status, v.Summary, tc.want, tc.says)
			}
			if v.Basis != tc.facts.Receiver {
				t.Errorf("basis %q, want %q", v.Basis, tc.facts.Receiver)
			}
		})
	}
}
