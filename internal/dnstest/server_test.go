package dnstest

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// exchange sends one question to srv over network and returns the answer.
func exchange(t *testing.T, srv *Server, network, name string, qt uint16) (*dns.Msg, error) {
	t.Helper()
	c := &dns.Client{Net: network, Timeout: 300 * time.Millisecond}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qt)
	m.SetEdns0(1232, false)
	r, _, err := c.Exchange(m, srv.Addr)
	return r, err
}

func TestServer(t *testing.T) {
	srv := StartServer(t, testZone())
	tests := []struct {
		name    string
		qname   string
		qt      uint16
		rcode   int
		answers int
		soa     bool
	}{
		{"txt", "example.com", dns.TypeTXT, dns.RcodeSuccess, 2, false},
		{"a", "EXAMPLE.com", dns.TypeA, dns.RcodeSuccess, 1, false},
		{"aaaa", "example.com", dns.TypeAAAA, dns.RcodeSuccess, 1, false},
		{"mx", "example.com", dns.TypeMX, dns.RcodeSuccess, 2, false},
		{"ptr", "1.2.0.192.in-addr.arpa", dns.TypePTR, dns.RcodeSuccess, 1, false},
		{"cname followed", "www.example.com", dns.TypeA, dns.RcodeSuccess, 2, false},
		{"cname asked", "www.example.com", dns.TypeCNAME, dns.RcodeSuccess, 1, false},
		{"nodata", "v4only.example", dns.TypeTXT, dns.RcodeSuccess, 0, true},
		{"nxdomain", "absent.example", dns.TypeTXT, dns.RcodeNameError, 0, true},
		{"servfail", "broken.example", dns.TypeTXT, dns.RcodeServerFailure, 0, false},
	}
	for _, tc := range tests {
		for _, network := range []string{TransportUDP, TransportTCP} {
			t.Run(tc.name+"/"+network, func(t *testing.T) {
				r, err := exchange(t, srv, network, tc.qname, tc.qt)
				if err != nil {
					t.Fatal(err)
				}
				if r.Rcode != tc.rcode || len(r.Answer) != tc.answers {
					t.Fatalf("Expected rcode %d with %d answers, got %d with %d:\n%v", tc.rcode, tc.answers, r.Rcode, len(r.Answer), r)
				}
				if !r.Authoritative {
					t.Error("Expected an authoritative answer")
				}
				hasSOA := len(r.Ns) == 1 && r.Ns[0].Header().Rrtype == dns.TypeSOA
				if hasSOA != tc.soa {
					t.Errorf("Expected SOA %v, got %v", tc.soa, r.Ns)
				}
			})
		}
	}
	if n := srv.Count(TransportTCP); n != len(tests) {
		t.Errorf("Expected %d TCP queries, got %d", len(tests), n)
	}
	if n := srv.Count(""); n != 2*len(tests) {
		t.Errorf("Expected %d queries, got %d", 2*len(tests), n)
	}
}

func TestServerTimeout(t *testing.T) {
	srv := StartServer(t, testZone())
	for _, network := range []string{TransportUDP, TransportTCP} {
		t.Run(network, func(t *testing.T) {
			if _, err := exchange(t, srv, network, "slow.example", dns.TypeTXT); err == nil {
				t.Fatal("Expected a timeout")
			}
		})
	}
}

func TestServerTruncation(t *testing.T) {
	z := NewZone().AddTXT("a.example", "short").AddTXT("big.example", strings.Repeat("x", 4096))
	srv := StartServer(t, z)
	tests := []struct {
		name, qname string
		setup       func()
	}{
		{"oversized", "big.example", func() {}},
		{"per name", "a.example", func() { z.SetTruncate("a.example") }},
		{"all", "a.example", func() { z.Remove("a.example").AddTXT("a.example", "short"); srv.SetTruncateAll(true) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			r, err := exchange(t, srv, TransportUDP, tc.qname, dns.TypeTXT)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Truncated {
				t.Fatal("Expected TC=1 over UDP")
			}
			r, err = exchange(t, srv, TransportTCP, tc.qname, dns.TypeTXT)
			if err != nil {
				t.Fatal(err)
			}
			if r.Truncated || len(r.Answer) != 1 {
				t.Fatalf("Expected the full answer over TCP, got %v", r)
			}
		})
	}
}

