package dmarc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/dnsclient"
)

// Policy discovery errors.
var (
	// ErrNoRecord means no DMARC record applies: DMARC does not apply to
	// the message (status none).
	ErrNoRecord = errors.New("dmarc: no policy record")
	// ErrMultipleRecords means a name held more than one DMARC record.
	ErrMultipleRecords = errors.New("dmarc: multiple records")
	// ErrRecordIgnored means an RFC 7489 record had no usable p= and no
	// valid rua=, so receivers ignore it (status none).
	ErrRecordIgnored = errors.New("dmarc: record without a usable policy")
	// ErrDNS means a lookup failed temporarily (status temperror).
	ErrDNS = errors.New("dmarc: temporary DNS failure")
	// ErrInvalidDomain means the domain to look up is not a valid name.
	ErrInvalidDomain = errors.New("dmarc: invalid domain")
)

// maxWalkQueries is the most _dmarc queries one DNS Tree Walk makes
// (RFC 9989, section 4.10): the name itself, then at most seven more.
const maxWalkQueries = 8

// Resolver is the DNS interface DMARC needs, shaped like *net.Resolver so
// that net.DefaultResolver or any *net.Resolver works, as does the
// dnsclient package's client. LookupIPAddr and LookupMX serve to tell
// whether an Author Domain exists, for the RFC 9989 np= policy.
type Resolver interface {
	// LookupTXT returns the TXT records at name, the character-strings
	// of each record joined.
	LookupTXT(ctx context.Context, name string) ([]string, error)
	// LookupIPAddr returns the A and AAAA addresses of host.
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	// LookupMX returns the MX records of name.
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
}

var _ Resolver = (*net.Resolver)(nil)

// Query is one DNS query made during discovery or evaluation.
type Query struct {
	// Name is the name queried, without the trailing dot.
	Name string
	// Type is "TXT", "A/AAAA" (one address lookup) or "MX".
	Type string
	// Class is how the query was answered (dnsclient.ClassOK when
	// records came back).
	Class dnsclient.Class
	// Note says what the answer meant, such as "1 DMARC record" or
	// "2 DMARC records, discarded".
	Note string
}

// Discovery is the outcome of DMARC policy discovery for one domain.
type Discovery struct {
	// Domain is the domain discovery started from, normalized.
	Domain string
	// Mode is the discovery procedure used.
	Mode Mode
	// Record is the DMARC record that applies, nil when none does.
	Record *Record
	// RecordText is Record's TXT text as published.
	RecordText string
	// PolicyDomain is where Record was found.
	PolicyDomain string
	// OrgDomain is Domain's organizational domain: from the Public Suffix
	// List in RFC 7489 mode, from the DNS Tree Walk in RFC 9989 mode.
	OrgDomain string
	// Queries lists every DMARC TXT query made, in order.
	Queries []Query
	// Err is nil when Record applies; otherwise it wraps [ErrNoRecord],
	// [ErrMultipleRecords], [ErrRecordIgnored] (all: DMARC does not
	// apply), [ErrDNS] (temperror), [ErrSyntax] (permerror) or
	// [ErrInvalidDomain]. With ErrDNS, Record may still be set when the
	// failure happened after it was found (above the policy domain), and
	// OrgDomain too when the Public Suffix List agrees with the part of
	// the walk that succeeded.
	Err error
}

// Status returns the DMARC status the discovery alone implies: none when
// no record applies, temperror or permerror on errors, and "" when a
// record applies and evaluation must decide.
func (d *Discovery) Status() Status {
	switch {
	case d.Err == nil:
		return ""
	case errors.Is(d.Err, ErrDNS):
		return StatusTemperror
	case errors.Is(d.Err, ErrSyntax), errors.Is(d.Err, ErrInvalidDomain):
		return StatusPermerror
	}
	return StatusNone
}

// Discover finds the DMARC record that applies to mail from domain, and
// domain's organizational domain, using the procedure of mode.
func Discover(ctx context.Context, r Resolver, domain string, mode Mode) Discovery {
	w := newWalker(ctx, r, mode)
	return w.discover(domain)
}

// walker performs the lookups of one evaluation, remembering every _dmarc
// answer so that walks for several identifiers share queries.
type walker struct {
	ctx     context.Context
	r       Resolver
	mode    Mode
	cache   map[string]*answer
	records *RecordCache // parses the records; nil parses each
	queries []Query
	notes   []string // failures that did not change the result
}

func newWalker(ctx context.Context, r Resolver, mode Mode) *walker {
	return &walker{ctx: ctx, r: r, mode: mode.normalize(), cache: map[string]*answer{}}
}

// answer is what one _dmarc TXT lookup yielded.
type answer struct {
	domain   string
	rec      *Record
	text     string
	multiple bool
	err      error // ErrDNS or ErrSyntax, wrapped
}

func (a *answer) found() bool { return a.rec != nil }

func (w *walker) log(q Query) { w.queries = append(w.queries, q) }

