package dnsclient

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// transportZone marks answers read from a zone file.
const transportZone string = "zone"

// ZoneResolver answers from the records of an RFC 1035 master file
// ([RFC 1035], section 5) instead of the network, with the same methods and
// error classes as [Client], so that a run can be replayed offline. A name
// with no records in the file is NXDOMAIN unless it has records below it
// (an empty non-terminal, which is NODATA). SOA records in the file give the
// negative TTL reported for NXDOMAIN and NODATA. Queries are recorded in the
// context's transcript ([WithTranscript]). A ZoneResolver is read-only and
// safe for concurrent use.
//
// [RFC 1035]: https://www.rfc-editor.org/rfc/rfc1035
type ZoneResolver struct {
	source   string
	maxCNAME int
	records  map[string][]dns.RR  // by canonical owner name
	memos    map[string]*formMemo // by canonical owner name: the forms of its records
	exists   map[string]bool      // owner names and their ancestors
	negTTL   time.Duration
}

// Limits on the master files a [ZoneResolver] reads, so that a wrong path
// (a device, a huge log) fails at once with a short message.
const (
	// MaxZoneFileSize is the largest master file read, in bytes.
	MaxZoneFileSize = 16 << 20
	// MaxZoneLineLength is the longest line accepted, in bytes.
	MaxZoneLineLength = 64 << 10
	// maxEchoedToken is how much of a long token an error message quotes.
	maxEchoedToken = 64
)

// NewZoneResolver reads a master file from r. origin is the initial
// $ORIGIN for relative names (may be empty if the file sets one); $INCLUDE
// is not allowed.
func NewZoneResolver(r io.Reader, origin string) (*ZoneResolver, error) {
	return newZoneResolver(r, origin, "zone")
}

// LoadZoneFile reads the master file at path; see [NewZoneResolver]. A
// file larger than MaxZoneFileSize, or with a line longer than
// MaxZoneLineLength, is refused.
func LoadZoneFile(path, origin string) (*ZoneResolver, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		switch {
		case fi.IsDir():
			return nil, fmt.Errorf("%w: %s is a directory, not a zone file", ErrConfig, path)
		case fi.Mode().IsRegular() && fi.Size() > MaxZoneFileSize:
			return nil, fmt.Errorf("%w: %s: %d bytes, larger than %d MiB, too large for a zone file", ErrConfig, path, fi.Size(), MaxZoneFileSize>>20)
		}
	}
	return newZoneResolver(f, origin, path)
}

// newZoneResolver parses a master file named source.
func newZoneResolver(r io.Reader, origin, source string) (*ZoneResolver, error) {
	if origin != "" {
		origin = dns.Fqdn(origin)
	}
	z := &ZoneResolver{
		source:   source,
		maxCNAME: DefaultMaxCNAME,
		records:  make(map[string][]dns.RR),
		exists:   make(map[string]bool),
	}
	lr := &zoneReader{r: r, source: source, line: 1}
	zp := dns.NewZoneParser(lr, origin, source)
	n := 0
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if n++; int64(n) > lr.n+zoneRecordSlack {
			return nil, fmt.Errorf("%w: %s: $GENERATE makes more than %d records beyond the file's size", ErrConfig, source, zoneRecordSlack)
		}
		h := rr.Header()
		owner := canonicalKey(h.Name)
		z.records[owner] = append(z.records[owner], rr)
		for off, end := 0, false; !end; off, end = dns.NextLabel(owner, off) {
			z.exists[owner[off:]] = true
		}
		if soa, ok := rr.(*dns.SOA); ok {
			ttl := time.Duration(min(soa.Hdr.Ttl, soa.Minttl)) * time.Second
			if z.negTTL == 0 || ttl < z.negTTL {
				z.negTTL = min(ttl, maxNegativeTTL)
			}
		}
	}
	if lr.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, lr.err)
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrConfig, shortenTokens(err.Error()))
	}
	z.memos = make(map[string]*formMemo, len(z.records))
	for owner, rrs := range z.records {
		z.memos[owner] = newFormMemo(rrs)
	}
	return z, nil
}

// zoneReader reads a master file within MaxZoneFileSize and
// MaxZoneLineLength; past either it stops with an error kept in err.
type zoneReader struct {
	r       io.Reader
	source  string
	n       int64 // bytes read
	line    int   // current line number
	lineLen int   // bytes of the current line so far
	err     error
}

