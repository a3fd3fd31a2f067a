package dnstest

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/internal/dnswire"
)

// Transports a [Server] listens on.
const (
	TransportUDP string = "udp"
	TransportTCP string = "tcp"
)

// Server is an authoritative DNS server on 127.0.0.1 serving a [Zone] over
// UDP and TCP on the same random port ([RFC 1035], section 4.2). It answers
// NOERROR with records (and the CNAMEs followed), NOERROR without records
// (NODATA) or NXDOMAIN with an SOA record giving the negative TTL
// ([RFC 2308], section 3), SERVFAIL where the zone says so, and drops
// queries the zone marks as timing out. Failure modes for whole runs: it can
// go silent ([Server.SetSilent]), answer REFUSED or SERVFAIL for every name
// outside a zone as an authoritative-only server does
// ([Server.SetOutsideRcode]), or send replies whose header counts records
// they do not carry ([Server.SetExtraAnswerCount]). A Server is safe for
// concurrent use; the zone may be changed or replaced while it runs.
//
// [RFC 1035]: https://www.rfc-editor.org/rfc/rfc1035
// [RFC 2308]: https://www.rfc-editor.org/rfc/rfc2308
type Server struct {
	// Addr is the "127.0.0.1:port" address both transports listen on.
	Addr string

	udp, tcp *dns.Server
	stop     chan struct{}

	mu       sync.Mutex
	zone     *Zone
	truncAll bool
	delay    time.Duration
	silent   bool
	apex     string // when set, questions outside it get outRcode
	outRcode int
	extraAn  uint16 // answers claimed in the header beyond those carried
	log      []Query
}

// StartServer starts a Server for z on a random loopback port and stops it
// when the test ends. It fails the test if the server cannot start.
func StartServer(tb testing.TB, z *Zone) *Server {
	tb.Helper()
	s := &Server{zone: z, stop: make(chan struct{})}
	pc, ln, err := listenPair()
	if err != nil {
		tb.Fatalf("dnstest: %v", err)
	}
	s.Addr = pc.LocalAddr().String()
	h := dns.HandlerFunc(s.serve)
	var started sync.WaitGroup
	started.Add(2)
	s.udp = &dns.Server{PacketConn: pc, Handler: h, NotifyStartedFunc: started.Done}
	s.tcp = &dns.Server{Listener: ln, Handler: h, NotifyStartedFunc: started.Done}
	go func() { _ = s.udp.ActivateAndServe() }()
	go func() { _ = s.tcp.ActivateAndServe() }()
	started.Wait()
	tb.Cleanup(s.close)
	return s
}

// listenPair opens a UDP socket on a random loopback port and a TCP listener
// on the same port. The kernel picks the UDP port without regard to TCP, so
// another process may already hold that TCP port: then both are closed and a
// new pair is tried, a bounded number of times.
func listenPair() (net.PacketConn, net.Listener, error) {
	const tries = 20
	var lastErr error
	for range tries {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("listen udp: %w", err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, ln, nil
		}
		pc.Close()
		lastErr = err
	}
	return nil, nil, fmt.Errorf("no loopback port free for both UDP and TCP after %d tries: %w", tries, lastErr)
}

// close stops both transports.
func (s *Server) close() {
	close(s.stop)
	_ = s.udp.Shutdown()
	_ = s.tcp.Shutdown()
}

// Zone returns the zone being served.
func (s *Server) Zone() *Zone {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.zone
}

// SetZone replaces the zone being served.
func (s *Server) SetZone(z *Zone) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zone = z
}

// SetTruncateAll makes every UDP answer truncated (TC=1, no records), so that
// clients must retry over TCP; see also [Zone.SetTruncate].
func (s *Server) SetTruncateAll(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.truncAll = on
}

// SetDelay makes the server wait d before answering each query, so that
// tests can overlap concurrent queries or cancel one in flight.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetSilent makes the server drop every query unanswered, as a resolver
// that is down or firewalled does: clients time out. Queries are still
// logged.
func (s *Server) SetSilent(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.silent = on
}

// SetOutsideRcode makes the server answer every question about a name that
// is not apex or below it with rcode (such as dns.RcodeRefused or
// dns.RcodeServerFailure) and no records, as an authoritative-only server
// does for names it does not serve. An empty apex turns this off.
func (s *Server) SetOutsideRcode(apex string, rcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apex, s.outRcode = Key(apex), rcode
}

// SetExtraAnswerCount makes every answer's header claim n more answer
// records than the message carries (RFC 1035, section 4.1.1: ANCOUNT), a
// malformed reply clients must reject.
func (s *Server) SetExtraAnswerCount(n uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extraAn = n
}

