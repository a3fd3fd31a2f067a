package dnsclient

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/internal/dnswire"
)

// querier is what the Lookup methods are built on: [Client] and
// [ZoneResolver] both implement it.
type querier interface {
	Query(ctx context.Context, name string, qtype uint16) (*Answer, error)
}

// lookupTXT returns the TXT records of name, each record's
// character-strings concatenated, as *net.Resolver does.
func lookupTXT(ctx context.Context, q querier, name string) ([]string, error) {
	ans, err := q.Query(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ans.Records))
	for _, rr := range ans.Records {
		out = append(out, ans.forms(rr.(*dns.TXT)).value)
	}
	return out, nil
}

// lookupMX returns the MX records of name sorted by preference, hosts
// absolute.
func lookupMX(ctx context.Context, q querier, name string) ([]*net.MX, error) {
	ans, err := q.Query(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	out := make([]*net.MX, 0, len(ans.Records))
	for _, rr := range ans.Records {
		mx := rr.(*dns.MX)
		out = append(out, &net.MX{Host: mx.Mx, Pref: mx.Preference})
	}
	slices.SortStableFunc(out, func(a, b *net.MX) int { return int(a.Pref) - int(b.Pref) })
	return out, nil
}

// lookupNetIP returns the addresses of host for network "ip4" (A), "ip6"
// (AAAA) or "ip" (A then AAAA). As with *net.Resolver, addresses of one type
// are returned even if the other type's query failed.
func lookupNetIP(ctx context.Context, q querier, network, host string) ([]netip.Addr, error) {
	types, ok := dnswire.NetworkTypes(network)
	if !ok {
		return nil, newError(host, "", fmt.Errorf("%w: unsupported network %q", ErrMalformed, network))
	}
	var addrs []netip.Addr
	var errs []error
	for _, t := range types {
		ans, err := q.Query(ctx, host, t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, rr := range ans.Records {
			switch rr := rr.(type) {
			case *dns.A:
				if a, ok := netip.AddrFromSlice(rr.A.To4()); ok {
					addrs = append(addrs, a)
				}
			case *dns.AAAA:
				if a, ok := netip.AddrFromSlice(rr.AAAA.To16()); ok {
					addrs = append(addrs, a)
				}
			}
		}
	}
	if len(addrs) > 0 {
		return addrs, nil
	}
	return nil, combineErrors(host, errs)
}

// lookupIPAddr returns the A and AAAA addresses of host.
func lookupIPAddr(ctx context.Context, q querier, host string) ([]net.IPAddr, error) {
	addrs, err := lookupNetIP(ctx, q, "ip", host)
	if err != nil {
		return nil, err
	}
	out := make([]net.IPAddr, len(addrs))
	for i, a := range addrs {
		out[i] = net.IPAddr{IP: a.AsSlice(), Zone: a.Zone()}
	}
	return out, nil
}

// lookupHost returns the A and AAAA addresses of host as strings.
func lookupHost(ctx context.Context, q querier, host string) ([]string, error) {
	addrs, err := lookupNetIP(ctx, q, "ip", host)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out, nil
}

// lookupAddr returns the host names (absolute) of the PTR records under the
// reverse name of addr.
func lookupAddr(ctx context.Context, q querier, addr string) ([]string, error) {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return nil, newError(addr, "", fmt.Errorf("%w: %q is not an IP address", ErrMalformed, addr))
	}
	// RFC 1035, section 3.5 (IPv4) and RFC 3596, section 2.5 (IPv6):
	// reverse names under in-addr.arpa and ip6.arpa.
	name, err := dns.ReverseAddr(ip.Unmap().WithZone("").String())
	if err != nil {
		return nil, newError(addr, "", fmt.Errorf("%w: %w", ErrMalformed, err))
	}
	ans, err := q.Query(ctx, name, dns.TypePTR)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ans.Records))
	for _, rr := range ans.Records {
		out = append(out, rr.(*dns.PTR).Ptr)
	}
	return out, nil
}

// lookupCNAME returns the canonical name of host after following CNAMEs,
// as *net.Resolver does (it asks for A records).
func lookupCNAME(ctx context.Context, q querier, host string) (string, error) {
	ans, err := q.Query(ctx, host, dns.TypeA)
	if ans != nil && (err == nil || Classify(err) == ClassNoData || len(ans.CNAMEs) > 0) {
		return ans.Canonical, nil
	}
	return "", err
}

// LookupTXT returns the TXT records of name, each record's
// character-strings concatenated.
func (c *Client) LookupTXT(ctx context.Context, name string) ([]string, error) {
	return lookupTXT(ctx, c, name)
}

// LookupMX returns the MX records of name sorted by preference; hosts are
// absolute (trailing dot).
func (c *Client) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	return lookupMX(ctx, c, name)
}

// LookupNetIP returns the addresses of host: network "ip4" asks for A
// records, "ip6" for AAAA, "ip" for both.
func (c *Client) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	return lookupNetIP(ctx, c, network, host)
}

// LookupIPAddr returns the A and AAAA addresses of host.
func (c *Client) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return lookupIPAddr(ctx, c, host)
}

// LookupHost returns the A and AAAA addresses of host as strings.
func (c *Client) LookupHost(ctx context.Context, host string) ([]string, error) {
	return lookupHost(ctx, c, host)
}

// LookupAddr returns the names (absolute) that the PTR records of the IP
// address addr point to.
func (c *Client) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	return lookupAddr(ctx, c, addr)
}

// LookupCNAME returns the canonical name of host (absolute) after following
// CNAMEs.
func (c *Client) LookupCNAME(ctx context.Context, host string) (string, error) {
	return lookupCNAME(ctx, c, host)
}
