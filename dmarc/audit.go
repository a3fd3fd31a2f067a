package dmarc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/authlens/authlens/dnsclient"
)

// Finding is one observation of an [Audit].
type Finding struct {
	// Severity ranks the finding.
	Severity Severity
	// Code names the finding (kebab-case), stable for tooling.
	Code string
	// Message explains the finding in a sentence.
	Message string
}

// TagExplanation explains one tag of a record.
type TagExplanation struct {
	// Tag is the tag name.
	Tag string
	// Value is the tag value as parsed.
	Value string
	// Meaning explains the tag and its value in a sentence.
	Meaning string
}

// ReportDestination is one external reporting address and whether it
// authorized reports for the policy domain.
type ReportDestination struct {
	// URI is the rua= or ruf= entry.
	URI URI
	// Tag is "rua" or "ruf".
	Tag string
	// Domain is the destination's domain.
	Domain string
	// AuthName is the authorization record's name
	// (<policy domain>._report._dmarc.<destination domain>).
	AuthName string
	// Authorized is true when that name holds a v=DMARC1 TXT record.
	Authorized bool
	// Err is set when the authorization lookup failed temporarily.
	Err error
}

// AuditReport is the outcome of [Audit].
type AuditReport struct {
	// Domain is the domain audited, normalized.
	Domain string
	// Mode is the mode the findings are computed for.
	Mode Mode
	// Discovery is policy discovery in Mode.
	Discovery Discovery
	// Record is the record that applies to Domain, nil when none.
	Record *Record
	// OrgDomain7489 is Domain's organizational domain by the Public
	// Suffix List (RFC 7489).
	OrgDomain7489 string
	// OrgDomainBis is Domain's organizational domain by the DNS Tree
	// Walk (RFC 9989).
	OrgDomainBis string
	// Tags explains every tag of Record.
	Tags []TagExplanation
	// External lists the reporting destinations outside the policy
	// domain's organization and whether they authorized reports.
	External []ReportDestination
	// Findings lists the problems and remarks, most severe first.
	Findings []Finding
	// Queries lists every DNS query made, in order.
	Queries []Query
	// Err is discovery's error in Mode, if any.
	Err error
}

