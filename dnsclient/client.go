package dnsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/miekg/dns"
)

// Client is a caching stub resolver that asks recursive servers over UDP,
// falling back to TCP on truncation. Its Lookup methods are shaped like
// those of *net.Resolver. A Client is safe for concurrent use; share one per
// process so that its cache is shared.
type Client struct {
	cfg        Config
	cache      *cache // nil when caching is disabled
	flight     flightGroup
	health     *health
	transcript *Transcript // nil unless Config.Transcript
}

// New returns a Client for cfg. It fails with [ErrConfig] if no server is
// configured and none can be read from the resolv.conf file.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, health: newHealth(cfg)}
	if cfg.CacheSize > 0 {
		c.cache = newCache(cfg.CacheSize)
	}
	if cfg.Transcript {
		c.transcript = &Transcript{}
	}
	return c, nil
}

// Servers returns the servers the client asks, as "host:port".
func (c *Client) Servers() []string { return append([]string(nil), c.cfg.Servers...) }

// Transcript returns the client-wide transcript, or nil unless
// [Config.Transcript] is set.
func (c *Client) Transcript() *Transcript { return c.transcript }

// FlushCache discards every cached answer.
func (c *Client) FlushCache() {
	if c.cache != nil {
		c.cache.flush()
	}
}

// Answer is the outcome of one query, after CNAMEs were followed.
type Answer struct {
	// Name is the name asked: absolute, lower case, in A-label form.
	Name string
	// Type is the record type asked.
	Type uint16
	// Canonical is the name the records belong to, after CNAMEs.
	Canonical string
	// Class is ClassOK, ClassNXDomain or ClassNoData.
	Class Class
	// Rcode is the RCODE of the last response (dns.RcodeSuccess or
	// dns.RcodeNameError).
	Rcode int
	// Records are the records of the asked type at Canonical. Callers must
	// not modify them: they may be shared with the cache.
	Records []dns.RR
	// CNAMEs are the CNAME records followed from Name to Canonical.
	CNAMEs []dns.RR
	// TTL is how long the answer remains valid: the smallest record TTL,
	// or the negative-caching TTL of NXDOMAIN and NODATA (RFC 2308).
	TTL time.Duration
	// Server is the server that gave the (last) response.
	Server string
	// Transport is "udp", "tcp", "cache" or "zone".
	Transport string
	// Cached reports whether every response came from the cache.
	Cached bool
	// memos hold the string forms of the records, for the responses or
	// zone names they came from.
	memos []*formMemo
}

// response is one server response, as cached; or, with err set, a failed
// query remembered for Config.FailureTTL.
type response struct {
	rcode     int
	answer    []dns.RR
	ns        []dns.RR
	server    string
	transport string
	err       error
	forms     *formMemo // of answer
}

// Query asks for records of type qtype (such as dns.TypeTXT) at name, which
// is made absolute and converted to A-labels. CNAMEs are followed (at most
// [Config.MaxCNAME]; a loop fails with [ErrMalformed]).
//
// With records it returns the answer and a nil error. For NXDOMAIN or NODATA
// it returns the answer (with its negative TTL) and an error of that class.
// On failure it returns a nil answer and an error of class servfail,
// timeout, canceled or error (see [Classify]). Every error is a
// *net.DNSError whose Unwrap yields the class sentinel ([ErrNXDomain],
// [ErrNoData], …) or, when the caller's context ended, the context's error.
func (c *Client) Query(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	return record(ctx, c.transcript, name, qtype, c.cfg.Now, func(qname string) (*Answer, error) {
		return c.resolve(ctx, qname, qtype)
	})
}

