package received

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authlens/authlens/finding"

	"github.com/authlens/authlens/internal/testshared"
)

func findingCodes(fs []finding.Finding) []finding.Code {
	var out []finding.Code
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func hasFinding(fs []finding.Finding, code finding.Code) bool {
	return slices.ContainsFunc(fs, func(f finding.Finding) bool { return f.Code == code })
}

// TestChainSamples reads every Received field of the shared samples:
// each hop must get a date and a "by", and the chain-level results are
// checked per sample.
func TestChainSamples(t *testing.T) {
	tests := []struct {
		file      string
		embedded  bool // read the message/rfc822 part instead
		hops      int
		org       string
		entry     int
		entryIP   string
		auth      bool
		authRoles []Role
		total     time.Duration
	}{
		{"arc-1.eml", false, 5, "google.com", 1, "217.146.67.33", false, nil, 3 * time.Second},
		{"arc-2.eml", false, 3, "kernel.org", 2, "141.138.168.70", true, []Role{RoleClientSubmission, RoleRelay}, 71 * time.Second},
		{"exchange-onprem-1.eml", false, 4, "triara.com", 2, "152.228.133.10", false, nil, 3 * time.Second},
		{"fastmail-1.eml", false, 5, "messagingengine.com", 0, "96.47.26.94", false, []Role{RoleLocalDelivery}, time.Second},
		{"gmail-2.eml", false, 3, "google.com", 1, "216.218.240.121", false, nil, time.Second},
		{"gmail-4.eml", false, 5, "google.com", 3, "40.92.74.29", false, nil, time.Second},
		{"microsoft-1.eml", false, 6, "outlook.com", 2, "185.132.181.12", false, nil, 4 * time.Second},
		{"microsoft-1.eml", true, 1, "jitbit.com", 0, "172.30.0.10", true, []Role{RoleClientSubmission}, 0},
		{"microsoft-3.eml", false, 5, "stalw.art", 3, "40.107.244.73", false, nil, 3 * time.Second},
	}
	for _, tc := range tests {
		name := tc.file
		if tc.embedded {
			name += "/embedded"
		}
		t.Run(name, func(t *testing.T) {
			msg := testshared.File(t, "samples/"+tc.file)
			if tc.embedded {
				msg = embeddedMessage(msg)
			}
			values := receivedValues(msg)
			c := ParseChain(values, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
			if len(c.Hops) != tc.hops {
				t.Fatalf("%d hops, want %d", len(c.Hops), tc.hops)
			}
			for i, st := range c.Hops {
				if st.Err != nil || st.Hop.Date.IsZero() || st.Hop.By == "" {
					t.Errorf("hop %d: by %q date %v err %v", i, st.Hop.By, st.Hop.Date, st.Err)
				}
			}
			// Delivery order: the last hop is the top-most field.
			if c.Hops[len(c.Hops)-1].Hop.Raw != values[0] {
				t.Error("hops are not in delivery order")
			}
			if c.ReceiverOrg != tc.org || c.Entry != tc.entry || c.EntryClientIP != tc.entryIP {
				t.Errorf("receiver %q entry %d ip %q, want %q %d %q", c.ReceiverOrg, c.Entry, c.EntryClientIP, tc.org, tc.entry, tc.entryIP)
			}
			if c.TotalDelay != tc.total {
				t.Errorf("total delay %v, want %v", c.TotalDelay, tc.total)
			}
			if c.Submission.Authenticated != tc.auth {
				t.Errorf("Submission.Authenticated = %v", c.Submission.Authenticated)
			}
			var roles []Role
			for _, h := range c.Submission.Hops {
				roles = append(roles, h.Role)
			}
			if !slices.Equal(roles, tc.authRoles) {
				t.Errorf("authenticated roles %v, want %v", roles, tc.authRoles)
			}
			for _, code := range []finding.Code{CodeFutureDate, CodeUnreadable, CodeMissingDate, CodeOutOfOrder} {
				if hasFinding(c.Findings, code) {
					t.Errorf("unexpected finding %s: %v", code, c.Findings)
				}
			}
			if _, err := json.Marshal(c); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("arc-2.eml/submission detail", func(t *testing.T) {
		c := ParseChain(receivedValues(testshared.File(t, "samples/arc-2.eml")), time.Now())
		first := c.Hops[0].Hop
		if first.With != "esmtpa" || first.HELO != "smtp" || first.ReverseDNS != "cust-178-250-146-69.breedbanddelft.nl" || first.IP != "178.250.146.69" {
			t.Errorf("first hop %+v", first)
		}
		if c.Hops[1].Hop.With != "ESMTPSA" || c.Hops[1].Hop.software() != "Halon" {
			t.Errorf("second hop %+v", c.Hops[1].Hop)
		}
		if !hasFinding(c.Findings, CodeAuthSubmission) || !hasFinding(c.Findings, CodeAuthRelay) {
			t.Errorf("findings %v", findingCodes(c.Findings))
		}
		// The Halon hop is stamped 6 s before the Exim hop: clock skew,
		// within tolerance, shown as a negative delay.
		if !c.Hops[1].DelayKnown || c.Hops[1].Delay != -6*time.Second {
			t.Errorf("delay %v", c.Hops[1].Delay)
		}
	})
	t.Run("microsoft-1.eml/embedded ESMTPA", func(t *testing.T) {
		c := ParseChain(receivedValues(embeddedMessage(testshared.File(t, "samples/microsoft-1.eml"))), time.Now())
		h := c.Hops[0].Hop
		if h.With != "ESMTPA" || !h.Authenticated() || h.ReverseDNS != "support.jitbit.com" || h.By != "hmail.jitbit.com" {
			t.Errorf("hop %+v", h)
		}
	})
	t.Run("exchange-onprem-1.eml/protocols", func(t *testing.T) {
		c := ParseChain(receivedValues(testshared.File(t, "samples/exchange-onprem-1.eml")), time.Now())
		if p := c.Hops[2].Hop.Protocol(); p != ProtocolESMTP {
			t.Errorf("ESMTP/TLS/… protocol = %q", p)
		}
		if p := c.Hops[3].Hop.Protocol(); p != ProtocolExchange {
			t.Errorf("Exchange protocol = %q", p)
		}
	})
}

func TestChainTestdata(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "submission-chain.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c := ParseChain(receivedValues(b), time.Date(2026, 3, 12, 12, 0, 0, 0, time.UTC))
	if c.ReceiverOrg != "example.org" || c.Entry != 1 || c.EntryClientIP != "198.51.100.10" {
		t.Errorf("entry %d %q %q", c.Entry, c.ReceiverOrg, c.EntryClientIP)
	}
	if !c.Submission.Authenticated || c.Submission.Hops[0].ClientIP != "203.0.113.45" || c.Submission.Hops[0].HELO != "User" {
		t.Errorf("submission %+v", c.Submission)
	}
	for _, code := range []finding.Code{CodeAuthSubmission, CodeHELOUser} {
		if !hasFinding(c.Findings, code) {
			t.Errorf("missing %s in %v", code, findingCodes(c.Findings))
		}
	}
	if c.TotalDelay != 2*time.Second {
		t.Errorf("total %v", c.TotalDelay)
	}
}

func TestChainFindings(t *testing.T) {
	now := time.Date(2026, 3, 12, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		values []string // top to bottom
		codes  []finding.Code
	}{
		{"out of order", []string{
			"from a.example.net ([192.0.2.1]) by mx.example.org with ESMTP; Thu, 12 Mar 2026 09:00:00 +0000",
			"from c.example ([192.0.2.9]) by a.example.net with ESMTP; Thu, 12 Mar 2026 09:30:00 +0000",
		}, []finding.Code{CodeOutOfOrder}},
		{"future", []string{
			"from a.example.net ([192.0.2.1]) by mx.example.org with ESMTP; Thu, 12 Mar 2026 14:00:00 +0000",
		}, []finding.Code{CodeFutureDate}},
		{"long delay", []string{
			"from a.example.net ([192.0.2.1]) by mx.example.org with ESMTP; Thu, 12 Mar 2026 11:00:00 +0000",
			"from c.example ([192.0.2.9]) by a.example.net with ESMTP; Wed, 11 Mar 2026 09:00:00 +0000",
		}, []finding.Code{CodeLongDelay}},
		{"missing date and garbage", []string{
			"from a.example.net ([192.0.2.1]) by mx.example.org with ESMTP id 5",
			"???",
		}, []finding.Code{CodeUnreadable, CodeMissingDate}},
		{"no public receiver", []string{
			"from a ([10.0.0.1]) by store.internal with LMTP; Thu, 12 Mar 2026 09:00:00 +0000",
		}, []finding.Code{CodeNoEntry}},
		{"none", nil, []finding.Code{CodeNoReceivedHeaders}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ParseChain(tc.values, now)
			got := findingCodes(c.Findings)
			for _, want := range tc.codes {
				if !slices.Contains(got, want) {
					t.Errorf("findings %v lack %s", got, want)
				}
			}
			for _, f := range c.Findings {
				if f.Message == "" || !strings.HasSuffix(f.Message, ".") {
					t.Errorf("finding %s message %q is not a sentence", f.Code, f.Message)
				}
			}
		})
	}
}

// TestInOrg holds the shortcut of inOrg to the Public Suffix List lookup
// it avoids.
func TestInOrg(t *testing.T) {
	names := []string{"mx.google.com", "MX.Google.COM.", "google.com", "notgoogle.com", "google.com.evil.net",
		"mail.example.co.uk", "co.uk", "example.co.uk", "", "localhost", "[192.0.2.1]", "192.0.2.1",
		"xn--mnchen-3ya.de", "mail.münchen.de", " mx.google.com ", "a.b.city.kawasaki.jp", "city.kawasaki.jp"}
	for _, org := range []string{"google.com", "example.co.uk", "xn--mnchen-3ya.de", "city.kawasaki.jp"} {
		for _, n := range names {
			if got, want := inOrg(n, org), publicOrg(n) == org; got != want {
				t.Errorf("inOrg(%q, %q) = %v, the lookup says %v", n, org, got, want)
			}
		}
	}
}
