package dnstest

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/dnsclient/dnsclienttest"
	"github.com/authlens/authlens/internal/dnswire"
)

// Query is one lookup seen by a [Resolver] or a [Server].
type Query struct {
	Type      string // record type mnemonic, such as "TXT"
	Name      string // owner name as stored by the zone (see [Key])
	Transport string // "udp" or "tcp" for a Server; "" for a Resolver
}

// String formats q as "TXT example.com".
func (q Query) String() string { return q.Type + " " + q.Name }

// Resolver is a fake resolver answering from a [Zone] without any network,
// with methods shaped like those of *net.Resolver. Errors come from
// [dnsclienttest.Error], so [dnsclient.Classify] tells NXDOMAIN, NODATA,
// SERVFAIL and timeout apart; a timeout is returned at once. CNAMEs are
// followed inside the zone (a loop is [dnsclient.ErrMalformed]). Each method
// returns the context's error if it is already done.
//
// Every question is logged (one entry per record type asked, whatever the
// CNAMEs followed), so tests can assert lookup counts and order. A Resolver
// is safe for concurrent use.
type Resolver struct {
	zone *Zone
	mu   sync.Mutex
	log  []Query
}

// Resolver returns a fake resolver answering from z. Later changes to z are
// seen by the resolver.
func (z *Zone) Resolver() *Resolver { return &Resolver{zone: z} }

// Zone returns the zone the resolver answers from.
func (r *Resolver) Zone() *Zone { return r.zone }

// Queries returns a copy of the log of questions asked so far.
func (r *Resolver) Queries() []Query {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Query(nil), r.log...)
}

// Count returns how many questions were asked so far.
func (r *Resolver) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

// Reset clears the query log.
func (r *Resolver) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = nil
}

// query logs and answers one question, turning failures into errors.
func (r *Resolver) query(ctx context.Context, name string, qt uint16) ([]dns.RR, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.log = append(r.log, Query{Type: dns.TypeToString[qt], Name: Key(name)})
	r.mu.Unlock()
	res := r.zone.resolve(name, qt)
	switch res.outcome {
	case outcomeNXDomain:
		return nil, dnsclienttest.Error(name, dnsclient.ErrNXDomain)
	case outcomeServFail:
		return nil, dnsclienttest.Error(name, dnsclient.ErrServFail)
	case outcomeTimeout:
		return nil, dnsclienttest.Error(name, dnsclient.ErrTimeout)
	case outcomeLoop:
		return nil, dnsclienttest.Error(name, dnsclient.ErrMalformed)
	}
	if len(res.rrs) == 0 {
		return nil, dnsclienttest.Error(name, dnsclient.ErrNoData)
	}
	return res.rrs, nil
}

// LookupTXT returns the TXT records of name, each record's character-strings
// concatenated, as *net.Resolver does.
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	rrs, err := r.query(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		var b strings.Builder
		for _, s := range rr.(*dns.TXT).Txt {
			b.WriteString(dnswire.Unescape(s))
		}
		out = append(out, b.String())
	}
	return out, nil
}

// LookupMX returns the MX records of name sorted by preference; hosts are
// absolute (trailing dot), as from *net.Resolver.
func (r *Resolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	rrs, err := r.query(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	out := make([]*net.MX, 0, len(rrs))
	for _, rr := range rrs {
		mx := rr.(*dns.MX)
		out = append(out, &net.MX{Host: mx.Mx, Pref: mx.Preference})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pref < out[j].Pref })
	return out, nil
}

// LookupNetIP returns the addresses of host: network "ip4" asks for A
// records, "ip6" for AAAA, "ip" for both.
func (r *Resolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	types, ok := dnswire.NetworkTypes(network)
	if !ok {
		return nil, fmt.Errorf("dnstest: unsupported network %q", network)
	}
	var addrs []netip.Addr
	var errs []error
	for _, t := range types {
		rrs, err := r.query(ctx, host, t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, rr := range rrs {
			switch rr := rr.(type) {
			case *dns.A:
				a, _ := netip.AddrFromSlice(rr.A.To4())
				addrs = append(addrs, a)
			case *dns.AAAA:
				a, _ := netip.AddrFromSlice(rr.AAAA)
				addrs = append(addrs, a)
			}
		}
	}
	if len(addrs) > 0 {
		return addrs, nil
	}
	return nil, dnsclienttest.CombineErrors(host, errs)
}

// LookupIPAddr returns the A and AAAA addresses of host.
func (r *Resolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	out := make([]net.IPAddr, len(addrs))
	for i, a := range addrs {
		out[i] = net.IPAddr{IP: a.AsSlice()}
	}
	return out, nil
}

// LookupHost returns the A and AAAA addresses of host as strings.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out, nil
}

// LookupAddr returns the names (absolute) that the PTR records under the
// reverse name of addr point to.
func (r *Resolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	name, err := ReverseName(addr)
	if err != nil {
		return nil, &net.DNSError{Err: "unrecognized address", Name: addr}
	}
	rrs, err := r.query(ctx, name, dns.TypePTR)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		out = append(out, rr.(*dns.PTR).Ptr)
	}
	return out, nil
}

// LookupCNAME returns the canonical name of host (absolute) after following
// CNAMEs; a name without CNAME is its own canonical name.
func (r *Resolver) LookupCNAME(ctx context.Context, host string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	r.mu.Lock()
	r.log = append(r.log, Query{Type: "CNAME", Name: Key(host)})
	r.mu.Unlock()
	res := r.zone.resolve(host, dns.TypeA)
	switch res.outcome {
	case outcomeNXDomain:
		if len(res.chain) == 0 {
			return "", dnsclienttest.Error(host, dnsclient.ErrNXDomain)
		}
	case outcomeServFail:
		return "", dnsclienttest.Error(host, dnsclient.ErrServFail)
	case outcomeTimeout:
		return "", dnsclienttest.Error(host, dnsclient.ErrTimeout)
	case outcomeLoop:
		return "", dnsclienttest.Error(host, dnsclient.ErrMalformed)
	}
	return res.final, nil
}
