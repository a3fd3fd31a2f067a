// Package authlens tells whether an email message really comes from the
// domain in its From field, and why: the one-call façade over packages
// authres, spf, dkim, dmarc and compauth.
//
// [Analyze] reads a message (or just its header block) and works out, with
// no network access, what the receivers that handled it recorded: it parses
// every Authentication-Results, ARC-Authentication-Results and Received-SPF
// field (RFC 8601, RFC 8617, RFC 7208 section 9.1), decides which receiver's
// results to trust, recomputes SPF and DKIM identifier alignment with the
// From domain (RFC 7489, section 3.1), and explains what it sees as
// findings.
//
// Which header to trust matters: Authentication-Results fields are
// prepended by each receiver, so the topmost one was written by the last
// hop, normally the reader's own mail system; anything below it may have
// been written by an earlier hop, or forged by the sender
// (RFC 8601, section 7.1). [Options.TrustedAuthServIDs] names the receivers
// to trust when the topmost is not the right one.
package authlens

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/message"
	"github.com/authlens/authlens/trust"
)

// Options tune an analysis. The zero value is ready to use.
type Options struct {
	// Source names the input in the report ("path", "path#N", "-").
	Source string
	// TrustedAuthServIDs names the receivers whose Authentication-Results
	// are trusted, by authserv-id; a name also matches its subdomains
	// ("google.com" trusts "mx.google.com"). Microsoft 365 writes no
	// authserv-id; its headers match "protection.outlook.com". Empty: the
	// topmost Authentication-Results field is trusted.
	TrustedAuthServIDs []string
	// MaxBodyBytes bounds the body read into memory (0 = 64 MiB; < 0 =
	// body skipped). Headers are bounded by the header reader's limits.
	MaxBodyBytes int64
	// BodyCheck chooses which messages get the offline DKIM body check;
	// the zero value checks every message.
	BodyCheck BodyCheckMode
	// Now is the clock Received dates are judged against (a date in the
	// future is a finding), and DKIM expiry unless VerifyAt says otherwise;
	// nil means time.Now.
	Now func() time.Time

	// Resolver, when set, turns on online mode: SPF, DKIM and DMARC are
	// checked over DNS and reported beside the recorded verdicts.
	Resolver Resolver
	// VerifyAt chooses the moment DKIM signature expiry is judged at.
	VerifyAt VerifyTime
	// DMARCMode chooses RFC 9989 (default) or RFC 7489 policy discovery.
	DMARCMode dmarc.Mode
	// ARCTrustedSealers names the ARC sealers (d= domains) trusted to
	// vouch for forwarded mail.
	ARCTrustedSealers []string
	// Cache, if set, keeps what online checks parse from DNS answers
	// (DKIM keys) for the other analyses sharing it; see [NewCache].
	Cache *Cache
}

// ErrUnreadable means the input could not be analysed at all.
var ErrUnreadable = errors.New("authlens: message unreadable")

// Analyze reads one message from r and reports on its authentication.
// It returns an error only when the input is not a message at all (empty,
// binary, no header block); the returned report then carries Source and
// Error. Everything else — an unreadable header, an impossible verdict —
// is a finding in the report.
func Analyze(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	return analyze(ctx, opts, func(o message.Options) (*message.Message, error) { return message.Read(r, o) })
}

// AnalyzeBytes is [Analyze] for a message held in memory. It reads data in
// place rather than copying it, so data must not change until AnalyzeBytes
// returns; the report does not refer to data afterwards.
func AnalyzeBytes(ctx context.Context, data []byte, opts Options) (*Report, error) {
	return analyze(ctx, opts, func(o message.Options) (*message.Message, error) { return message.Parse(data, o) })
}

// analyze runs the analysis on the message that read returns.
func analyze(ctx context.Context, opts Options, read func(message.Options) (*message.Message, error)) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return &Report{Source: opts.Source, Error: err.Error()}, err
	}
	msg, err := read(message.Options{MaxBodyBytes: opts.MaxBodyBytes})
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrUnreadable, err)
		return &Report{Source: opts.Source, Error: err.Error(), AuthResults: []AuthResultsField{}, DKIM: []DKIMVerdict{}, Findings: []finding.Finding{}}, err
	}
	a := &analysis{opts: opts, msg: msg, rep: &Report{
		Source:      opts.Source,
		AuthResults: []AuthResultsField{},
		DKIM:        []DKIMVerdict{},
		Findings:    []finding.Finding{},
	}}
	// The steps, in the order their inputs require. Each reads only what
	// the steps above it produced:
	a.noBody = len(bytes.TrimSpace(msg.Body)) == 0
	a.identities()     // From and Return-Path: the identities to align with
	a.summary()        // Subject, Date, Message-ID, To, Reply-To
	a.headerDamage()   // what the lenient header reading forgave
	a.authResults()    // every AR-like field, and whom to trust (package trust)
	a.verdicts()       // the trusted SPF, DKIM, DMARC and compauth results; needs From and the boundary
	a.bodyCheck()      // body hashes of the recorded DKIM verdicts
	a.trace()          // the Received chain, its entry hop reconciled with the receiver's records
	a.online(ctx)      // live checks beside the recorded ones; needs the client address from trace
	a.arcChain(ctx)    // the ARC chain; needs the recorded verdicts to say what it vouches for
	a.microsoft()      // compauth explained and estimated from the verdicts and ARC; antispam fields
	a.bounceReport()   // a delivery failure report, when the message is one
	a.conclude()       // the verdict: a pure function of the recorded facts (decideVerdict)
	a.authorFindings() // what makes the author look like someone else; weighed by the verdict
	sortFindings(a.rep.Findings)
	return a.rep, nil
}

