package dnsclient_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
)

// rawServer answers every DNS query on 127.0.0.1, over UDP and TCP, with
// bytes the test sets, so that a client meets replies no DNS server
// library would write.
type rawServer struct {
	addr string
	udp  net.PacketConn
	tcp  net.Listener

	mu           sync.Mutex
	reply        []byte
	withQuestion bool
}

// startRawServer starts a rawServer on a port free for both UDP and TCP;
// it stops when the test ends.
func startRawServer(tb testing.TB) *rawServer {
	tb.Helper()
	for range 20 {
		udp, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		tcp, err := net.Listen("tcp", udp.LocalAddr().String())
		if err != nil {
			udp.Close()
			continue
		}
		s := &rawServer{addr: udp.LocalAddr().String(), udp: udp, tcp: tcp}
		go s.serveUDP()
		go s.serveTCP()
		tb.Cleanup(func() {
			udp.Close()
			tcp.Close()
		})
		return s
	}
	tb.Fatal("no port free for both UDP and TCP on 127.0.0.1")
	return nil
}

// set makes the server answer with raw. With withQuestion, raw holds a
// header and the sections after the question, and the question asked is
// put between them; otherwise raw is the whole reply. The ID of the
// query is always copied in.
func (s *rawServer) set(raw []byte, withQuestion bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply, s.withQuestion = raw, withQuestion
}

func (s *rawServer) serveUDP() {
	buf := make([]byte, 65535)
	for {
		n, from, err := s.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		if out := s.answer(buf[:n]); out != nil {
			_, _ = s.udp.WriteTo(out, from)
		}
	}
}

func (s *rawServer) serveTCP() {
	for {
		c, err := s.tcp.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			for {
				var l [2]byte
				if _, err := io.ReadFull(c, l[:]); err != nil {
					return
				}
				q := make([]byte, binary.BigEndian.Uint16(l[:]))
				if _, err := io.ReadFull(c, q); err != nil {
					return
				}
				out := s.answer(q)
				if out == nil {
					return
				}
				out = out[:min(len(out), 65535)]
				if _, err := c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(out))), out...)); err != nil {
					return
				}
			}
		}()
	}
}

// answer builds the reply to the query q.
func (s *rawServer) answer(q []byte) []byte {
	s.mu.Lock()
	raw, withQ := s.reply, s.withQuestion
	s.mu.Unlock()
	return buildReply(q, raw, withQ)
}

// buildReply builds the reply to the query q from raw; see set.
func buildReply(q, raw []byte, withQuestion bool) []byte {
	if len(q) < 12 {
		return nil
	}
	out := make([]byte, 0, len(raw)+len(q))
	if withQuestion {
		ql := questionLen(q)
		if ql < 0 {
			return nil
		}
		var hdr [12]byte
		copy(hdr[:], raw)
		hdr[4], hdr[5] = 0, 1 // QDCOUNT
		out = append(out, hdr[:]...)
		out = append(out, q[12:12+ql]...)
		if len(raw) > 12 {
			out = append(out, raw[12:]...)
		}
	} else {
		out = append(out, raw...)
	}
	if len(out) >= 2 {
		out[0], out[1] = q[0], q[1]
	}
	return out
}

// questionLen returns the length of the one question of the message m,
// whose name is not compressed, or -1 (RFC 1035, section 4.1.2).
func questionLen(m []byte) int {
	for i := 12; i < len(m); {
		l := int(m[i])
		switch {
		case l == 0:
			if i+5 > len(m) {
				return -1
			}
			return i + 5 - 12
		case l&0xc0 != 0:
			return -1
		}
		i += 1 + l
	}
	return -1
}

// replyLookup is one way of asking, chosen by the fuzz input: the Query
// whose answer is checked, and the Lookup method that uses it.
type replyLookup struct {
	name   string
	qtype  uint16
	lookup func(context.Context, *dnsclient.Client) error
}

