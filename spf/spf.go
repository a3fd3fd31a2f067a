// Package spf implements the Sender Policy Framework of [RFC 7208]: it
// tells whether a host at a given IP address is authorized by a domain to
// send mail using that domain in the SMTP MAIL FROM or HELO identity.
//
// A domain publishes its policy as a TXT record starting with "v=spf1",
// a list of mechanisms ("ip4:192.0.2.0/24", "include:_spf.example.net",
// "mx", "-all", …) evaluated left to right until one matches the client
// address. The qualifier of the matching mechanism gives the result: pass,
// fail, softfail or neutral. Records that cannot be used give permerror,
// DNS failures give temperror, and a domain without a record gives none.
//
// [Check] runs the check_host() function of RFC 7208, section 4, against a
// [Resolver] (any *net.Resolver works). Besides the status, its [Result]
// names the term that decided, carries the explanation a failing domain
// publishes (the exp= modifier) and a [Trace] of every record, term and
// DNS query involved, which [Result.Explain] turns into one sentence.
// [ParseRecord] parses a record on its own, and [Record.String] formats it
// back.
//
// The DNS limits of RFC 7208, section 4.6.4, are enforced: at most 10
// terms that cause DNS lookups per check, at most 2 lookups that find
// nothing, and at most 10 names looked at per mx or ptr term. Macro
// expansion (section 7) is bounded, so hostile records cannot make a check
// hang or allocate without limit.
//
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
package spf

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"time"
)

// Status is the result of an SPF check, valued with the keywords of
// RFC 7208, section 2.6, as they appear in Authentication-Results.
type Status string

// The results of check_host() (RFC 7208, section 2.6).
const (
	// StatusNone means no SPF record was found, or the domain could not be
	// checked because it is not a usable domain name.
	StatusNone Status = "none"
	// StatusNeutral means the domain makes no assertion about the client.
	StatusNeutral Status = "neutral"
	// StatusPass means the client is authorized to use the domain.
	StatusPass Status = "pass"
	// StatusFail means the client is explicitly not authorized.
	StatusFail Status = "fail"
	// StatusSoftFail means the client is probably not authorized.
	StatusSoftFail Status = "softfail"
	// StatusTempError means a transient (usually DNS) error stopped the
	// check; a later retry may succeed.
	StatusTempError Status = "temperror"
	// StatusPermError means the published records could not be interpreted
	// correctly; the domain owner has to fix them.
	StatusPermError Status = "permerror"
)

// Identity is the SMTP identity an SPF check authorizes.
type Identity string

// The identities of RFC 7208, section 2.
const (
	// IdentityMailFrom checks the domain of the MAIL FROM address, or of
	// postmaster@HELO when the reverse-path is null (section 2.4).
	IdentityMailFrom Identity = "mailfrom"
	// IdentityHELO checks the HELO/EHLO domain (section 2.3).
	IdentityHELO Identity = "helo"
)

