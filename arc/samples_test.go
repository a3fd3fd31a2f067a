package arc

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/testshared"
)

// TestStalwartMessages runs the two ARC messages of stalwart's mail-auth
// over the loopback DNS server. 001 is a two-hop Google chain; 002 seals
// i=1 with ed25519-sha256, which this package fails by design (see the
// package documentation).
func TestStalwartMessages(t *testing.T) {
	dir := testshared.Dir(t, "conformance/arc/stalwart")
	tests := []struct {
		file       string
		status     Status
		reason     Reason
		failedInst int
		sentinel   error
	}{
		{"001.txt", StatusPass, ReasonPass, 0, nil},
		// RFC 8617, section 4.1.3 permits only rsa-sha256; dkimpy and
		// Mail::DKIM fail this message too, stalwart accepts it.
		{"002.txt", StatusFail, ReasonUnsupportedAlgorithm, 1, ErrUnsupportedAlgorithm},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			dns, msg, ok := strings.Cut(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n\n")
			if !ok {
				t.Fatalf("%s: no blank line after the DNS block", tc.file)
			}
			zone := dnstest.NewZone()
			sc := bufio.NewScanner(strings.NewReader(dns))
			for sc.Scan() {
				name, value, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
				if ok {
					zone.AddTXT(name, value)
				}
			}
			r := loopbackResolver(t, zone)
			res, err := Validate(context.Background(), r, strings.NewReader(crlf(msg)), Options{})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if res.Status != tc.status || res.Reason != tc.reason || res.FailedInstance != tc.failedInst {
				t.Fatalf("got %s/%s at i=%d (%v), want %s/%s at i=%d", res.Status, res.Reason, res.FailedInstance, res.Err, tc.status, tc.reason, tc.failedInst)
			}
			if tc.sentinel != nil && !errors.Is(res.Err, tc.sentinel) {
				t.Errorf("Err = %v, want %v", res.Err, tc.sentinel)
			}
			if tc.file == "002.txt" {
				// The rsa-sha256 newest hop is fine; only the ed25519
				// hop is refused.
				s2 := res.Sets[1]
				if !s2.AMSVerified || !s2.SealVerified || s2.Sealer != "manchego.org" {
					t.Errorf("i=2: %+v", s2)
				}
				if res.Sets[0].Sealer != "scamorza.org" || !errors.Is(res.Sets[0].SealErr, ErrUnsupportedAlgorithm) {
					t.Errorf("i=1: sealer %s, seal error %v", res.Sets[0].Sealer, res.Sets[0].SealErr)
				}
			}
			if tc.file == "001.txt" {
				for _, s := range res.Sets {
					if !s.SealVerified || s.Sealer != "google.com" {
						t.Errorf("i=%d: sealer %s, seal verified %v", s.Instance, s.Sealer, s.SealVerified)
					}
				}
			}
		})
	}
}

// wantSet is what one set of a shared sample must show, read from the file.
type wantSet struct {
	sealer     string
	cv         ChainValidation
	authServID string
	spf        authres.ResultValue
	mailFrom   string
	dkim       authres.ResultValue
	dkimD      []string
	dmarc      authres.ResultValue
	headerFrom string
	arc        authres.ResultValue
}

// TestSharedSamples validates the real messages with ARC sets offline:
// the structure, the recorded results of every hop and the AMS body hashes.
func TestSharedSamples(t *testing.T) {
	dir := testshared.Dir(t, "samples")
	tests := []struct {
		file string
		sets []wantSet
	}{
		{"gmail-2.eml", []wantSet{
			{"google.com", CVNone, "mx.google.com", "pass", "ocaml+verp-cdef9eaa098cd788943a4314c682b75a@discoursemail.com", "pass", []string{"discoursemail.com"}, "pass", "discoursemail.com", ""},
		}},
		{"gmail-4.eml", []wantSet{
			{"microsoft.com", CVNone, "mx.microsoft.com", "none", "", "none", nil, "none", "", "none"},
			{"google.com", CVPass, "mx.google.com", "pass", "testcpsf@outlook.com", "pass", []string{"outlook.com"}, "pass", "outlook.com", "pass"},
		}},
		{"arc-1.eml", []wantSet{
			{"google.com", CVNone, "mx.google.com", "pass", "andris@ekiri.ee", "pass", []string{"ekiri.ee"}, "", "", ""},
			{"google.com", CVPass, "mx.google.com", "neutral", "andris+caf_=andris.reinman=gmail.com@tr.ee", "pass", []string{"ekiri.ee"}, "", "", "pass"},
		}},
		{"arc-2.eml", []wantSet{
			{"webhostingserver.nl", CVNone, "webhostingserver.nl", "softfail", "gmail.com", "", nil, "skipped", "gmail.com", "none"},
			{"webhostingserver.nl", CVPass, "mailfilter02.webhostingserver.nl", "softfail", "gmail.com", "", nil, "fail", "gmail.com", "pass"},
			{"subspace.kernel.org", CVPass, "smtp.subspace.kernel.org", "fail", "gmail.com", "", nil, "fail", "gmail.com", "pass"},
		}},
		{"microsoft-3.eml", []wantSet{
			{"microsoft.com", CVNone, "mx.microsoft.com", "none", "", "none", nil, "none", "microsoft.com", "none"},
		}},
		{"fastmail-1.eml", []wantSet{
			{"messagingengine.com", CVNone, "mx3.messagingengine.com", "pass", "bounce-cn2-ZH_CNNAlerts_NDBAN10232023c161596b0-h-350b0c8b5e=2@response.emailalerts.cnn.com", "pass", []string{"emailalerts.cnn.com"}, "pass", "emailalerts.cnn.com", "none"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			res, err := Validate(context.Background(), nil, f, Options{Offline: true})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if res.Status != StatusPass || !res.Offline || res.OldestPass != 0 {
				t.Fatalf("status %s (%v), offline %v, oldest-pass %d", res.Status, res.Err, res.Offline, res.OldestPass)
			}
			if len(res.Sets) != len(tc.sets) {
				t.Fatalf("%d sets, want %d", len(res.Sets), len(tc.sets))
			}
			for i, w := range tc.sets {
				s := res.Sets[i]
				got := wantSet{s.Sealer, s.ChainValidation, s.Saw.AuthServID, s.Saw.SPF, s.Saw.MailFrom,
					s.Saw.DKIM, s.Saw.DKIMDomains, s.Saw.DMARC, s.Saw.HeaderFrom, s.Saw.ARC}
				if s.Instance != i+1 || !s.BodyIntact || s.SealVerified || s.AMSVerified {
					t.Errorf("i=%d: instance %d, body intact %v, seal verified %v, AMS verified %v (offline)", i+1, s.Instance, s.BodyIntact, s.SealVerified, s.AMSVerified)
				}
				if !equalWant(got, w) {
					t.Errorf("i=%d:\n got %+v\nwant %+v", i+1, got, w)
				}
			}
		})
	}
}

func equalWant(a, b wantSet) bool {
	return a.sealer == b.sealer && a.cv == b.cv && a.authServID == b.authServID &&
		a.spf == b.spf && a.mailFrom == b.mailFrom && a.dkim == b.dkim &&
		slices.Equal(a.dkimD, b.dkimD) && a.dmarc == b.dmarc &&
		a.headerFrom == b.headerFrom && a.arc == b.arc
}