// lookup queries _dmarc.<domain> for TXT records and keeps the DMARC ones
// (RFC 7489, section 6.6.3, steps 1-2; RFC 9989, section 4.10).
func (w *walker) lookup(domain string) *answer {
	if a, ok := w.cache[domain]; ok {
		return a
	}
	a := &answer{domain: domain}
	w.cache[domain] = a
	fqdn := "_dmarc." + domain + "."
	name := fqdn[:len(fqdn)-1]
	txts, err := w.r.LookupTXT(w.ctx, fqdn)
	class := dnsclient.Classify(err)
	if err != nil {
		if dnsclient.IsNotFound(err) {
			w.log(Query{Name: name, Type: "TXT", Class: class, Note: "no record"})
			return a
		}
		a.err = fmt.Errorf("%w: TXT %s: %v", ErrDNS, name, err)
		w.log(Query{Name: name, Type: "TXT", Class: class, Note: "lookup failed"})
		return a
	}
	var recs []*Record
	var texts []string
	var errs []error
	for _, txt := range txts {
		rec, isDMARC, perr := w.records.Parse(txt)
		if !isDMARC {
			// RFC 7489, section 6.6.3: records not starting with
			// v=DMARC1 are discarded.
			continue
		}
		recs, texts, errs = append(recs, rec), append(texts, txt), append(errs, perr)
	}
	q := Query{Name: name, Type: "TXT", Class: class}
	switch len(recs) {
	case 0:
		q.Note = "no DMARC record"
	case 1:
		q.Note = "1 DMARC record"
		a.rec, a.text = recs[0], texts[0]
		if errs[0] != nil {
			a.err = fmt.Errorf("record at %s: %w", name, errs[0])
		}
	default:
		q.Note = fmt.Sprintf("%d DMARC records, discarded", len(recs))
		a.multiple = true
	}
	w.log(q)
	return a
}

// walkTargets returns the names a DNS Tree Walk from domain visits, in
// order. RFC 9989, section 4.10: start at the name itself; then, if it has
// eight labels or more, jump to its last seven labels; then drop one label
// at a time down to a single label. So at most eight names are visited.
func walkTargets(domain string) []string {
	labels := strings.Count(domain, ".") + 1
	out := make([]string, 1, min(labels, maxWalkQueries))
	out[0] = domain
	start := 1
	if labels > maxWalkQueries {
		start = labels - (maxWalkQueries - 1)
	}
	// The name from label i on is the suffix after the i-th dot.
	for i, dot := 0, 0; i < len(domain); i++ {
		if domain[i] == '.' {
			if dot++; dot >= start {
				out = append(out, domain[i+1:])
			}
		}
	}
	return out
}

// walk is the result of a DNS Tree Walk.
type walk struct {
	found []*answer // single DMARC records found, nearest first
	psdAt *answer   // the record with psd=y or psd=n that ended the walk
	err   error     // ErrDNS when a lookup failed
	// failedAt is the domain whose _dmarc lookup failed; the names
	// above it were not asked.
	failedAt string
}

// treeWalk walks up from domain. RFC 9989, section 4.10: a name with more
// than one DMARC record counts as having none; a record carrying psd=y or
// psd=n ends the walk.
func (w *walker) treeWalk(domain string) walk {
	var res walk
	for _, target := range walkTargets(domain) {
		a := w.lookup(target)
		if a.err != nil && errors.Is(a.err, ErrDNS) {
			res.err, res.failedAt = a.err, target
			return res
		}
		if !a.found() {
			continue
		}
		res.found = append(res.found, a)
		if psd := a.rec.PSD; psd == PSDYes || psd == PSDNo {
			res.psdAt = a
			return res
		}
	}
	return res
}

// orgDomain determines the organizational domain of domain from its walk
// (RFC 9989, section 4.10).
func (wk walk) orgDomain(domain string) string {
	if a := wk.psdAt; a != nil {
		if a.rec.PSD == PSDNo || a.domain == domain {
			// psd=n: this is the organizational domain. psd=y on the
			// name itself leaves nothing below it; the name is then its
			// own organizational domain.
			return a.domain
		}
		// psd=y: the organizational domain is one label below the
		// public suffix domain, on the way to domain.
		rest := strings.TrimSuffix(domain, "."+a.domain)
		if i := strings.LastIndexByte(rest, '.'); i >= 0 {
			rest = rest[i+1:]
		}
		return rest + "." + a.domain
	}
	if len(wk.found) > 0 {
		// The record with the fewest labels marks the organizational
		// domain.
		return wk.found[len(wk.found)-1].domain
	}
	// No record anywhere: the name is its own organizational domain.
	return domain
}

// orgDomain returns the organizational domain of domain in the walker's
// mode, and ErrDNS when the tree walk failed in a way that matters.
//
// A walk that fails part way (a resolver or an authoritative-only server
// that refuses or fails names above the organizational domain) still
// decides when what it could see and the Public Suffix List give the same
// organizational domain: the names it could not ask lie above that domain,
// and only a public suffix publishing a DMARC record without psd=y could
// move it. The walker then notes which query failed.
func (w *walker) orgDomain(domain string) (string, error) {
	if w.mode == Mode7489 {
		return align.OrgDomain(domain)
	}
	wk := w.treeWalk(domain)
	if wk.err == nil {
		return wk.orgDomain(domain), nil
	}
	if org, ok := w.pslAgrees(domain, wk); ok {
		return org, nil
	}
	return "", wk.err
}