var replyLookups = []replyLookup{
	{"example.org.", dns.TypeTXT, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupTXT(ctx, "example.org")
		return err
	}},
	{"example.org.", dns.TypeMX, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupMX(ctx, "example.org")
		return err
	}},
	{"example.org.", dns.TypeA, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupNetIP(ctx, "ip4", "example.org")
		return err
	}},
	{"example.org.", dns.TypeAAAA, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupNetIP(ctx, "ip6", "example.org")
		return err
	}},
	{"1.2.0.192.in-addr.arpa.", dns.TypePTR, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupAddr(ctx, "192.0.2.1")
		return err
	}},
	{"example.org.", dns.TypeA, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupCNAME(ctx, "example.org")
		return err
	}},
	{"example.org.", dns.TypeA, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupHost(ctx, "example.org")
		return err
	}},
	{"example.org.", dns.TypeA, func(ctx context.Context, c *dnsclient.Client) error {
		_, err := c.LookupIPAddr(ctx, "example.org")
		return err
	}},
}

// replySeeds returns replies to each of replyLookups' questions: records,
// CNAME chains, NXDOMAIN, NODATA, failures and truncation.
func replySeeds(tb testing.TB) (seeds []struct {
	mode byte
	raw  []byte
}) {
	rr := func(s string) dns.RR {
		r, err := dns.NewRR(s)
		if err != nil {
			tb.Fatal(err)
		}
		return r
	}
	soa := rr("example.org. 300 IN SOA ns.example.org. hm.example.org. 1 7200 900 1209600 600")
	for sel, l := range replyLookups {
		var records []dns.RR
		switch l.qtype {
		case dns.TypeTXT:
			records = []dns.RR{rr(`example.org. 300 IN TXT "v=spf1 " "-all"`), rr(`example.org. 60 IN TXT "x\000y"`)}
		case dns.TypeMX:
			records = []dns.RR{rr("example.org. 300 IN MX 20 mx2.example.org."), rr("example.org. 300 IN MX 10 mx1.example.org.")}
		case dns.TypeA:
			records = []dns.RR{rr("example.org. 300 IN A 192.0.2.1")}
		case dns.TypeAAAA:
			records = []dns.RR{rr("example.org. 300 IN AAAA 2001:db8::1")}
		case dns.TypePTR:
			records = []dns.RR{rr("1.2.0.192.in-addr.arpa. 300 IN PTR host.example.org.")}
		}
		cname := rr(l.name + " 300 IN CNAME alias.example.net.")
		target := dns.Copy(records[0])
		target.Header().Name = "alias.example.net."
		for _, m := range []struct {
			rcode    int
			tc       bool
			answer   []dns.RR
			ns       []dns.RR
			question string
		}{
			{rcode: dns.RcodeSuccess, answer: records},
			{rcode: dns.RcodeSuccess, answer: []dns.RR{cname, target}},
			{rcode: dns.RcodeSuccess, answer: []dns.RR{cname}},
			{rcode: dns.RcodeNameError, ns: []dns.RR{soa}},
			{rcode: dns.RcodeSuccess, ns: []dns.RR{soa}},
			{rcode: dns.RcodeServerFailure},
			{rcode: dns.RcodeRefused},
			{rcode: dns.RcodeFormatError},
			{rcode: dns.RcodeSuccess, tc: true},
			{rcode: dns.RcodeSuccess, answer: records, question: "other.example."},
		} {
			q := l.name
			if m.question != "" {
				q = m.question
			}
			msg := new(dns.Msg)
			msg.SetQuestion(q, l.qtype)
			msg.Response, msg.RecursionAvailable, msg.Rcode, msg.Truncated = true, true, m.rcode, m.tc
			msg.Answer, msg.Ns = m.answer, m.ns
			msg.SetEdns0(1232, false)
			b, err := msg.Pack()
			if err != nil {
				tb.Fatal(err)
			}
			seeds = append(seeds, struct {
				mode byte
				raw  []byte
			}{byte(sel << 1), b})
			if ql := questionLen(b); ql > 0 && m.question == "" {
				noQ := append(append([]byte(nil), b[:12]...), b[12+ql:]...)
				seeds = append(seeds, struct {
					mode byte
					raw  []byte
				}{byte(sel<<1 | 1), noQ})
			}
		}
	}
	return seeds
}

