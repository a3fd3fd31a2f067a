package authlens

import (
	"context"
	"github.com/authlens/authlens/finding"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// loadZone reads an RFC 1035 master file from testdata into a test zone.
func loadZone(t *testing.T, path string) *dnstest.Zone {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := dnstest.NewZone()
	zp := dns.NewZoneParser(f, "", path)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		name := rr.Header().Name
		switch v := rr.(type) {
		case *dns.TXT:
			z.AddTXT(name, v.Txt...)
		case *dns.A:
			z.AddA(name, v.A.String())
		case *dns.MX:
			z.AddMX(name, v.Preference, v.Mx)
		}
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	return z
}

// analyzeOnline analyses a testdata message with a real DNS client
// talking to a loopback server that serves z.
func analyzeOnline(t *testing.T, file string, z *dnstest.Zone) *Report {
	t.Helper()
	return analyzeOnlineWith(t, file, z, dnsclient.Config{})
}

// analyzeOnlineWith is analyzeOnline with a client configured by cfg (its
// Servers are set to the loopback server).
func analyzeOnlineWith(t *testing.T, file string, z *dnstest.Zone, cfg dnsclient.Config) *Report {
	t.Helper()
	srv := dnstest.StartServer(t, z)
	cfg.Servers = []string{srv.Addr}
	c, err := dnsclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Analyze(context.Background(), f, Options{Resolver: c})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func evaluatedDKIM(r *Report) []string {
	var out []string
	for _, d := range r.DKIM {
		if d.Origin == OriginEvaluated {
			out = append(out, d.Selector+"="+string(d.Result))
		}
	}
	slices.Sort(out)
	return out
}

func TestOnlinePass(t *testing.T) {
	r := analyzeOnline(t, "online-signed.eml", loadZone(t, "testdata/online.zone"))
	s := r.SPFEvaluated
	if s == nil || s.Result != "pass" || !s.Aligned || s.ClientIP != "192.0.2.10" || s.ClientIPFrom != "received-spf" || !strings.Contains(s.Explanation, "ip4:192.0.2.0/24") {
		t.Errorf("spf_evaluated = %+v", s)
	}
	if got := evaluatedDKIM(r); !slices.Equal(got, []string{"ed2024=pass", "rsa2024=pass"}) {
		t.Errorf("evaluated dkim = %q", got)
	}
	d := r.DMARCEvaluated
	if d == nil || d.Result != "pass" || d.Policy != "quarantine" || d.PolicyDomain != "example.com" || d.Origin != OriginEvaluated {
		t.Errorf("dmarc_evaluated = %+v", d)
	}
	if len(r.DNS) == 0 || r.DNS[0].Type != "TXT" {
		t.Errorf("dns transcript = %+v", r.DNS)
	}
	for _, c := range []finding.Code{CodeSPFChanged, CodeDKIMChanged, CodeDMARCChanged} {
		if slices.Contains(codes(r), c) {
			t.Errorf("unexpected finding %s: %q", c, codes(r))
		}
	}
}

// TestOnlineChangedSinceDelivery: the domain changed its DNS after the
// receiver checked the message; each change is explained.
func TestOnlineChangedSinceDelivery(t *testing.T) {
	z := loadZone(t, "testdata/online.zone")
	z.Remove("example.com")
	z.AddTXT("example.com", "v=spf1 ip4:198.51.100.0/24 -all") // the sender's IP is no longer listed
	z.Remove("ed2024._domainkey.example.com")                  // a key was rotated away
	r := analyzeOnline(t, "online-signed.eml", z)
	if r.SPFEvaluated == nil || r.SPFEvaluated.Result != "fail" {
		t.Fatalf("spf_evaluated = %+v", r.SPFEvaluated)
	}
	if got := evaluatedDKIM(r); !slices.Equal(got, []string{"ed2024=permerror", "rsa2024=pass"}) {
		t.Errorf("evaluated dkim = %q", got)
	}
	if r.DMARCEvaluated == nil || r.DMARCEvaluated.Result != "pass" {
		t.Errorf("dmarc_evaluated = %+v (the RSA signature still aligns)", r.DMARCEvaluated)
	}
	for _, c := range []finding.Code{CodeSPFChanged, CodeDKIMChanged} {
		if !slices.Contains(codes(r), c) {
			t.Errorf("finding %s missing: %q", c, codes(r))
		}
	}
	// The recorded verdicts are kept as they were.
	if r.SPF.Result != "pass" || r.DMARC.Result != "pass" || r.Verdict.Status != VerdictPass {
		t.Errorf("recorded spf %+v dmarc %+v verdict %+v", r.SPF, r.DMARC, r.Verdict)
	}
}

// TestOnlineTemporaryFailure: DNS timeouts give temperror with a sentence
// saying so, never a hang, and never a finding that something changed: a
// check that could not run gave no other answer.
func TestOnlineTemporaryFailure(t *testing.T) {
	z := loadZone(t, "testdata/online.zone")
	z.SetTimeout("example.com", "TXT")
	z.SetTimeout("_dmarc.example.com", "")
	z.SetTimeout("ed2024._domainkey.example.com", "")
	z.SetServFail("rsa2024._domainkey.example.com", "")
	r := analyzeOnlineWith(t, "online-signed.eml", z, dnsclient.Config{Timeout: 200 * time.Millisecond, Tries: 1})
	if r.SPFEvaluated.Result != "temperror" || r.SPFEvaluated.Error == "" {
		t.Errorf("spf_evaluated %+v", r.SPFEvaluated)
	}
	if got := evaluatedDKIM(r); !slices.Equal(got, []string{"ed2024=temperror", "rsa2024=temperror"}) {
		t.Errorf("evaluated dkim = %q", got)
	}
	if r.DMARCEvaluated == nil || r.DMARCEvaluated.Result != "temperror" || r.DMARCEvaluated.Error == "" {
		t.Errorf("dmarc_evaluated = %+v", r.DMARCEvaluated)
	}
	noChange(t, r)
	if n := count(codes(r), CodeOnlineTempError); n != 1 {
		t.Errorf("%d %s findings, want 1: %q", n, CodeOnlineTempError, codes(r))
	}
}

// TestOnlineARCTemporaryFailure: an ARC chain whose sealer's key cannot be
// fetched is temperror, not a failed chain.
func TestOnlineARCTemporaryFailure(t *testing.T) {
	srv := dnstest.StartServer(t, dnstest.NewZone())
	srv.SetSilent(true)
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}, Timeout: 200 * time.Millisecond, Tries: 1})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/forwarded-arc.eml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := AnalyzeBytes(context.Background(), data, Options{Resolver: c})
	if err != nil {
		t.Fatal(err)
	}
	if r.ARC == nil || r.ARC.Result != "temperror" || r.ARC.Checked != "online" {
		t.Fatalf("arc = %+v", r.ARC)
	}
	noChange(t, r)
}