// analysis carries one message through the steps of Analyze.
type analysis struct {
	opts Options
	msg  *message.Message
	rep  *Report
	// boundary holds the parsed AR-like fields, parallel to
	// rep.AuthResults, and which of them are trusted.
	boundary *trust.Boundary
	// fromDomain is the From domain alignment is checked against.
	fromDomain string
	// noBody is true when the input has no body: a header block pasted
	// alone. Body hashes are then not checked at all.
	noBody bool
	// bodyChecks are the body hashes the offline body check or the
	// online verification computed, for the verification and the ARC
	// message signatures to reuse.
	bodyChecks []dkim.BodyCheck
	// hdr is the header block as package trust reads it, with the
	// Received fields parsed once for trust and the trace.
	hdr trust.ReceivedHeader
	// spfOrigin is where the SPF domain came from ("smtp.mailfrom",
	// "received-spf", or "helo" for a null sender).
	spfOrigin string
}

func (a *analysis) add(sev finding.Severity, code finding.Code, format string, args ...any) {
	a.rep.Findings = append(a.rep.Findings, finding.Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// identities fills From and the From findings (RFC 5322, section 3.6: one
// From field; RFC 7489, section 6.6.1: several From addresses).
func (a *analysis) identities() {
	m := a.msg
	switch {
	case m.FromFields == 0:
		a.add(finding.High, CodeNoFrom, "The message has no From field, so there is no author domain to authenticate.")
	case m.FromFields > 1:
		a.add(finding.High, CodeMultipleFromFields, "The message has %d From fields; RFC 5322 allows one, and mail clients may show a different one than the one that was checked.", m.FromFields)
	}
	if m.FromErr != nil {
		a.add(finding.Medium, CodeFromUnreadable, "%s. No author domain can be read from it, so nothing can authenticate it, and mail clients may show it in different ways.", plainFromError(m.FromErr))
	}
	if len(m.From) > 0 && m.From[0].Domain == "" && strings.Contains(m.From[0].Address, "@") {
		a.add(finding.High, CodeFromDomainUnreadable, "The From address %q has a domain that is not a domain name (control characters, escape sequences, invisible characters or invalid UTF-8): a mail client may show it as another domain, and nothing can authenticate it.", m.From[0].Address)
	}
	if len(m.From) > 0 {
		a.rep.From = &Identity{Address: m.From[0].Address, Domain: m.From[0].Domain, Name: m.From[0].Name}
		a.fromDomain = m.From[0].Domain
	}
	if len(m.From) > 1 {
		domains := map[string]bool{}
		for _, f := range m.From {
			domains[f.Domain] = true
		}
		if len(domains) > 1 {
			a.add(finding.High, CodeMultipleFromAddrs, "The From fields name %d addresses in %d different domains; DMARC can authenticate only one author domain (RFC 7489, section 6.6.1), so receivers may reject such mail.", len(m.From), len(domains))
		} else {
			a.add(finding.Low, CodeMultipleFromAddrs, "The From fields name %d addresses, all in %s.", len(m.From), a.fromDomain)
		}
	}
	if m.ReturnPath != nil {
		a.rep.MailFrom = &MailFrom{Address: m.ReturnPath.Address, Domain: m.ReturnPath.Domain, Origin: "return-path"}
	}
	if a.noBody && (hasField(m, "DKIM-Signature") || hasField(m, "ARC-Message-Signature")) {
		a.add(finding.Info, CodeBodyAbsent, "The input has no body (a header block pasted alone?), so the DKIM and ARC body hashes were not checked; signatures are judged on their header fields only.")
	}
	if m.BodyTruncated {
		a.add(finding.Info, CodeBodyTruncatedAtRead, "The body is larger than the configured limit; only its beginning was read.")
	}
}

// plainFromError says in plain words why a From field could not be read,
// instead of the address parser's terse errors.
func plainFromError(err error) string {
	msg := err.Error()
	where, detail, ok := strings.Cut(msg, ": mail: ")
	if !ok {
		return "A From field could not be read (" + msg + ")"
	}
	switch {
	case strings.Contains(detail, "missing @") || strings.Contains(detail, "missing '@'"):
		detail = "the address has no @domain"
	case strings.Contains(detail, "no angle-addr"), strings.Contains(detail, "unclosed angle-addr"):
		detail = "the address in angle brackets is not closed or missing"
	case strings.Contains(detail, "no address"):
		detail = "it holds no address"
	default:
		detail = "it is not an address list (" + detail + ")"
	}
	return "The " + where + " could not be read: " + detail
}
