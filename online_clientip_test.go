package authlens

import (
	"context"
	"github.com/authlens/authlens/finding"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// clientIPZone publishes SPF for 192.0.2.0/24 and 2001:db8::/64 and a
// p=reject DMARC policy at example.com.
func clientIPZone() *dnstest.Zone {
	return dnstest.NewZone().
		AddTXT("example.com", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/64 -all").
		AddTXT("_dmarc.example.com", "v=DMARC1; p=reject")
}

// expectedDMARC evaluates the messages of TestOnlineClientIPInComment
// independently of the analysis: SPF passes exactly for the addresses of
// clientIPZone, the envelope and From domains are both example.com (so an
// SPF pass aligns), no message carries a DKIM signature, and the policy
// exists, so DMARC is pass when SPF passes and fail otherwise (RFC 7489,
// section 4.2).
func expectedDMARC(ip string) (spf, dmarc string) {
	a := netip.MustParseAddr(ip)
	if netip.MustParsePrefix("192.0.2.0/24").Contains(a) || netip.MustParsePrefix("2001:db8::/64").Contains(a) {
		return "pass", "pass"
	}
	return "fail", "fail"
}

// TestOnlineClientIPInComment: receivers that write the client address only
// in a comment of their Authentication-Results field, IPv4 or IPv6. The
// address is found, SPF re-checked for it, and DMARC agrees with an
// independent evaluation.
func TestOnlineClientIPInComment(t *testing.T) {
	srv := dnstest.StartServer(t, clientIPZone())
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, spf, ip string
	}{
		{"Microsoft sender IP is", "spf=pass (sender IP is 192.0.2.10) smtp.mailfrom=example.com", "192.0.2.10"},
		{"Google designates IPv6", "spf=pass (mx.receiver.example: domain of a@example.com designates 2001:db8::25 as permitted sender) smtp.mailfrom=a@example.com", "2001:db8::25"},
		{"client-ip= in a comment, IPv6", "spf=pass (client-ip=2001:db8::26; helo=mail.example.com; envelope-from=a@example.com) smtp.mailfrom=a@example.com", "2001:db8::26"},
		{"client-ip= in a comment, IPv4", "spf=pass (client-ip=192.0.2.11) smtp.mailfrom=a@example.com", "192.0.2.11"},
		{"bracketed IPv6 tag", "spf=pass (connecting host [IPv6:2001:db8::27]) smtp.mailfrom=a@example.com", "2001:db8::27"},
		{"address outside the record", "spf=pass (sender IP is 198.51.100.7) smtp.mailfrom=a@example.com", "198.51.100.7"},
		{"IPv6 outside the record", "spf=pass (client-ip=2001:db8:1::1) smtp.mailfrom=a@example.com", "2001:db8:1::1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := "Authentication-Results: mx.receiver.example; " + tc.spf + "; dmarc=pass header.from=example.com\r\n" +
				"Return-Path: <a@example.com>\r\nFrom: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"
			r, err := Analyze(context.Background(), strings.NewReader(msg), Options{Resolver: c})
			if err != nil {
				t.Fatal(err)
			}
			s := r.SPFEvaluated
			if s == nil || s.ClientIP != tc.ip || s.ClientIPFrom != "authentication-results" {
				t.Fatalf("spf_evaluated = %+v, want client %s from authentication-results", s, tc.ip)
			}
			wantSPF, wantDMARC := expectedDMARC(tc.ip)
			if string(s.Result) != wantSPF {
				t.Errorf("spf %s, want %s", s.Result, wantSPF)
			}
			if d := r.DMARCEvaluated; d == nil || string(d.Result) != wantDMARC || d.Policy != "reject" {
				t.Errorf("dmarc_evaluated = %+v, want %s under p=reject", d, wantDMARC)
			}
			if slices.Contains(codes(r), CodeNoClientIP) {
				t.Errorf("findings %q", codes(r))
			}
		})
	}
}

// TestOnlineDMARCWithoutClientIP: with no client address anywhere, SPF is
// not re-checked, and DMARC must not read that as an SPF failure. It uses
// the receiver's recorded SPF result and says so; with none recorded it is
// undetermined unless DKIM decides. Never a false dmarc-changed.
func TestOnlineDMARCWithoutClientIP(t *testing.T) {
	srv := dnstest.StartServer(t, clientIPZone())
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, ar, dmarc, reason string
	}{
		{"recorded SPF pass", "spf=pass smtp.mailfrom=a@example.com; dmarc=pass header.from=example.com", "pass", "recorded SPF pass"},
		{"recorded SPF fail", "spf=fail smtp.mailfrom=a@example.com; dmarc=fail header.from=example.com", "fail", "recorded SPF fail"},
		{"no SPF recorded", "dmarc=pass header.from=example.com", "temperror", spfUndetermined},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := "Authentication-Results: mx.receiver.example; " + tc.ar + "\r\n" +
				"Return-Path: <a@example.com>\r\nFrom: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"
			r, err := Analyze(context.Background(), strings.NewReader(msg), Options{Resolver: c})
			if err != nil {
				t.Fatal(err)
			}
			if r.SPFEvaluated != nil || !slices.Contains(codes(r), CodeNoClientIP) {
				t.Fatalf("spf_evaluated %+v findings %q", r.SPFEvaluated, codes(r))
			}
			d := r.DMARCEvaluated
			if d == nil || string(d.Result) != tc.dmarc || !strings.Contains(d.Reason, tc.reason) {
				t.Errorf("dmarc_evaluated = %+v, want %s saying %q", d, tc.dmarc, tc.reason)
			}
			for _, code := range []finding.Code{CodeDMARCChanged, CodeOnlineTempError} {
				if slices.Contains(codes(r), code) {
					t.Errorf("finding %s: %q", code, codes(r))
				}
			}
		})
	}
}