// pslAgrees returns the organizational domain of domain when the walk
// that failed part way and the Public Suffix List agree on it, and notes
// the failure.
func (w *walker) pslAgrees(domain string, wk walk) (string, bool) {
	est := wk.orgDomain(domain)
	psl, err := align.OrgDomain(domain)
	if err != nil || psl != est || !strings.HasSuffix(est, "."+wk.failedAt) {
		return "", false
	}
	w.note(fmt.Sprintf("%v; the organizational domain of %s is %s all the same, as the Public Suffix List and the answers below that name agree", wk.err, domain, est))
	return est, true
}

// note records, once, a failure that did not change the result.
func (w *walker) note(s string) {
	for _, n := range w.notes {
		if n == s {
			return
		}
	}
	w.notes = append(w.notes, s)
}

func (w *walker) discover(domain string) Discovery {
	d := Discovery{Mode: w.mode}
	nd, err := align.Normalize(domain)
	if err != nil {
		d.Err = fmt.Errorf("%w: %v", ErrInvalidDomain, err)
		return d
	}
	d.Domain = nd
	first := len(w.queries)
	if w.mode == Mode7489 {
		w.discover7489(&d)
	} else {
		w.discoverBis(&d)
	}
	d.Queries = append([]Query(nil), w.queries[first:]...)
	if d.Record != nil && d.Err == nil {
		if _, ok := d.Record.DomainPolicy(w.mode); !ok {
			d.Err = fmt.Errorf("%w: %s", ErrRecordIgnored, d.PolicyDomain)
		}
	}
	return d
}

// discover7489 is RFC 7489, section 6.6.3: the From domain, then its
// organizational domain from the Public Suffix List.
func (w *walker) discover7489(d *Discovery) {
	org, err := align.OrgDomain(d.Domain)
	if err != nil {
		d.Err = fmt.Errorf("%w: %v", ErrInvalidDomain, err)
		return
	}
	d.OrgDomain = org
	candidates := []string{d.Domain}
	if org != d.Domain {
		candidates = append(candidates, org)
	}
	for _, c := range candidates {
		a := w.lookup(c)
		switch {
		case a.err != nil && errors.Is(a.err, ErrDNS):
			// RFC 7489, section 6.6.3: DNS errors are left to the
			// receiver; they are reported as temperror here.
			d.Err = a.err
			return
		case a.multiple:
			// RFC 7489, section 6.6.3, step 5: more than one record
			// ends discovery; DMARC does not apply. The organizational
			// domain is not consulted, as the set was not empty.
			d.Err = fmt.Errorf("%w at _dmarc.%s", ErrMultipleRecords, c)
			return
		case a.found():
			d.Record, d.RecordText, d.PolicyDomain, d.Err = a.rec, a.text, c, a.err
			return
		}
	}
	d.Err = fmt.Errorf("%w for %s", ErrNoRecord, d.Domain)
}

// discoverBis is RFC 9989, section 4.10: one DNS Tree Walk from the Author
// Domain yields both the policy record (the first one found) and the
// organizational domain (where the walk settles).
func (w *walker) discoverBis(d *Discovery) {
	wk := w.treeWalk(d.Domain)
	if len(wk.found) > 0 {
		a := wk.found[0]
		d.Record, d.RecordText, d.PolicyDomain, d.Err = a.rec, a.text, a.domain, a.err
		if a.err != nil {
			return // a broken policy record: permerror, whatever lies above
		}
	}
	if wk.err != nil {
		d.Err = wk.err
		if d.Record != nil {
			// The policy is known; the organizational domain only
			// if the Public Suffix List agrees with what was seen.
			d.OrgDomain, _ = w.pslAgrees(d.Domain, wk)
		}
		return
	}
	d.OrgDomain = wk.orgDomain(d.Domain)
	if d.Record == nil {
		d.Err = fmt.Errorf("%w for %s", ErrNoRecord, d.Domain)
	}
}

// exists tells whether domain exists in the RFC 9989 sense (section 4.7,
// np=): it does not exist only when A, AAAA and MX queries all say
// NXDOMAIN. A resolver that cannot tell NXDOMAIN from NODATA (like
// *net.Resolver) has its "not found" read as NXDOMAIN. Temporary failures
// count as existing, so that the stricter np= is never applied on a guess.
func (w *walker) exists(domain string) bool {
	_, err := w.r.LookupIPAddr(w.ctx, domain+".")
	c := dnsclient.Classify(err)
	w.log(Query{Name: domain, Type: "A/AAAA", Class: c})
	if !nxdomain(c) {
		return true
	}
	_, err = w.r.LookupMX(w.ctx, domain+".")
	c = dnsclient.Classify(err)
	w.log(Query{Name: domain, Type: "MX", Class: c})
	return !nxdomain(c)
}

func nxdomain(c dnsclient.Class) bool {
	return c == dnsclient.ClassNXDomain || c == dnsclient.ClassNotFound
}