func (zr *zoneReader) Read(p []byte) (int, error) {
	if zr.err != nil {
		return 0, zr.err
	}
	n, err := zr.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			zr.line++
			zr.lineLen = 0
			continue
		}
		zr.lineLen++
		if zr.lineLen > MaxZoneLineLength {
			zr.err = fmt.Errorf("%s: line %d is longer than %d bytes", zr.source, zr.line, MaxZoneLineLength)
			return i, zr.err
		}
	}
	zr.n += int64(n)
	if zr.n > MaxZoneFileSize {
		zr.err = fmt.Errorf("%s: larger than %d MiB, too large for a zone file", zr.source, MaxZoneFileSize>>20)
		return 0, zr.err
	}
	return n, err
}

// shortenTokens shortens every word of an error message longer than
// maxEchoedToken, so that a message never echoes a huge token.
func shortenTokens(msg string) string {
	words := strings.Fields(msg)
	changed := false
	for i, w := range words {
		if len(w) > maxEchoedToken {
			words[i] = fmt.Sprintf("%s…(%d bytes)", strings.ToValidUTF8(w[:maxEchoedToken], ""), len(w))
			changed = true
		}
	}
	if !changed {
		return msg
	}
	return strings.Join(words, " ")
}

// zoneRecordSlack is how many more records than bytes a master file may
// yield. Only $GENERATE makes more records than bytes, and one short line
// of it can make 65536; without a bound, a file of a few hundred bytes
// takes seconds and hundreds of megabytes to load.
const zoneRecordSlack = 10000

// Query answers like [Client.Query], from the zone file.
func (z *ZoneResolver) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	return record(ctx, nil, name, qtype, time.Now, func(qname string) (*Answer, error) {
		return z.resolve(qname, qtype)
	})
}

// resolve answers a question from the records, following CNAMEs.
func (z *ZoneResolver) resolve(qname string, qtype uint16) (*Answer, error) {
	ans := &Answer{Name: qname, Type: qtype, Server: z.source, Transport: transportZone, TTL: -1}
	seen := map[string]bool{qname: true}
	cur := qname
	for {
		rrs, ok := z.records[cur]
		if m := z.memos[cur]; m != nil {
			ans.memos = append(ans.memos, m)
		}
		ans.Canonical = cur
		if !ok && !z.exists[cur] {
			ans.Class, ans.Rcode, ans.TTL = ClassNXDomain, dns.RcodeNameError, z.negTTL
			return ans, newError(qname, z.source, ErrNXDomain)
		}
		var next string
		for _, rr := range rrs {
			h := rr.Header()
			switch {
			case h.Rrtype == qtype && h.Class == dns.ClassINET:
				ans.Records = append(ans.Records, rr)
				ans.minTTL(time.Duration(h.Ttl) * time.Second)
			case h.Rrtype == dns.TypeCNAME && qtype != dns.TypeCNAME && next == "":
				next = canonicalKey(rr.(*dns.CNAME).Target)
				ans.CNAMEs = append(ans.CNAMEs, rr)
				ans.minTTL(time.Duration(h.Ttl) * time.Second)
			}
		}
		if len(ans.Records) > 0 {
			ans.Class = ClassOK
			return ans, nil
		}
		if next == "" {
			ans.Class, ans.TTL = ClassNoData, z.negTTL
			return ans, newError(qname, z.source, ErrNoData)
		}
		if seen[next] || len(ans.CNAMEs) > z.maxCNAME {
			return nil, newError(qname, z.source, fmt.Errorf("%w: CNAME loop or chain too long at %s", ErrMalformed, next))
		}
		seen[next] = true
		cur = next
	}
}

// LookupTXT returns the TXT records of name, each record's
// character-strings concatenated.
func (z *ZoneResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	return lookupTXT(ctx, z, name)
}

// LookupMX returns the MX records of name sorted by preference.
func (z *ZoneResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	return lookupMX(ctx, z, name)
}

// LookupNetIP returns the addresses of host for network "ip4", "ip6" or
// "ip".
func (z *ZoneResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	return lookupNetIP(ctx, z, network, host)
}

// LookupIPAddr returns the A and AAAA addresses of host.
func (z *ZoneResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return lookupIPAddr(ctx, z, host)
}

// LookupHost returns the A and AAAA addresses of host as strings.
func (z *ZoneResolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	return lookupHost(ctx, z, host)
}

// LookupAddr returns the names that the PTR records of addr point to.
func (z *ZoneResolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	return lookupAddr(ctx, z, addr)
}

// LookupCNAME returns the canonical name of host after following CNAMEs.
func (z *ZoneResolver) LookupCNAME(ctx context.Context, host string) (string, error) {
	return lookupCNAME(ctx, z, host)
}