// record runs one query through do (given the canonical name) and records
// it in the context's transcript and in t.
func record(ctx context.Context, t *Transcript, name string, qtype uint16, now func() time.Time, do func(string) (*Answer, error)) (*Answer, error) {
	start := now()
	began := time.Now()
	var ans *Answer
	qname, err := canonicalName(name)
	switch {
	case err != nil:
		err = newError(name, "", err)
	case ctx.Err() != nil:
		err = ctxError(ctx, qname, "")
	default:
		ans, err = do(qname)
	}
	if ct := transcriptFrom(ctx); ct != nil || t != nil {
		e := entry(name, qname, qtype, ans, err)
		e.Time, e.Duration = start, time.Since(began)
		if ct != nil {
			ct.add(e)
		}
		if t != nil {
			t.add(e)
		}
	}
	return ans, err
}

// entry describes a finished query for a transcript.
func entry(name, qname string, qtype uint16, ans *Answer, err error) Entry {
	e := Entry{Name: qname, Type: typeString(qtype), Class: Classify(err)}
	if qname == "" {
		e.Name = name
	}
	if err != nil {
		e.Err = err.Error()
	}
	if ans != nil {
		if n := len(ans.CNAMEs) + len(ans.Records); n > 0 {
			e.Records = make([]string, 0, n)
		}
		for _, rr := range ans.CNAMEs {
			e.Records = append(e.Records, ans.forms(rr).text)
		}
		for _, rr := range ans.Records {
			e.Records = append(e.Records, ans.forms(rr).text)
		}
		e.TTL, e.Cached, e.Server, e.Transport = ans.TTL, ans.Cached, ans.Server, ans.Transport
	}
	if e.Server == "" && err != nil {
		var de *net.DNSError
		if asDNSError(err, &de) {
			e.Server = de.Server
		}
	}
	return e
}

// resolve answers a question, following CNAMEs across responses.
func (c *Client) resolve(ctx context.Context, qname string, qtype uint16) (*Answer, error) {
	ans := &Answer{Name: qname, Type: qtype, Cached: true, TTL: -1}
	var seen map[string]bool // names met along CNAME chains
	cur := qname
	for {
		resp, expires, cached, err := c.lookupOne(ctx, cur, qtype)
		if err != nil {
			return nil, err
		}
		ans.Server, ans.Transport, ans.Rcode = resp.server, resp.transport, resp.rcode
		if resp.forms != nil {
			ans.memos = append(ans.memos, resp.forms)
		}
		ans.Cached = ans.Cached && cached
		if cached {
			ans.Transport = "cache"
		}
		ans.minTTL(expires.Sub(c.cfg.Now()))
		final, chain, recs := followChain(cur, qtype, resp.answer)
		if len(chain) > 0 && seen == nil {
			seen = map[string]bool{qname: true}
		}
		for _, rr := range chain {
			target := rr.(*dns.CNAME).Target
			if seen[canonicalKey(target)] {
				return nil, newError(qname, resp.server, fmt.Errorf("%w: CNAME loop at %s", ErrMalformed, target))
			}
			seen[canonicalKey(target)] = true
		}
		ans.CNAMEs = append(ans.CNAMEs, chain...)
		ans.Canonical = final
		if len(ans.CNAMEs) > c.cfg.MaxCNAME {
			return nil, newError(qname, resp.server, fmt.Errorf("%w: more than %d CNAMEs", ErrMalformed, c.cfg.MaxCNAME))
		}
		if len(recs) > 0 {
			ans.Records, ans.Class = recs, ClassOK
			return ans, nil
		}
		if resp.rcode == dns.RcodeNameError {
			ans.Class = ClassNXDomain
			return ans, newError(qname, resp.server, ErrNXDomain)
		}
		if len(chain) == 0 {
			ans.Class = ClassNoData
			return ans, newError(qname, resp.server, ErrNoData)
		}
		// RFC 1034, section 3.6.2: a response may stop at a CNAME whose
		// target the server did not resolve; ask again at the target.
		cur = final
	}
}

// minTTL lowers a's TTL to d (TTL -1 means unset).
func (a *Answer) minTTL(d time.Duration) {
	if d < 0 {
		d = 0
	}
	if a.TTL < 0 || d < a.TTL {
		a.TTL = d
	}
}

// canonicalKey returns the cache form of an absolute name.
func canonicalKey(name string) string { return dns.CanonicalName(name) }