// Queries returns a copy of the log of queries received, in order.
func (s *Server) Queries() []Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Query(nil), s.log...)
}

// Count returns how many queries arrived over transport ([TransportUDP] or
// [TransportTCP]; "" counts both).
func (s *Server) Count(transport string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.log {
		if transport == "" || q.Transport == transport {
			n++
		}
	}
	return n
}

// Reset clears the query log.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// serve answers one query.
func (s *Server) serve(w dns.ResponseWriter, req *dns.Msg) {
	transport := TransportUDP
	if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
		transport = TransportTCP
	}
	if len(req.Question) != 1 || req.Opcode != dns.OpcodeQuery {
		m := new(dns.Msg)
		m.SetRcode(req, dns.RcodeFormatError)
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	s.mu.Lock()
	s.log = append(s.log, Query{Type: dns.TypeToString[q.Qtype], Name: Key(dnswire.Unescape(q.Name)), Transport: transport})
	z, truncAll, delay, silent := s.zone, s.truncAll, s.delay, s.silent
	apex, outRcode, extraAn := s.apex, s.outRcode, s.extraAn
	s.mu.Unlock()
	if silent {
		return // dropped: the client times out
	}

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-s.stop:
			t.Stop()
			return
		}
	}

	name := dnswire.Unescape(q.Name)
	if apex != "" && !inZone(Key(name), apex) {
		m := new(dns.Msg)
		m.SetReply(req)
		m.RecursionAvailable = false
		m.Rcode = outRcode
		_ = w.WriteMsg(m)
		return
	}
	res := z.resolve(name, q.Qtype)
	if res.outcome == outcomeTimeout {
		return // dropped: the client times out
	}
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	if transport == TransportUDP && (truncAll || res.truncate) {
		// RFC 7766, section 5: a truncated UDP answer sends the client
		// to TCP.
		m.Truncated = true
		_ = w.WriteMsg(m)
		return
	}
	switch res.outcome {
	case outcomeServFail:
		m.Rcode = dns.RcodeServerFailure
		_ = w.WriteMsg(m)
		return
	case outcomeNXDomain:
		m.Rcode = dns.RcodeNameError
	}
	m.Answer = append(m.Answer, res.chain...)
	m.Answer = append(m.Answer, res.rrs...)
	if res.outcome == outcomeNXDomain || (res.outcome == outcomeAnswer && len(res.rrs) == 0) {
		// RFC 2308, section 3: negative answers carry the zone's SOA,
		// whose MINIMUM and TTL bound how long they may be cached.
		m.Ns = append(m.Ns, soa(res.final, res.negTTL))
	}
	if opt := req.IsEdns0(); opt != nil {
		m.SetEdns0(opt.UDPSize(), false)
	}
	if transport == TransportUDP {
		size := dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil && int(opt.UDPSize()) > size {
			size = int(opt.UDPSize())
		}
		// RFC 1035, section 4.2.1: UDP messages are limited in size;
		// longer answers are truncated with TC set.
		m.Truncate(size)
	}
	if extraAn > 0 {
		writeLying(w, m, extraAn)
		return
	}
	_ = w.WriteMsg(m)
}

// writeLying writes m with its ANCOUNT raised by extra.
func writeLying(w dns.ResponseWriter, m *dns.Msg, extra uint16) {
	buf, err := m.Pack()
	if err != nil || len(buf) < 12 {
		return
	}
	// RFC 1035, section 4.1.1: ANCOUNT is the header's octets 6 and 7.
	an := uint16(buf[6])<<8 | uint16(buf[7]) + extra
	buf[6], buf[7] = byte(an>>8), byte(an)
	_, _ = w.Write(buf)
}

// inZone reports whether name (a Key) is apex or below it.
func inZone(name, apex string) bool {
	return name == apex || strings.HasSuffix(name, "."+apex)
}

// soa returns an SOA record for the zone apex above name (its last label),
// with TTL and MINIMUM set to ttl.
func soa(name string, ttl uint32) dns.RR {
	apex := "."
	labels := dns.SplitDomainName(name)
	if len(labels) > 0 {
		apex = dns.Fqdn(strings.ToLower(labels[len(labels)-1]))
	}
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: apex, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: ttl},
		Ns:      dns.Fqdn("ns." + strings.TrimSuffix(apex, ".")),
		Mbox:    dns.Fqdn("hostmaster." + strings.TrimSuffix(apex, ".")),
		Serial:  1,
		Refresh: 3600,
		Retry:   600,
		Expire:  86400,
		Minttl:  ttl,
	}
}