// noChange fails the test if r says something changed since delivery or
// that an ARC chain is broken.
func noChange(t *testing.T, r *Report) {
	t.Helper()
	for _, c := range []finding.Code{CodeSPFChanged, CodeDKIMChanged, CodeDMARCChanged, CodeDMARCModes, "arc-chain-broken"} {
		if slices.Contains(codes(r), c) {
			t.Errorf("finding %s after a temporary failure: %q", c, codes(r))
		}
	}
	if r.ARC != nil && r.ARC.Result == "fail" {
		t.Errorf("ARC chain fail after a temporary failure: %+v", r.ARC)
	}
}

func count[T comparable](list []T, s T) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestOnlineNoClientIP: with nothing recording the client's address, SPF
// is not guessed at.
func TestOnlineNoClientIP(t *testing.T) {
	msg := "From: a@example.com\r\nAuthentication-Results: mx.example.net; dkim=none\r\n\r\n"
	r, err := Analyze(context.Background(), strings.NewReader(msg), Options{Resolver: dnstest.NewZone().Resolver()})
	if err != nil {
		t.Fatal(err)
	}
	if r.SPFEvaluated != nil || !slices.Contains(codes(r), CodeNoClientIP) {
		t.Errorf("spf_evaluated %+v findings %q", r.SPFEvaluated, codes(r))
	}
}