func TestParseClientIP(t *testing.T) {
	tests := map[string]string{
		"192.0.2.1": "192.0.2.1", "[192.0.2.1]": "192.0.2.1", "IPv6:2001:db8::1": "2001:db8::1",
		"[IPv6:2001:db8::1]": "2001:db8::1", "::ffff:192.0.2.1": "192.0.2.1", "192.0.2.1.": "192.0.2.1",
		"2001:db8::": "2001:db8::", "0.0.0.0": "", "::": "", "10:20:30": "", "fe80::1%eth0": "", "": "",
	}
	for in, want := range tests {
		ip, ok := parseClientIP(in)
		got := ""
		if ok {
			got = ip.String()
		}
		if got != want {
			t.Errorf("parseClientIP(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOnlineUncooperativeRoot: behind a server authoritative for
// example.com only, which answers REFUSED or SERVFAIL for every name above
// it, the RFC 9989 tree walk cannot ask _dmarc.com. The policy was found at
// the From domain and the passing identifiers are that domain itself, so
// the evaluation finishes — pass under p=quarantine, as RFC 7489's Public
// Suffix List discovery (which never asks above) gives independently —
// and the reason names the failed query.
func TestOnlineUncooperativeRoot(t *testing.T) {
	for _, rcode := range []int{dns.RcodeRefused, dns.RcodeServerFailure} {
		t.Run(dns.RcodeToString[rcode], func(t *testing.T) {
			srv := dnstest.StartServer(t, loadZone(t, "testdata/online.zone"))
			srv.SetOutsideRcode("example.com", rcode)
			c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}})
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile("testdata/online-signed.eml")
			if err != nil {
				t.Fatal(err)
			}
			r, err := AnalyzeBytes(context.Background(), data, Options{Resolver: c})
			if err != nil {
				t.Fatal(err)
			}
			r7489, err := AnalyzeBytes(context.Background(), data, Options{Resolver: c, DMARCMode: dmarc.Mode7489})
			if err != nil {
				t.Fatal(err)
			}
			d, want := r.DMARCEvaluated, r7489.DMARCEvaluated
			if d == nil || want == nil || d.Result != "pass" || d.Result != want.Result || d.Policy != want.Policy || d.PolicyDomain != want.PolicyDomain {
				t.Fatalf("RFC 9989 %+v, RFC 7489 %+v", d, want)
			}
			if !strings.Contains(d.Reason, "_dmarc.com") {
				t.Errorf("reason %q does not name the failed query", d.Reason)
			}
			for _, code := range []finding.Code{CodeDMARCChanged, CodeOnlineTempError, CodeDMARCModes} {
				if slices.Contains(codes(r), code) {
					t.Errorf("finding %s: %q", code, codes(r))
				}
			}
		})
	}
}

// TestOnlineLyingAnswerCount: replies whose header counts answers they do
// not carry are format errors, so the checks are temperror (never "no
// record": SPF none, DMARC none) and nothing is reported as changed.
func TestOnlineLyingAnswerCount(t *testing.T) {
	srv := dnstest.StartServer(t, loadZone(t, "testdata/online.zone"))
	srv.SetExtraAnswerCount(1)
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/online-signed.eml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := AnalyzeBytes(context.Background(), data, Options{Resolver: c})
	if err != nil {
		t.Fatal(err)
	}
	if r.SPFEvaluated == nil || r.SPFEvaluated.Result != "temperror" || !strings.Contains(r.SPFEvaluated.Error, "format error") {
		t.Errorf("spf_evaluated = %+v", r.SPFEvaluated)
	}
	if r.DMARCEvaluated == nil || r.DMARCEvaluated.Result != "temperror" {
		t.Errorf("dmarc_evaluated = %+v", r.DMARCEvaluated)
	}
	for _, code := range []finding.Code{CodeSPFChanged, CodeDKIMChanged, CodeDMARCChanged} {
		if slices.Contains(codes(r), code) {
			t.Errorf("finding %s: %q", code, codes(r))
		}
	}
}

// parseClientIPRef is parseClientIP without its shortcut for text that
// cannot be an address.
func parseClientIPRef(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), "[]<>")
	if len(s) > 5 && strings.EqualFold(s[:5], "ipv6:") {
		s = s[5:]
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		ip, err = netip.ParseAddr(strings.TrimRight(s, ".:]"))
	}
	if err != nil || ip.IsUnspecified() || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	return ip.Unmap(), true
}

// FuzzParseClientIP holds parseClientIP to netip.ParseAddr on every input.
func FuzzParseClientIP(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "[192.0.2.1]", "IPv6:2001:db8::1", "2001:db8::1.", "fe80::1%eth0",
		"::ffff:192.0.2.1", "mail.example.com", "192.0.2.1]:25", "0.0.0.0", "<2001:DB8::A>", "", "1.2.3.4%1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotOK := parseClientIP(s)
		want, wantOK := parseClientIPRef(s)
		if got != want || gotOK != wantOK {
			t.Fatalf("parseClientIP(%q) = %v, %v; netip says %v, %v", s, got, gotOK, want, wantOK)
		}
	})
}