// followChain follows the CNAMEs in rrs from name and returns the final
// name, the CNAME records used, and the records of type qtype at the final
// name. A chain revisiting a name stops there.
func followChain(name string, qtype uint16, rrs []dns.RR) (string, []dns.RR, []dns.RR) {
	cur := canonicalKey(name)
	var chain []dns.RR
	if qtype != dns.TypeCNAME {
		for range rrs {
			var next *dns.CNAME
			for _, rr := range rrs {
				if cn, ok := rr.(*dns.CNAME); ok && canonicalKey(cn.Hdr.Name) == cur {
					next = cn
					break
				}
			}
			if next == nil {
				break
			}
			chain = append(chain, next)
			cur = canonicalKey(next.Target)
		}
	}
	var recs []dns.RR
	for _, rr := range rrs {
		h := rr.Header()
		if h.Rrtype == qtype && h.Class == dns.ClassINET && canonicalKey(h.Name) == cur {
			recs = append(recs, rr)
		}
	}
	return cur, chain, recs
}

// lookupOne returns the response to one question from the cache, or from a
// server. Concurrent identical questions share one exchange; each caller
// still returns as soon as its own context ends.
func (c *Client) lookupOne(ctx context.Context, name string, qtype uint16) (*response, time.Time, bool, error) {
	key := cacheKey{name: name, qtype: qtype}
	if c.cache != nil {
		if resp, exp, ok := c.cache.get(key, c.cfg.Now()); ok {
			if resp.err != nil {
				return nil, time.Time{}, true, remembered(resp.err)
			}
			return resp, exp, true, nil
		}
	}
	resp, expires, err := c.flight.do(ctx, key, func(fctx context.Context) (*response, time.Time, error) {
		resp, err := c.exchange(fctx, name, qtype)
		if err != nil {
			if fctx.Err() == nil && c.cache != nil && c.cfg.FailureTTL > 0 && rememberable(err) {
				c.cache.put(key, &response{err: err}, c.cfg.Now().Add(c.cfg.FailureTTL))
			}
			return nil, time.Time{}, err
		}
		return resp, c.store(key, resp), nil
	})
	return resp, expires, false, err
}

// rememberable reports whether a failed query is kept in the cache for
// Config.FailureTTL: a server's failure or silence, not a skipped server
// (that one is decided by the health of the servers) nor a canceled query.
func rememberable(err error) bool {
	switch Classify(err) {
	case ClassServFail, ClassRefused, ClassTimeout, ClassError:
		return true
	}
	return false
}

// remembered returns a copy of a remembered failure that says so.
func remembered(err error) error {
	var de *net.DNSError
	if !errors.As(err, &de) {
		return err
	}
	cp := *de
	cp.Err += " (remembered from an earlier query)"
	return &cp
}

// store caches resp for the time its TTLs allow and returns its expiry.
func (c *Client) store(key cacheKey, resp *response) time.Time {
	now := c.cfg.Now()
	ttl := cacheTTL(resp)
	if ttl > 0 && c.cache != nil {
		c.cache.put(key, resp, now.Add(ttl))
	}
	return now.Add(ttl)
}

// cacheTTL returns how long resp may be cached: the smallest TTL of its
// answer records, or for NXDOMAIN and NODATA the negative TTL of its SOA.
func cacheTTL(resp *response) time.Duration {
	if len(resp.answer) > 0 && resp.rcode == dns.RcodeSuccess {
		ttl := maxPositiveTTL
		for _, rr := range resp.answer {
			ttl = min(ttl, time.Duration(rr.Header().Ttl)*time.Second)
		}
		return ttl
	}
	// RFC 2308, section 5: a negative answer is cached for the smaller of
	// the SOA's TTL and its MINIMUM field; without an SOA it is not cached.
	for _, rr := range resp.ns {
		if soa, ok := rr.(*dns.SOA); ok {
			ttl := time.Duration(min(soa.Hdr.Ttl, soa.Minttl)) * time.Second
			return min(ttl, maxNegativeTTL)
		}
	}
	return 0
}