func TestBodyIntact(t *testing.T) {
	for file, want := range map[string]bool{"gmail-dmarc-pass.eml": true, "list-footer.eml": false, "online-signed.eml": true} {
		r := analyzeFile(t, filepath.Join("testdata", file), Options{})
		if len(r.DKIM) == 0 || r.DKIM[0].BodyIntact == nil || *r.DKIM[0].BodyIntact != want {
			t.Errorf("%s: dkim %+v, want body_intact %v", file, r.DKIM, want)
		}
	}
}

// TestBodyCheckModes checks which messages each BodyCheckMode hashes: a
// recorded pass (gmail-dmarc-pass.eml) and a recorded fail (list-footer.eml).
func TestBodyCheckModes(t *testing.T) {
	tests := []struct {
		mode         BodyCheckMode
		pass, failed bool // body_intact reported
	}{
		{"", true, true},
		{BodyCheckAll, true, true},
		{BodyCheckFailed, false, true},
		{BodyCheckOff, false, false},
	}
	for _, tc := range tests {
		for file, want := range map[string]bool{"gmail-dmarc-pass.eml": tc.pass, "list-footer.eml": tc.failed} {
			r := analyzeFile(t, filepath.Join("testdata", file), Options{BodyCheck: tc.mode})
			if got := len(r.DKIM) > 0 && r.DKIM[0].BodyIntact != nil; got != want {
				t.Errorf("mode %q, %s: body checked %v, want %v", tc.mode, file, got, want)
			}
			if has := slices.Contains(codes(r), CodeDKIMBodyChanged); has != (want && file == "list-footer.eml") {
				t.Errorf("mode %q, %s: finding %s %v", tc.mode, file, CodeDKIMBodyChanged, has)
			}
		}
	}
	for _, s := range []string{"all", "FAILED", "off"} {
		if _, err := ParseBodyCheckMode(s); err != nil {
			t.Errorf("ParseBodyCheckMode(%q): %v", s, err)
		}
	}
	if _, err := ParseBodyCheckMode("some"); err == nil {
		t.Error("ParseBodyCheckMode accepted \"some\"")
	}
}

// TestOnlineModesDisagree: a From domain under a suffix the Public Suffix
// List does not know (".example"), whose registry publishes psd=y: the
// RFC 9989 tree walk finds the registry's policy, RFC 7489 finds none.
func TestOnlineModesDisagree(t *testing.T) {
	z := loadZone(t, "testdata/online.zone")
	msg := "Received-SPF: pass client-ip=192.0.2.10; envelope-from=\"a@mail.shop.example\"; helo=mail.shop.example;\r\n" +
		"Authentication-Results: mx.receiver.example; spf=pass smtp.mailfrom=a@mail.shop.example\r\n" +
		"From: a@mail.shop.example\r\n\r\n"
	z.AddTXT("mail.shop.example", "v=spf1 ip4:192.0.2.10 -all")
	z.AddTXT("_dmarc.example", "v=DMARC1; p=reject; psd=y")
	srv := dnstest.StartServer(t, z)
	c, _ := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}})
	r, err := Analyze(context.Background(), strings.NewReader(msg), Options{Resolver: c})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(codes(r), CodeDMARCModes) {
		t.Errorf("dmarc_evaluated %+v findings %q", r.DMARCEvaluated, codes(r))
	}
}