// FuzzReply feeds arbitrary DNS replies, over a real UDP and TCP exchange
// on the loopback interface, to the client's answer handling: it never
// panics or hangs; an answer without error holds only records of the
// type asked at its canonical name, never more than the reply's answer
// section; NXDOMAIN and NODATA answers agree with their errors; an
// unreadable reply is an error without answer; and every Lookup method
// returns.
func FuzzReply(f *testing.F) {
	for _, s := range replySeeds(f) {
		f.Add(s.mode, s.raw)
	}
	srv := startRawServer(f)
	f.Fuzz(func(t *testing.T, mode byte, raw []byte) {
		if len(raw) > 8192 {
			return
		}
		defer watchdog(10 * time.Second)()
		l := replyLookups[int(mode>>1)%len(replyLookups)]
		withQ := mode&1 == 1
		srv.set(raw, withQ)
		c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.addr}, Timeout: time.Second, Tries: 1, CacheSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		ans, err := c.Query(ctx, l.name, l.qtype)

		// The reply the first exchange gets, as the client reads it.
		query := new(dns.Msg)
		query.SetQuestion(l.name, l.qtype)
		query.SetEdns0(dnsclient.DefaultUDPSize, false)
		qb, perr := query.Pack()
		if perr != nil {
			t.Fatal(perr)
		}
		ref := new(dns.Msg)
		refOK := ref.Unpack(buildReply(qb, raw, withQ)) == nil

		class := dnsclient.Classify(err)
		switch {
		case !refOK && (ans != nil || err == nil):
			t.Fatalf("unreadable reply: answer %+v, error %v", ans, err)
		case err == nil && (ans == nil || ans.Class != dnsclient.ClassOK || len(ans.Records) == 0):
			t.Fatalf("no error but answer %+v", ans)
		case err != nil && ans != nil && (ans.Class != class || (class != dnsclient.ClassNXDomain && class != dnsclient.ClassNoData)):
			t.Fatalf("answer class %s with error %v (class %s)", ans.Class, err, class)
		case err != nil && class == dnsclient.ClassOK:
			t.Fatalf("error %v of class ok", err)
		}
		if ans != nil {
			if ans.TTL < 0 || len(ans.CNAMEs) > dnsclient.DefaultMaxCNAME {
				t.Fatalf("TTL %v, %d CNAMEs", ans.TTL, len(ans.CNAMEs))
			}
			if len(ans.Records) > len(ref.Answer) {
				t.Fatalf("%d records from a reply with %d answers", len(ans.Records), len(ref.Answer))
			}
			for _, rr := range ans.Records {
				if h := rr.Header(); h.Rrtype != l.qtype || h.Class != dns.ClassINET || dns.CanonicalName(h.Name) != ans.Canonical {
					t.Fatalf("record %v is not of the type asked at %s", rr, ans.Canonical)
				}
			}
		}
		_ = l.lookup(ctx, c)
	})
}

// TestRawServer checks the fuzz server itself: a reply built around the
// question asked reaches the client.
func TestRawServer(t *testing.T) {
	srv := startRawServer(t)
	msg := new(dns.Msg)
	msg.SetQuestion("example.org.", dns.TypeTXT)
	msg.Response = true
	msg.Answer = []dns.RR{&dns.TXT{Hdr: dns.RR_Header{Name: "example.org.", Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{"hello"}}}
	b, err := msg.Pack()
	if err != nil {
		t.Fatal(err)
	}
	for _, withQ := range []bool{false, true} {
		raw := b
		if withQ {
			ql := questionLen(b)
			raw = append(append([]byte(nil), b[:12]...), b[12+ql:]...)
		}
		for _, truncated := range []bool{false, true} {
			r := append([]byte(nil), raw...)
			if truncated {
				r[2] |= 0x02 // TC: the client asks again over TCP
			}
			srv.set(r, withQ)
			c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.addr}, Timeout: time.Second, Tries: 1, CacheSize: -1})
			if err != nil {
				t.Fatal(err)
			}
			txt, err := c.LookupTXT(context.Background(), "example.org")
			if err != nil || len(txt) != 1 || txt[0] != "hello" {
				t.Fatalf("question kept %v, truncated %v: %q, %v", withQ, truncated, txt, err)
			}
		}
	}
	if got := fmt.Sprint(questionLen([]byte{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12})); got != "-1" {
		t.Fatalf("questionLen of a compressed name = %s", got)
	}
}