// Resolver is the DNS interface the checks need. Its method set is a
// subset of *net.Resolver's, so net.DefaultResolver or any configured
// *net.Resolver can be used as is.
//
// Errors are interpreted with dnsclient.Classify: a name that does not
// exist or has no record of the type asked is an answer, anything else a
// failure. When the resolver also has a LookupNetIP method (as
// *net.Resolver does), address lookups ask only for the address family
// that is needed.
type Resolver interface {
	// LookupTXT returns the TXT records of name, the character-strings of
	// each record joined without separator.
	LookupTXT(ctx context.Context, name string) ([]string, error)
	// LookupMX returns the MX records of name.
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	// LookupIPAddr returns the IPv4 and IPv6 addresses of host.
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	// LookupAddr returns the names the PTR records of addr point to.
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

var _ Resolver = (*net.Resolver)(nil)

// netIPResolver is the optional single-family address lookup of
// *net.Resolver.
type netIPResolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// RFC 7208 limits.
const (
	// RFC 7208, section 4.6.4: no more than 10 mechanisms and modifiers
	// that query DNS may be evaluated per check.
	defaultLookupLimit = 10
	// RFC 7208, section 4.6.4: more than 2 lookups that return no answer
	// (NXDOMAIN or an empty answer) should end the check with permerror.
	defaultVoidLimit = 2
	// RFC 7208, section 4.6.4: an mx term may look at no more than 10 MX
	// names, a ptr term (and the p macro) at no more than 10 PTR names.
	maxMXNames  = 10
	maxPTRNames = 10
	// RFC 7208, section 7.3: an expanded domain name longer than 253
	// characters is truncated from the left.
	maxDomainLen = 253
	// RFC 1035, section 2.3.4: labels are at most 63 octets.
	maxLabelLen = 63
	// maxExplanationLen bounds an expanded explanation string; the RFC
	// sets no limit, this keeps hostile exp= records from growing without
	// bound.
	maxExplanationLen = 1024
	// maxDepth bounds the include and redirect nesting. The lookup limit
	// already ends a loop after 10 steps; this is a second guard for
	// callers who raise it.
	maxDepth = 64
)

// Record errors: the published record cannot be used (permerror).
var (
	// ErrSyntax means a record does not follow the grammar of RFC 7208,
	// section 12.
	ErrSyntax = errors.New("spf: record syntax error")
	// ErrMacro means a macro-string is malformed or uses a letter not
	// allowed where it appears (section 7).
	ErrMacro = errors.New("spf: invalid macro")
	// ErrMultipleRecords means a domain publishes more than one SPF record
	// (section 4.5).
	ErrMultipleRecords = errors.New("spf: multiple spf records")
)

// Evaluation errors: a limit or rule of check_host() was broken
// (permerror).
var (
	// ErrLookupLimit means more than the allowed number of DNS-querying
	// terms were evaluated (section 4.6.4).
	ErrLookupLimit = errors.New("spf: too many dns lookups")
	// ErrVoidLimit means too many DNS lookups found nothing (section
	// 4.6.4).
	ErrVoidLimit = errors.New("spf: too many void lookups")
	// ErrMXLimit means an mx term found more than 10 MX names (section
	// 4.6.4).
	ErrMXLimit = errors.New("spf: too many mx names")
	// ErrIncludeNone means an include: target has no SPF record (section
	// 5.2).
	ErrIncludeNone = errors.New("spf: include target has no spf record")
	// ErrRedirectNone means a redirect= target has no SPF record (section
	// 6.1).
	ErrRedirectNone = errors.New("spf: redirect target has no spf record")
	// ErrLoop means includes and redirects nested deeper than any
	// legitimate policy does.
	ErrLoop = errors.New("spf: include or redirect nesting too deep")
)

// DNS errors: the answer needed could not be had (temperror).
var (
	// ErrDNS means a DNS query failed with a server failure, a timeout or
	// a canceled context (section 2.6.6). The resolver's error is wrapped
	// too.
	ErrDNS = errors.New("spf: dns lookup failed")
)

// Argument errors: the check could not be made (none).
var (
	// ErrInvalidDomain means the domain to check is not a usable
	// fully-qualified domain name (section 4.3).
	ErrInvalidDomain = errors.New("spf: invalid domain")
	// ErrInvalidIP means Args.IP is not set.
	ErrInvalidIP = errors.New("spf: invalid client ip address")
)

// Args are the inputs of a check. The zero value of every optional field
// is valid.
type Args struct {
	// IP is the address of the SMTP client. An IPv4-mapped IPv6 address is
	// checked as IPv4 (RFC 7208, section 5).
	IP netip.Addr
	// MailFrom is the MAIL FROM reverse-path, without angle brackets. Empty
	// means the null reverse-path: postmaster@HELO is checked instead.
	MailFrom string
	// HELO is the HELO/EHLO domain the client gave.
	HELO string
	// Identity selects what is checked; empty means IdentityMailFrom.
	Identity Identity
	// Receiver is the domain of the checking host, for the r macro in
	// explanations; empty means "unknown".
	Receiver string
	// Now gives the time for the t macro in explanations; nil means
	// time.Now.
	Now func() time.Time
	// LookupLimit overrides the limit of 10 DNS-querying terms when
	// positive.
	LookupLimit int
	// VoidLimit overrides the limit of 2 void lookups when positive.
	VoidLimit int
}

// Result is the outcome of a check.
type Result struct {
	// Status is the SPF result.
	Status Status
	// Domain is the domain whose policy was checked: the MAIL FROM domain,
	// or the HELO domain.
	Domain string
	// Sender is the address used for the l, o and s macros, such as
	// "postmaster@mail.example.com" for a null reverse-path.
	Sender string
	// Explanation is the text the domain publishes for a fail result with
	// the exp= modifier (section 6.2), macro-expanded. It is empty when
	// the status is not fail or the domain gave no usable explanation; the
	// default explanation is then up to the receiver.
	Explanation string
	// Err tells why the status is temperror or permerror, or why no
	// check could be made (status none for a name that is not a usable
	// domain). It is nil for pass, fail, softfail and neutral, and for a
	// domain without a record. It wraps one of the package's sentinel
	// errors, or is a *ParseError.
	Err error
	// Matched is the term that decided the result, or nil when none did
	// (statuses none, the default neutral, and most errors).
	Matched *Match
	// Trace records how the result was reached.
	Trace Trace

	ip netip.Addr // the client address as checked, for Explain
}

// Match identifies the mechanism that decided a result.
type Match struct {
	// Domain is the domain whose record holds the mechanism; it differs
	// from Result.Domain after a redirect.
	Domain string
	// Directive is the mechanism with its qualifier.
	Directive Directive
	// Via lists the redirect= terms, outermost first, that led from the
	// checked domain to Domain, such as ["redirect=_spf.example.com"]. A
	// passing include: is itself the match, in the including record.
	Via []string
	// Record is the index in Result.Trace.Records of the record holding
	// the directive.
	Record int
}

// Check evaluates the SPF policy for args using r for DNS, following
// check_host() of RFC 7208, sections 4 to 6. It never returns temperror or
// permerror without an error in Result.Err. Canceling ctx ends the check
// with temperror.
func Check(ctx context.Context, r Resolver, args Args) Result {
	return newEvaluator(r, args).run(ctx)
}
