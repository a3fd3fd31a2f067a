package dnstest

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/miekg/dns"
	"golang.org/x/net/idna"
)

// Default TTLs of a [Zone], in seconds.
const (
	DefaultTTL         uint32 = 300 // TTL of positive answers
	DefaultNegativeTTL uint32 = 300 // SOA MINIMUM sent with NXDOMAIN and NODATA answers
)

// AllTypes, given as the type of [Zone.SetTimeout] or [Zone.SetServFail],
// selects every type not explicitly listed at the name (the openspf test
// suite's TIMEOUT semantics). An empty type selects the whole name.
const AllTypes string = "*"

// maxCNAME bounds how many CNAME records a zone follows for one question.
const maxCNAME int = 8

// maxTXTString is the longest character-string on the wire.
// RFC 1035, section 3.3: a <character-string> is a length octet followed by
// at most 255 octets.
const maxTXTString int = 255

// Zone is in-memory DNS data keyed by owner name. Names are
// case-insensitive and may be given with or without the trailing dot; names
// with U-labels are stored in their A-label form. A name that is absent
// answers NXDOMAIN; a present name without the asked type answers NODATA.
//
// The zero Zone is empty and ready to use. A Zone is safe for concurrent use,
// so a test may change it while a [Server] serves it.
type Zone struct {
	mu     sync.RWMutex
	nodes  map[string]*node
	ttl    uint32 // 0 means DefaultTTL
	negTTL uint32 // 0 means DefaultNegativeTTL
}

// node is the data at one owner name.
type node struct {
	rrs        []dns.RR // records other than CNAME, wire-ready
	cname      string   // absolute target, or ""
	ttl        uint32   // 0 means the zone's TTL
	timeout    failSet
	servfail   failSet
	truncation bool // answer over UDP with TC=1 (server only)
}

// failSet selects the types that fail at a name.
type failSet struct {
	all      bool            // the whole name
	unlisted bool            // every type without records at the name
	types    map[uint16]bool // these types
}

// matches reports whether a question of type qt at n fails.
func (f *failSet) matches(n *node, qt uint16) bool {
	if f.all || f.types[qt] {
		return true
	}
	return f.unlisted && !n.lists(qt)
}

// set adds qtype ("" = whole name, AllTypes = unlisted types) to the set.
func (f *failSet) set(qtype string) error {
	switch qtype {
	case "":
		f.all = true
		return nil
	case AllTypes:
		f.unlisted = true
		return nil
	}
	t, err := parseType(qtype)
	if err != nil {
		return err
	}
	if f.types == nil {
		f.types = make(map[uint16]bool)
	}
	f.types[t] = true
	return nil
}

// lists reports whether the node explicitly lists records of type qt.
func (n *node) lists(qt uint16) bool {
	if qt == dns.TypeCNAME && n.cname != "" {
		return true
	}
	for _, rr := range n.rrs {
		if rr.Header().Rrtype == qt {
			return true
		}
	}
	return false
}

// NewZone returns an empty zone.
func NewZone() *Zone { return &Zone{} }

// Key returns the form under which a Zone stores name: lower case, without
// the trailing dot, U-labels converted to A-labels where possible.
func Key(name string) string {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			if a, err := idna.Lookup.ToASCII(name); err == nil {
				return strings.ToLower(a)
			}
			break
		}
	}
	return name
}

// parseType converts a type mnemonic such as "TXT" to its code.
func parseType(qtype string) (uint16, error) {
	t, ok := dns.StringToType[strings.ToUpper(qtype)]
	if !ok {
		return 0, fmt.Errorf("dnstest: unknown record type %q", qtype)
	}
	return t, nil
}

// nodeLocked returns the node for name, creating it. z.mu must be held.
func (z *Zone) nodeLocked(name string) *node {
	if z.nodes == nil {
		z.nodes = make(map[string]*node)
	}
	k := Key(name)
	n := z.nodes[k]
	if n == nil {
		n = &node{}
		z.nodes[k] = n
	}
	return n
}

// hdr returns a record header for name and type.
func hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: dns.Fqdn(Key(name)), Rrtype: t, Class: dns.ClassINET}
}

// add appends rr at name.
func (z *Zone) add(name string, rr dns.RR) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	n := z.nodeLocked(name)
	n.rrs = append(n.rrs, rr)
	return z
}

// AddName makes name exist without records, so that every question about it
// answers NODATA rather than NXDOMAIN.
func (z *Zone) AddName(name string) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.nodeLocked(name)
	return z
}