// Audit reviews the DMARC record that applies to domain: it runs policy
// discovery in both modes, explains every tag and reports findings (no
// record, monitoring-only policy, missing reports, weaker subdomain
// policies, sampling, unauthorized external report destinations, and the
// two modes disagreeing on the organizational domain). mode selects the
// mode the findings are computed for.
func Audit(ctx context.Context, r Resolver, domain string, mode Mode) AuditReport {
	mode = mode.normalize()
	rep := AuditReport{Mode: mode}
	w7489 := newWalker(ctx, r, Mode7489)
	d7489 := w7489.discover(domain)
	wBis := newWalker(ctx, r, ModeBis)
	// Share answers and the query log between the two modes.
	wBis.cache, wBis.queries = w7489.cache, w7489.queries
	dBis := wBis.discover(domain)
	w7489.queries = wBis.queries
	rep.OrgDomain7489, rep.OrgDomainBis = d7489.OrgDomain, dBis.OrgDomain
	disc, w := dBis, wBis
	if mode == Mode7489 {
		disc, w = d7489, w7489
	}
	rep.Domain, rep.Discovery, rep.Err = disc.Domain, disc, disc.Err
	add := func(sev Severity, code, format string, args ...any) {
		rep.Findings = append(rep.Findings, Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if d7489.OrgDomain != "" && dBis.OrgDomain != "" && d7489.OrgDomain != dBis.OrgDomain {
		add(SeverityWarning, "org-domain-mismatch",
			"the organizational domain is %s by the Public Suffix List (RFC 7489) but %s by the DNS Tree Walk (RFC 9989); relaxed alignment differs between receivers",
			d7489.OrgDomain, dBis.OrgDomain)
	}
	if (d7489.Record == nil) != (dBis.Record == nil) || d7489.PolicyDomain != dBis.PolicyDomain {
		add(SeverityWarning, "policy-domain-mismatch", "RFC 7489 receivers use the record at %s, RFC 9989 receivers the one at %s",
			orUnknown(d7489.PolicyDomain), orUnknown(dBis.PolicyDomain))
	}
	switch {
	case errors.Is(disc.Err, ErrDNS):
		add(SeverityError, "dns-error", "the DMARC record could not be looked up: %v", disc.Err)
	case errors.Is(disc.Err, ErrSyntax):
		add(SeverityError, "record-syntax", "the record at _dmarc.%s cannot be parsed, so receivers report permerror: %v", disc.PolicyDomain, disc.Err)
	case errors.Is(disc.Err, ErrMultipleRecords):
		add(SeverityError, "multiple-records", "more than one DMARC record is published, so receivers ignore them all: %v", disc.Err)
	case errors.Is(disc.Err, ErrRecordIgnored):
		add(SeverityError, "record-ignored", "the record at _dmarc.%s has no valid p= and no valid rua=, so RFC 7489 receivers ignore it", disc.PolicyDomain)
	case errors.Is(disc.Err, ErrInvalidDomain):
		add(SeverityError, "invalid-domain", "%v", disc.Err)
	case disc.Record == nil:
		add(SeverityError, "no-record", "no DMARC record applies to %s: receivers apply no DMARC policy and anyone can send as this domain", disc.Domain)
	}
	rec := disc.Record
	if rec == nil {
		rep.Queries = w.queries
		sortFindings(rep.Findings)
		return rep
	}
	rep.Record = rec
	if disc.PolicyDomain != disc.Domain {
		add(SeverityInfo, "inherited-policy", "%s has no record of its own; the record of %s applies", disc.Domain, disc.PolicyDomain)
	}
	for _, d := range rec.DiagnosesFor(mode) {
		add(d.Severity, string(d.Code), "%s", d.Message)
	}
	rep.Tags = explainTags(rec)
	p, _ := rec.DomainPolicy(mode)
	if p == PolicyNone {
		add(SeverityWarning, "policy-none", "p=none: monitoring only; failing mail is delivered as usual")
	}
	if !rec.hasRUA {
		add(SeverityWarning, "no-rua", "no rua= tag: no aggregate reports are sent, so failures go unnoticed")
	}
	if sp, _ := rec.SubPolicy(mode); policyRank(sp) < policyRank(p) {
		add(SeverityWarning, "sp-weaker", "sp=%s is weaker than p=%s: subdomains can be spoofed more easily than the domain", sp, p)
	}
	if mode == ModeBis && rec.NonexistentPolicy != "" && policyRank(rec.NonexistentPolicy) < policyRank(p) {
		add(SeverityWarning, "np-weaker", "np=%s is weaker than p=%s: made-up subdomains are protected less than the domain", rec.NonexistentPolicy, p)
	}
	if rec.HasPercent && rec.Percent < 100 {
		add(SeverityWarning, "pct-below-100", "pct=%d: RFC 7489 receivers apply the policy to only %d%% of failing mail", rec.Percent, rec.Percent)
	}
	if mode == ModeBis && rec.Testing == FlagYes {
		add(SeverityWarning, "testing-mode", "t=y: receivers apply the policy one step milder (testing mode)")
	}
	rep.External = checkDestinations(w, disc, rec)
	for _, d := range rep.External {
		switch {
		case d.Err != nil:
			add(SeverityWarning, "report-authorization-unchecked", "could not check whether %s accepts %s reports for %s: %v", d.Domain, d.Tag, disc.PolicyDomain, d.Err)
		case !d.Authorized:
			// RFC 7489, section 7.1: reports go to an outside domain only
			// when it publishes <policy domain>._report._dmarc.<its domain>.
			add(SeverityError, "unauthorized-report-destination", "%s=%s is outside %s and %s has no v=DMARC1 record, so receivers will not send reports there",
				d.Tag, d.URI.Address, disc.PolicyDomain, d.AuthName)
		}
	}
	rep.Queries = w.queries
	sortFindings(rep.Findings)
	return rep
}

func sortFindings(f []Finding) {
	rank := map[Severity]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}
	// Stable insertion sort keeps the order within a severity.
	for i := 1; i < len(f); i++ {
		for j := i; j > 0 && rank[f[j].Severity] < rank[f[j-1].Severity]; j-- {
			f[j], f[j-1] = f[j-1], f[j]
		}
	}
}

// checkDestinations checks every mailto: rua=/ruf= destination outside the
// policy domain's organization for the RFC 7489, section 7.1 authorization
// record.
func checkDestinations(w *walker, disc Discovery, rec *Record) []ReportDestination {
	var out []ReportDestination
	checked := map[string]*ReportDestination{}
	for _, l := range []struct {
		tag  string
		uris []URI
	}{{"rua", rec.AggregateReports}, {"ruf", rec.FailureReports}} {
		for _, u := range l.uris {
			dest := strings.TrimSuffix(u.MailboxDomain(), ".")
			if dest == "" {
				continue
			}
			destOrg, err := w.orgDomain(dest)
			policyOrg, perr := w.orgDomain(disc.PolicyDomain)
			if err == nil && perr == nil && destOrg == policyOrg {
				continue
			}
			d := ReportDestination{URI: u, Tag: l.tag, Domain: dest, AuthName: disc.PolicyDomain + "._report._dmarc." + dest}
			if prev, ok := checked[d.AuthName]; ok {
				d.Authorized, d.Err = prev.Authorized, prev.Err
			} else {
				d.Authorized, d.Err = w.authorized(d.AuthName)
				checked[d.AuthName] = &d
			}
			out = append(out, d)
		}
	}
	return out
}

// authorized looks for a v=DMARC1 TXT record at name.
func (w *walker) authorized(name string) (bool, error) {
	txts, err := w.r.LookupTXT(w.ctx, name+".")
	class := dnsclient.Classify(err)
	q := Query{Name: name, Type: "TXT", Class: class}
	defer func() { w.log(q) }()
	if err != nil {
		if dnsclient.IsNotFound(err) {
			q.Note = "no authorization record"
			return false, nil
		}
		q.Note = "lookup failed"
		return false, fmt.Errorf("%w: TXT %s: %v", ErrDNS, name, err)
	}
	for _, t := range txts {
		if v, _, _ := strings.Cut(t, ";"); strings.TrimSpace(strings.ReplaceAll(v, " ", "")) == "v=DMARC1" {
			q.Note = "authorized"
			return true, nil
		}
	}
	q.Note = "no v=DMARC1 record"
	return false, nil
}

// explainTags explains each tag of rec in a sentence.
func explainTags(rec *Record) []TagExplanation {
	var out []TagExplanation
	add := func(tag, value, meaning string) {
		out = append(out, TagExplanation{Tag: tag, Value: value, Meaning: meaning})
	}
	add("v", rec.Version, "DMARC version 1: this TXT record is a DMARC policy record.")
	policyText := map[Policy]string{
		PolicyNone:       "take no action (monitoring only)",
		PolicyQuarantine: "treat failing mail as suspicious, such as delivering it to the spam folder",
		PolicyReject:     "reject failing mail during the SMTP transaction",
	}
	if rec.Policy != "" {
		add("p", string(rec.Policy), "For mail from the domain itself that fails DMARC, receivers should "+policyText[rec.Policy]+".")
	}
	if rec.SubdomainPolicy != "" {
		add("sp", string(rec.SubdomainPolicy), "For mail from subdomains that fails DMARC, receivers should "+policyText[rec.SubdomainPolicy]+".")
	}
	if rec.NonexistentPolicy != "" {
		add("np", string(rec.NonexistentPolicy), "For mail from subdomains that do not exist in DNS, receivers should "+policyText[rec.NonexistentPolicy]+" (RFC 9989).")
	}
	modeText := map[string]string{"r": "relaxed: the organizational domains must match", "s": "strict: the domains must be identical"}
	if rec.ADKIM != "" {
		add("adkim", string(rec.ADKIM), "DKIM alignment is "+modeText[string(rec.ADKIM)]+".")
	}
	if rec.ASPF != "" {
		add("aspf", string(rec.ASPF), "SPF alignment is "+modeText[string(rec.ASPF)]+".")
	}
	if rec.HasPercent {
		add("pct", strconv.Itoa(rec.Percent), fmt.Sprintf("RFC 7489 receivers apply the policy to %d%% of failing mail and a milder one to the rest; RFC 9989 removed this tag.", rec.Percent))
	}
	if rec.FailureOptions != nil {
		add("fo", strings.Join(rec.FailureOptions, ":"), "Failure reports are requested when "+foText(rec.FailureOptions)+".")
	}
	if rec.ReportFormats != nil {
		add("rf", strings.Join(rec.ReportFormats, ":"), "Failure reports use the Authentication Failure Reporting Format (RFC 6591); RFC 9989 removed this tag.")
	}
	if rec.HasReportInterval {
		add("ri", strconv.FormatUint(uint64(rec.ReportInterval), 10), fmt.Sprintf("Aggregate reports are requested every %d seconds; RFC 9989 removed this tag.", rec.ReportInterval))
	}
	uriList := func(l []URI) string {
		s := make([]string, len(l))
		for i, u := range l {
			s[i] = u.String()
		}
		return strings.Join(s, ",")
	}
	if rec.hasRUA {
		add("rua", uriList(rec.AggregateReports), "Daily aggregate reports are sent to these addresses.")
	}
	if rec.hasRUF {
		add("ruf", uriList(rec.FailureReports), "Per-message failure reports are sent to these addresses.")
	}
	if rec.PSD != "" {
		add("psd", string(rec.PSD), map[PSD]string{
			PSDYes:     "The domain is a public suffix domain: its organizational domains are the names one label below it (RFC 9989).",
			PSDNo:      "The domain is an organizational domain: the DNS Tree Walk stops here (RFC 9989).",
			PSDUnknown: "The record makes no statement about being a public suffix domain (RFC 9989).",
		}[rec.PSD])
	}
	if rec.Testing != "" {
		add("t", string(rec.Testing), map[Flag]string{
			FlagYes: "Testing mode: receivers apply the policy one step milder (RFC 9989).",
			FlagNo:  "Not in testing mode: receivers apply the policy as written (RFC 9989).",
		}[rec.Testing])
	}
	for _, t := range rec.Extensions {
		add(t.Name, t.Value, "Unknown tag; receivers ignore it.")
	}
	return out
}

func foText(opts []string) string {
	text := map[string]string{
		"0": "both SPF and DKIM fail to produce an aligned pass",
		"1": "either SPF or DKIM fails to produce an aligned pass",
		"d": "a DKIM signature fails to verify",
		"s": "SPF fails",
	}
	var parts []string
	for _, o := range opts {
		parts = append(parts, text[o])
	}
	if len(parts) == 0 {
		return "nothing (no valid option)"
	}
	return strings.Join(parts, ", or ")
}