func TestServerChangesAndTTL(t *testing.T) {
	z := NewZone().AddTXT("a.example", "one").SetTTL("a.example", 5).SetNegativeTTL(7)
	srv := StartServer(t, z)
	r, err := exchange(t, srv, TransportUDP, "a.example", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if ttl := r.Answer[0].Header().Ttl; ttl != 5 {
		t.Errorf("Expected TTL 5, got %d", ttl)
	}
	srv.SetZone(NewZone().AddTXT("a.example", "two"))
	r, err = exchange(t, srv, TransportUDP, "a.example", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Answer[0].(*dns.TXT).Txt[0]; got != "two" {
		t.Errorf("Expected the new zone's record, got %q", got)
	}
	srv.Zone().SetNegativeTTL(7)
	r, err = exchange(t, srv, TransportUDP, "b.example", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := r.Ns[0].(*dns.SOA); !ok || s.Minttl != 7 || s.Hdr.Ttl != 7 {
		t.Errorf("Expected an SOA with TTL 7, got %v", r.Ns)
	}
	srv.Reset()
	if srv.Count("") != 0 {
		t.Error("Expected an empty log after Reset")
	}
}

func TestServerDelay(t *testing.T) {
	srv := StartServer(t, testZone())
	srv.SetDelay(50 * time.Millisecond)
	start := time.Now()
	if _, err := exchange(t, srv, TransportUDP, "example.com", dns.TypeA); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("Expected at least 50ms, got %v", d)
	}
	if q := srv.Queries(); len(q) != 1 || q[0] != (Query{Type: "A", Name: "example.com", Transport: TransportUDP}) {
		t.Errorf("Expected one logged query, got %v", q)
	}
}

// TestServerModes checks the failure modes of a real server: silence,
// refusing names outside a zone, and a header counting answers the message
// does not carry.
func TestServerModes(t *testing.T) {
	srv := StartServer(t, NewZone().AddTXT("a.example", "one").AddTXT("_dmarc.example", "x"))
	srv.SetSilent(true)
	if _, err := exchange(t, srv, TransportUDP, "a.example", dns.TypeTXT); err == nil {
		t.Error("Expected no answer from a silent server")
	}
	if srv.Count("") != 1 {
		t.Errorf("Expected the dropped query logged, got %d", srv.Count(""))
	}
	srv.SetSilent(false)

	for _, rcode := range []int{dns.RcodeRefused, dns.RcodeServerFailure} {
		srv.SetOutsideRcode("a.example", rcode)
		r, err := exchange(t, srv, TransportUDP, "_dmarc.example", dns.TypeTXT)
		if err != nil || r.Rcode != rcode || len(r.Answer) != 0 {
			t.Errorf("outside the zone: %v %v, want rcode %s", r, err, dns.RcodeToString[rcode])
		}
		r, err = exchange(t, srv, TransportUDP, "A.example", dns.TypeTXT)
		if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
			t.Errorf("inside the zone: %v %v", r, err)
		}
	}
	srv.SetOutsideRcode("", 0)

	srv.SetExtraAnswerCount(2)
	co, err := (&dns.Client{Timeout: time.Second}).Dial(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer co.Close()
	m := new(dns.Msg)
	m.SetQuestion("a.example.", dns.TypeTXT)
	if err := co.WriteMsg(m); err != nil {
		t.Fatal(err)
	}
	var h dns.Header
	raw, err := co.ReadMsgHeader(&h)
	if err != nil {
		t.Fatal(err)
	}
	var r dns.Msg
	_ = r.Unpack(raw)
	if h.Ancount != 3 || len(r.Answer) != 1 {
		t.Errorf("Expected a header claiming 3 answers over 1 carried, got ANCOUNT %d and %d answers", h.Ancount, len(r.Answer))
	}
}