// AddTXT adds one TXT record made of the given character-strings. Strings
// are raw bytes (no zone-file escapes); a string longer than 255 octets is
// split into several, as a zone file must.
func (z *Zone) AddTXT(name string, strs ...string) *Zone {
	var parts []string
	for _, s := range strs {
		for len(s) > maxTXTString {
			parts = append(parts, escapeTXT(s[:maxTXTString]))
			s = s[maxTXTString:]
		}
		parts = append(parts, escapeTXT(s))
	}
	if parts == nil {
		parts = []string{""}
	}
	return z.add(name, &dns.TXT{Hdr: hdr(name, dns.TypeTXT), Txt: parts})
}

// AddA adds an A record. It panics if addr is not an IPv4 address: a
// mistake in the test itself.
func (z *Zone) AddA(name, addr string) *Zone {
	if err := z.addAddr(name, addr, false); err != nil {
		panic(err)
	}
	return z
}

// AddAAAA adds an AAAA record. It panics if addr is not an IPv6 address: a
// mistake in the test itself.
func (z *Zone) AddAAAA(name, addr string) *Zone {
	if err := z.addAddr(name, addr, true); err != nil {
		panic(err)
	}
	return z
}

// addAddr adds an A or AAAA record, checking the address family.
func (z *Zone) addAddr(name, addr string, v6 bool) error {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return fmt.Errorf("dnstest: %s: %w", name, err)
	}
	switch {
	case !v6 && ip.Is4():
		z.add(name, &dns.A{Hdr: hdr(name, dns.TypeA), A: ip.AsSlice()})
	case v6 && ip.Is6() && !ip.Is4In6():
		z.add(name, &dns.AAAA{Hdr: hdr(name, dns.TypeAAAA), AAAA: ip.AsSlice()})
	default:
		return fmt.Errorf("dnstest: %s: address %s of the wrong family", name, addr)
	}
	return nil
}

// AddMX adds an MX record with the given preference and exchange host.
func (z *Zone) AddMX(name string, pref uint16, host string) *Zone {
	return z.add(name, &dns.MX{Hdr: hdr(name, dns.TypeMX), Preference: pref, Mx: dns.Fqdn(Key(host))})
}

// AddPTR adds a PTR record. name is the reverse name (for example
// "4.3.2.1.in-addr.arpa"); see [ReverseName].
func (z *Zone) AddPTR(name, host string) *Zone {
	return z.add(name, &dns.PTR{Hdr: hdr(name, dns.TypePTR), Ptr: dns.Fqdn(Key(host))})
}

// AddReverse adds the PTR record mapping the address addr to host, under the
// in-addr.arpa or ip6.arpa name of addr. It panics if addr is not an IP
// address.
func (z *Zone) AddReverse(addr, host string) *Zone {
	name, err := ReverseName(addr)
	if err != nil {
		panic(err)
	}
	return z.AddPTR(name, host)
}

// ReverseName returns the in-addr.arpa or ip6.arpa name of an IP address.
func ReverseName(addr string) (string, error) {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return "", fmt.Errorf("dnstest: %w", err)
	}
	name, err := dns.ReverseAddr(ip.Unmap().String())
	if err != nil {
		return "", fmt.Errorf("dnstest: %w", err)
	}
	return Key(name), nil
}

// SetCNAME makes name an alias of target. Other records at name stay but are
// not served, as a CNAME cannot coexist with other data.
func (z *Zone) SetCNAME(name, target string) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.nodeLocked(name).cname = dns.Fqdn(Key(target))
	return z
}

// SetTimeout makes questions about name go unanswered: qtype "" selects the
// whole name, [AllTypes] every type without records at the name, anything
// else (such as "TXT") that one type. The fake [Resolver] then returns an
// error of class timeout at once; the [Server] drops the query. It panics on
// an unknown type.
func (z *Zone) SetTimeout(name, qtype string) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	if err := z.nodeLocked(name).timeout.set(qtype); err != nil {
		panic(err)
	}
	return z
}

// SetServFail makes questions about name answer SERVFAIL, selected as in
// [Zone.SetTimeout]. It panics on an unknown type.
func (z *Zone) SetServFail(name, qtype string) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	if err := z.nodeLocked(name).servfail.set(qtype); err != nil {
		panic(err)
	}
	return z
}

// SetTruncate makes a [Server] answer questions about name over UDP with
// the TC bit set and no records, so that clients retry over TCP
// (RFC 7766, section 5). The fake Resolver ignores it.
func (z *Zone) SetTruncate(name string) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.nodeLocked(name).truncation = true
	return z
}

// SetTTL sets the TTL of the records at name (0 restores the zone default).
func (z *Zone) SetTTL(name string, ttl uint32) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.nodeLocked(name).ttl = ttl
	return z
}

// SetDefaultTTL sets the TTL of records at names without their own (0
// restores [DefaultTTL]).
func (z *Zone) SetDefaultTTL(ttl uint32) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.ttl = ttl
	return z
}

// SetNegativeTTL sets the TTL and MINIMUM of the SOA record sent with
// NXDOMAIN and NODATA answers (0 restores [DefaultNegativeTTL]).
func (z *Zone) SetNegativeTTL(ttl uint32) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.negTTL = ttl
	return z
}

// Remove deletes name and everything at it, so it answers NXDOMAIN.
func (z *Zone) Remove(name string) *Zone {
	z.mu.Lock()
	defer z.mu.Unlock()
	delete(z.nodes, Key(name))
	return z
}

// Names returns the owner names in the zone, in their stored form.
func (z *Zone) Names() []string {
	z.mu.RLock()
	defer z.mu.RUnlock()
	names := make([]string, 0, len(z.nodes))
	for k := range z.nodes {
		names = append(names, k)
	}
	return names
}

// Clone returns an independent copy of the zone.
func (z *Zone) Clone() *Zone {
	z.mu.RLock()
	defer z.mu.RUnlock()
	c := &Zone{ttl: z.ttl, negTTL: z.negTTL, nodes: make(map[string]*node, len(z.nodes))}
	for k, n := range z.nodes {
		m := *n
		m.rrs = make([]dns.RR, len(n.rrs))
		for i, rr := range n.rrs {
			m.rrs[i] = dns.Copy(rr)
		}
		m.timeout = n.timeout.clone()
		m.servfail = n.servfail.clone()
		c.nodes[k] = &m
	}
	return c
}

// clone returns an independent copy of f.
func (f failSet) clone() failSet {
	c := f
	if f.types != nil {
		c.types = make(map[uint16]bool, len(f.types))
		for t, v := range f.types {
			c.types[t] = v
		}
	}
	return c
}

// outcome is how a zone answers one question.
type outcome int

// The outcomes of [Zone.resolve].
const (
	outcomeAnswer   outcome = iota // records, or NODATA when there are none
	outcomeNXDomain                // the (final) name does not exist
	outcomeServFail                // SERVFAIL
	outcomeTimeout                 // no answer at all
	outcomeLoop                    // the CNAME chain loops or is too long
)

// result is a zone's answer to one question, before transport concerns.
type result struct {
	outcome  outcome
	chain    []dns.RR // CNAME records followed, in order
	rrs      []dns.RR // records of the asked type at the final name
	final    string   // the final name, absolute
	truncate bool     // a name on the way asks for truncation
	negTTL   uint32
}

// Drops reports whether a [Server] leaves a question of type qtype about
// name unanswered (see [Zone.SetTimeout]), CNAMEs inside the zone
// followed. Tests use it to give only such questions a short timeout.
func (z *Zone) Drops(name string, qtype uint16) bool {
	return z.resolve(name, qtype).outcome == outcomeTimeout
}

// resolve answers a question about name, following CNAMEs inside the zone.
func (z *Zone) resolve(name string, qt uint16) result {
	z.mu.RLock()
	defer z.mu.RUnlock()
	res := result{final: dns.Fqdn(Key(name)), negTTL: z.negTTL}
	if res.negTTL == 0 {
		res.negTTL = DefaultNegativeTTL
	}
	seen := make(map[string]bool)
	for {
		k := Key(res.final)
		n := z.nodes[k]
		if n == nil {
			res.outcome = outcomeNXDomain
			return res
		}
		res.truncate = res.truncate || n.truncation
		switch {
		case n.timeout.matches(n, qt):
			res.outcome = outcomeTimeout
			return res
		case n.servfail.matches(n, qt):
			res.outcome = outcomeServFail
			return res
		}
		ttl := n.ttl
		if ttl == 0 {
			ttl = z.ttl
		}
		if ttl == 0 {
			ttl = DefaultTTL
		}
		if n.cname != "" && qt != dns.TypeCNAME {
			// RFC 1034, section 3.6.2: the server restarts the query at
			// the canonical name and includes the CNAME in the answer.
			seen[k] = true
			res.chain = append(res.chain, &dns.CNAME{Hdr: dns.RR_Header{Name: res.final, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: ttl}, Target: n.cname})
			res.final = n.cname
			if seen[Key(n.cname)] || len(res.chain) > maxCNAME {
				res.outcome = outcomeLoop
				return res
			}
			continue
		}
		if qt == dns.TypeCNAME && n.cname != "" {
			res.rrs = append(res.rrs, &dns.CNAME{Hdr: dns.RR_Header{Name: res.final, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: ttl}, Target: n.cname})
		}
		for _, rr := range n.rrs {
			if rr.Header().Rrtype == qt || qt == dns.TypeANY {
				c := dns.Copy(rr)
				c.Header().Ttl = ttl
				res.rrs = append(res.rrs, c)
			}
		}
		res.outcome = outcomeAnswer
		return res
	}
}

// escapeTXT converts raw bytes to the escaped form miekg/dns keeps in
// dns.TXT (quote, backslash and non-printable octets escaped).
func escapeTXT(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
