package dmarc

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/authlens/authlens/align"
)

// Record parsing errors.
var (
	// ErrNotDMARC is returned with isDMARC false for a TXT record that
	// looks like an attempt at a DMARC record but does not begin with a
	// valid version tag (for example "v=dmarc1": the value is
	// case-sensitive).
	ErrNotDMARC = errors.New("dmarc: not a DMARC record")
	// ErrSyntax is returned for a record whose tag list cannot be read
	// (a component that is not tag=value, or a malformed tag name).
	ErrSyntax = errors.New("dmarc: record syntax error")
)

// Policy is a requested handling for mail that fails DMARC, as written in
// the p=, sp= and np= tags, and the disposition a receiver applies.
type Policy string

// The policies of RFC 7489, section 6.3 and RFC 9989, section 4.7.
const (
	PolicyNone       Policy = "none"       // monitoring only
	PolicyQuarantine Policy = "quarantine" // treat as suspicious (spam folder)
	PolicyReject     Policy = "reject"     // refuse the message
)

// PSD is the value of the RFC 9989 psd= tag.
type PSD string

// The psd= values of RFC 9989, section 4.7.
const (
	PSDYes     PSD = "y" // the domain is a public suffix domain
	PSDNo      PSD = "n" // the domain is an organizational domain
	PSDUnknown PSD = "u" // no statement (the default)
)

// Flag is a y/n value, as in the RFC 9989 t= tag.
type Flag string

// Flag values.
const (
	FlagYes Flag = "y" // yes
	FlagNo  Flag = "n" // no (the default)
)

// URI is one reporting destination of a rua= or ruf= tag (RFC 7489,
// section 6.2), with its optional size limit.
//
// Example:
//
//	mailto:dmarc@example.com!10m
type URI struct {
	// Address is the URI itself, such as "mailto:dmarc@example.com".
	Address string
	// MaxSize is the size limit after "!", 0 when there is none.
	MaxSize uint64
	// Unit is the limit's unit: "", "k", "m", "g" or "t".
	Unit string
}

// String formats u as in a record.
func (u URI) String() string {
	if u.MaxSize == 0 && u.Unit == "" {
		return u.Address
	}
	return u.Address + "!" + strconv.FormatUint(u.MaxSize, 10) + u.Unit
}

// Limit returns the size limit in bytes, 0 when there is none.
func (u URI) Limit() uint64 {
	shift := map[string]uint{"": 0, "k": 10, "m": 20, "g": 30, "t": 40}[u.Unit]
	if u.MaxSize > (^uint64(0))>>shift {
		return ^uint64(0)
	}
	return u.MaxSize << shift
}

// MailboxDomain returns the domain of a mailto: URI, "" for other schemes.
func (u URI) MailboxDomain() string {
	addr, ok := strings.CutPrefix(strings.ToLower(u.Address), "mailto:")
	if !ok {
		return ""
	}
	if i := strings.IndexByte(addr, '?'); i >= 0 {
		addr = addr[:i]
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return ""
	}
	d, err := url.PathUnescape(addr[at+1:])
	if err != nil {
		return ""
	}
	return d
}

// Tag is one tag=value pair of a record that this package does not know.
type Tag struct {
	// Name is the tag name, lower case.
	Name string
	// Value is the tag value, surrounding spaces removed.
	Value string
}

// Severity ranks a [Diagnosis] or an audit [Finding].
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // the record or tag does not work as written
	SeverityWarning Severity = "warning" // works, but probably not as intended
	SeverityInfo    Severity = "info"    // worth knowing
)

// DiagnosisCode names a kind of problem found while parsing a record.
type DiagnosisCode string

// Diagnosis codes.
const (
	DiagSyntax            DiagnosisCode = "syntax"              // a component is not tag=value
	DiagVersionNotFirst   DiagnosisCode = "version-not-first"   // v=DMARC1 is not the first tag
	DiagDuplicateTag      DiagnosisCode = "duplicate-tag"       // a tag appears twice; the first counts
	DiagUnknownTag        DiagnosisCode = "unknown-tag"         // ignored
	DiagMissingPolicy     DiagnosisCode = "missing-policy"      // no p= tag
	DiagPolicyNotSecond   DiagnosisCode = "policy-not-second"   // RFC 7489 grammar puts p= right after v=
	DiagInvalidPolicy     DiagnosisCode = "invalid-policy"      // p= value not none/quarantine/reject
	DiagInvalidSubdomain  DiagnosisCode = "invalid-sp"          // sp= value invalid
	DiagInvalidNonexist   DiagnosisCode = "invalid-np"          // np= value invalid
	DiagInvalidAlignment  DiagnosisCode = "invalid-alignment"   // adkim= or aspf= not r/s
	DiagInvalidPercent    DiagnosisCode = "invalid-pct"         // pct= not an integer 0-100
	DiagInvalidFO         DiagnosisCode = "invalid-fo"          // fo= has an unknown option
	DiagInvalidRF         DiagnosisCode = "invalid-rf"          // rf= has an unknown format
	DiagInvalidRI         DiagnosisCode = "invalid-ri"          // ri= not a 32-bit unsigned integer
	DiagInvalidURI        DiagnosisCode = "invalid-uri"         // a rua=/ruf= entry is not a URI
	DiagInvalidPSD        DiagnosisCode = "invalid-psd"         // psd= not y/n/u
	DiagInvalidTesting    DiagnosisCode = "invalid-t"           // t= not y/n
	DiagObsoleteTag       DiagnosisCode = "obsolete-tag"        // pct/rf/ri, removed by RFC 9989
	DiagTagNotInRFC7489   DiagnosisCode = "tag-not-in-rfc7489"  // np/psd/t, ignored by RFC 7489 receivers
	DiagEmptyReportURIs   DiagnosisCode = "no-valid-report-uri" // rua=/ruf= present without one valid URI
	DiagPolicyWithoutRUA  DiagnosisCode = "record-ignored"      // RFC 7489: invalid p= and no valid rua=
	DiagTrailingSeparator DiagnosisCode = "empty-component"     // ";;" or a leading ";"
	DiagMoreProblems      DiagnosisCode = "more-problems"       // more distinct problems than are listed
)

// Diagnosis is one problem found in a record: a code, a severity, the tag
// it concerns and a sentence for people.
type Diagnosis struct {
	Code     DiagnosisCode
	Severity Severity
	// Tag is the tag concerned, "" for the record as a whole.
	Tag string
	// Only is the mode the problem matters in, "" for both.
	Only Mode
	// Message explains the problem in one sentence; for a problem found
	// several times, the first one, with the count.
	Message string
	// Count is how many times the problem was found (1 once): repeats of
	// the same code for the same tag are reported once.
	Count int
}

// Record is a parsed DMARC policy record (RFC 7489, section 6.3; RFC 9989,
// section 4.7). Tags that were absent or invalid hold their zero value;
// accessor methods return the defaults that then apply.
//
// Example:
//
//	v=DMARC1; p=reject; sp=quarantine; adkim=s; rua=mailto:dmarc@example.com
type Record struct {
	// Version is the "v" tag, always "DMARC1".
	Version string
	// Policy is the "p" tag, "" when absent or invalid.
	Policy Policy
	// SubdomainPolicy is the "sp" tag, "" when absent or invalid.
	SubdomainPolicy Policy
	// NonexistentPolicy is the RFC 9989 "np" tag, "" when absent or invalid.
	NonexistentPolicy Policy
	// ADKIM is the "adkim" tag, "" when absent (relaxed applies).
	ADKIM align.Mode
	// ASPF is the "aspf" tag, "" when absent (relaxed applies).
	ASPF align.Mode
	// Percent is the RFC 7489 "pct" tag; meaningful when HasPercent.
	Percent int
	// HasPercent is true when a valid "pct" tag was present.
	HasPercent bool
	// FailureOptions is the "fo" tag split at colons, nil when absent.
	FailureOptions []string
	// ReportFormats is the RFC 7489 "rf" tag split at colons, nil when absent.
	ReportFormats []string
	// ReportInterval is the RFC 7489 "ri" tag in seconds; meaningful when
	// HasReportInterval.
	ReportInterval uint32
	// HasReportInterval is true when a valid "ri" tag was present.
	HasReportInterval bool
	// AggregateReports is the "rua" tag, nil when absent.
	AggregateReports []URI
	// FailureReports is the "ruf" tag, nil when absent.
	FailureReports []URI
	// PSD is the RFC 9989 "psd" tag, "" when absent (u applies).
	PSD PSD
	// Testing is the RFC 9989 "t" tag, "" when absent (n applies).
	Testing Flag
	// Extensions holds unknown tags in order; receivers ignore them.
	Extensions []Tag
	// Diagnoses lists every problem found while parsing.
	Diagnoses []Diagnosis

	// hasRUA and hasRUF record that the tag was present, even when no
	// URI in it was valid.
	hasRUA, hasRUF bool
}

// ParseRecord parses txt as a DMARC record. isDMARC reports whether txt is
// a DMARC record at all: records that do not begin with "v=DMARC1" are
// discarded by receivers (RFC 7489, section 6.6.3), and are returned with
// isDMARC false, a nil record and an error only when they look like a
// mistyped DMARC record. For a DMARC record whose tag list cannot be read
// the record is returned with its diagnoses and an error wrapping
// [ErrSyntax]. Every other problem (bad values, unknown or duplicated tags,
// missing p=) is a [Diagnosis] on the record, and the default applies.
func ParseRecord(txt string) (rec *Record, isDMARC bool, err error) {
	parts := strings.Split(txt, ";")
	first := strings.TrimSpace(parts[0])
	name, value, ok := strings.Cut(first, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || !strings.EqualFold(name, "v") {
		// RFC 7489, section 6.3: v= must be the first tag; a record whose
		// first tag is something else is not DMARC.
		if strings.Contains(strings.ToLower(txt), "v=dmarc1") {
			return nil, false, fmt.Errorf("%w: v=DMARC1 must be the first tag", ErrNotDMARC)
		}
		return nil, false, nil
	}
	if value != "DMARC1" {
		// RFC 7489, section 6.4: the version value is a case-sensitive
		// literal.
		if strings.EqualFold(value, "DMARC1") {
			return nil, false, fmt.Errorf("%w: version %q must be written DMARC1 (case-sensitive)", ErrNotDMARC, value)
		}
		return nil, false, nil
	}
	p := parser{rec: &Record{Version: "DMARC1"}, seen: map[string]bool{"v": true}}
	for i, part := range parts[1:] {
		p.component(i+1, part, i == len(parts)-2)
	}
	p.finish()
	if p.syntaxErr != nil {
		return p.rec, true, p.syntaxErr
	}
	return p.rec, true, nil
}

// maxDiagnoses bounds the distinct diagnoses of one record; a record long
// enough to hold more (a TXT record can be 64 KB) gets one more saying how
// many were left out.
const maxDiagnoses = 50

// diagKey identifies repeats of one problem.
type diagKey struct {
	code DiagnosisCode
	sev  Severity
	tag  string
	only Mode
}

// parser holds the state of one ParseRecord call.
type parser struct {
	rec       *Record
	seen      map[string]bool
	order     []string
	syntaxErr error
	diags     map[diagKey]int // index in rec.Diagnoses
	first     []string        // each diagnosis's first message
	dropped   int             // diagnoses past maxDiagnoses
	finishing bool            // record-wide checks, never dropped
}

// diag records a problem. A repeat of the same code for the same tag is
// counted on the first one rather than listed again.
func (p *parser) diag(code DiagnosisCode, sev Severity, tag string, only Mode, format string, args ...any) {
	k := diagKey{code, sev, tag, only}
	if i, ok := p.diags[k]; ok {
		d := &p.rec.Diagnoses[i]
		d.Count++
		d.Message = fmt.Sprintf("%s (found %d times)", p.first[i], d.Count)
		return
	}
	if len(p.rec.Diagnoses) >= maxDiagnoses && !p.finishing {
		p.dropped++
		return
	}
	if p.diags == nil {
		p.diags = make(map[diagKey]int)
	}
	p.diags[k] = len(p.rec.Diagnoses)
	msg := fmt.Sprintf(format, args...)
	p.first = append(p.first, msg)
	p.rec.Diagnoses = append(p.rec.Diagnoses, Diagnosis{Code: code, Severity: sev, Tag: tag, Only: only, Message: msg, Count: 1})
}

func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return false
		}
	}
	return true
}

func (p *parser) component(index int, part string, last bool) {
	part = strings.TrimSpace(part)
	if part == "" {
		if !last {
			p.diag(DiagTrailingSeparator, SeverityInfo, "", "", "component %d is empty (two semicolons in a row)", index+1)
		}
		return
	}
	name, value, ok := strings.Cut(part, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || !validTagName(name) {
		p.diag(DiagSyntax, SeverityError, "", "", "component %q is not a tag=value pair", part)
		if p.syntaxErr == nil {
			p.syntaxErr = fmt.Errorf("%w: component %q is not a tag=value pair", ErrSyntax, part)
		}
		return
	}
	lname := strings.ToLower(name)
	if p.seen[lname] {
		if lname == "v" {
			p.diag(DiagVersionNotFirst, SeverityError, "v", "", "v= appears again after the first tag; only the first counts")
		} else {
			p.diag(DiagDuplicateTag, SeverityWarning, lname, "", "tag %s= appears more than once; only the first one counts", lname)
		}
		return
	}
	p.seen[lname] = true
	p.order = append(p.order, lname)
	r := p.rec
	switch lname {
	case "p":
		if pol, ok := ParsePolicy(value); ok {
			r.Policy = pol
		} else {
			p.diag(DiagInvalidPolicy, SeverityError, "p", "", "p=%s is not none, quarantine or reject", value)
		}
		if index != 1 {
			// RFC 7489, section 6.4: the grammar places p= directly after v=.
			p.diag(DiagPolicyNotSecond, SeverityInfo, "p", Mode7489, "p= is not the tag right after v=, where the RFC 7489 grammar puts it")
		}
	case "sp":
		if pol, ok := ParsePolicy(value); ok {
			r.SubdomainPolicy = pol
		} else {
			p.diag(DiagInvalidSubdomain, SeverityError, "sp", "", "sp=%s is not none, quarantine or reject", value)
		}
	case "np":
		if pol, ok := ParsePolicy(value); ok {
			r.NonexistentPolicy = pol
		} else {
			p.diag(DiagInvalidNonexist, SeverityError, "np", "", "np=%s is not none, quarantine or reject; the sp= policy applies instead", value)
		}
		p.diag(DiagTagNotInRFC7489, SeverityInfo, "np", Mode7489, "np= is defined by RFC 9989; RFC 7489 receivers ignore it")
	case "adkim", "aspf":
		m, ok := parseAlign(value)
		if !ok {
			p.diag(DiagInvalidAlignment, SeverityError, lname, "", "%s=%s is neither r (relaxed) nor s (strict); relaxed applies", lname, value)
		} else if lname == "adkim" {
			r.ADKIM = m
		} else {
			r.ASPF = m
		}
	case "pct":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 100 || strings.HasPrefix(value, "+") {
			p.diag(DiagInvalidPercent, SeverityError, "pct", "", "pct=%s is not a whole number from 0 to 100; 100 applies", value)
		} else {
			r.Percent, r.HasPercent = n, true
		}
		p.diag(DiagObsoleteTag, SeverityWarning, "pct", ModeBis, "pct= was removed by RFC 9989 (replaced by t=); RFC 9989 receivers ignore it")
	case "fo":
		opts := splitList(value, ":")
		var good []string
		for _, o := range opts {
			switch lo := strings.ToLower(o); lo {
			case "0", "1", "d", "s":
				good = append(good, lo)
			default:
				p.diag(DiagInvalidFO, SeverityWarning, "fo", "", "fo= option %q is not one of 0, 1, d, s and is ignored", o)
			}
		}
		if good == nil {
			good = []string{}
		}
		r.FailureOptions = good
	case "rf":
		var good []string
		for _, f := range splitList(value, ":") {
			if strings.EqualFold(f, "afrf") {
				good = append(good, "afrf")
			} else {
				p.diag(DiagInvalidRF, SeverityWarning, "rf", "", "rf= format %q is not known (only afrf is defined) and is ignored", f)
			}
		}
		if good == nil {
			good = []string{}
		}
		r.ReportFormats = good
		p.diag(DiagObsoleteTag, SeverityInfo, "rf", ModeBis, "rf= was removed by RFC 9989; receivers ignore it")
	case "ri":
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil || strings.HasPrefix(value, "+") {
			p.diag(DiagInvalidRI, SeverityWarning, "ri", "", "ri=%s is not a 32-bit whole number of seconds; 86400 applies", value)
		} else {
			r.ReportInterval, r.HasReportInterval = uint32(n), true
		}
		p.diag(DiagObsoleteTag, SeverityInfo, "ri", ModeBis, "ri= was removed by RFC 9989; receivers ignore it")
	case "rua", "ruf":
		uris := p.uris(lname, value)
		if lname == "rua" {
			r.AggregateReports, r.hasRUA = uris, true
		} else {
			r.FailureReports, r.hasRUF = uris, true
		}
	case "psd":
		switch v := PSD(strings.ToLower(value)); v {
		case PSDYes, PSDNo, PSDUnknown:
			r.PSD = v
		default:
			p.diag(DiagInvalidPSD, SeverityError, "psd", "", "psd=%s is not y, n or u; u applies", value)
		}
		p.diag(DiagTagNotInRFC7489, SeverityInfo, "psd", Mode7489, "psd= is defined by RFC 9989; RFC 7489 receivers ignore it")
	case "t":
		switch v := Flag(strings.ToLower(value)); v {
		case FlagYes, FlagNo:
			r.Testing = v
		default:
			p.diag(DiagInvalidTesting, SeverityError, "t", "", "t=%s is neither y nor n; n applies", value)
		}
		p.diag(DiagTagNotInRFC7489, SeverityInfo, "t", Mode7489, "t= is defined by RFC 9989; RFC 7489 receivers ignore it")
	default:
		// RFC 7489, section 6.3 and RFC 9989, section 4.7: unknown tags
		// are ignored.
		r.Extensions = append(r.Extensions, Tag{Name: lname, Value: value})
		p.diag(DiagUnknownTag, SeverityInfo, lname, "", "tag %s= is not defined and is ignored", lname)
	}
}

// uris parses a comma-separated rua=/ruf= list, dropping invalid entries.
func (p *parser) uris(tag, value string) []URI {
	out := []URI{}
	for _, raw := range splitList(value, ",") {
		u, err := parseURI(raw)
		if err != nil {
			p.diag(DiagInvalidURI, SeverityError, tag, "", "%s= entry %q is not a valid URI (%v) and is ignored", tag, raw, err)
			continue
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		p.diag(DiagEmptyReportURIs, SeverityError, tag, "", "%s= holds no valid URI, so no reports can be sent", tag)
	}
	return out
}

// parseURI parses one "uri[!size[unit]]" entry (RFC 7489, section 6.4).
func parseURI(raw string) (URI, error) {
	addr, size := raw, ""
	if i := strings.LastIndexByte(raw, '!'); i >= 0 {
		addr, size = raw[:i], raw[i+1:]
	}
	var u URI
	if size != "" || strings.Contains(raw, "!") {
		digits := strings.TrimRight(size, "kmgtKMGT")
		unit := strings.ToLower(size[len(digits):])
		if len(unit) > 1 || digits == "" {
			return URI{}, fmt.Errorf("bad size limit %q", size)
		}
		n, err := strconv.ParseUint(digits, 10, 64)
		if err != nil || strings.HasPrefix(digits, "+") {
			return URI{}, fmt.Errorf("bad size limit %q", size)
		}
		u.MaxSize, u.Unit = n, unit
	}
	addr = strings.TrimSpace(addr)
	if strings.ContainsAny(addr, " \t,;!") {
		return URI{}, errors.New("unescaped space, comma, semicolon or '!'")
	}
	pu, err := url.Parse(addr)
	if err != nil {
		return URI{}, err
	}
	if pu.Scheme == "" || (pu.Opaque == "" && pu.Host == "" && pu.Path == "") {
		return URI{}, errors.New("no scheme")
	}
	u.Address = addr
	return u, nil
}

func splitList(value, sep string) []string {
	var out []string
	for s := range strings.SplitSeq(value, sep) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ParsePolicy reads a policy word (none, quarantine, reject) in any letter
// case, as the p=, sp= and np= tags hold it (RFC 7489, section 6.3).
func ParsePolicy(s string) (Policy, bool) {
	switch p := Policy(strings.ToLower(s)); p {
	case PolicyNone, PolicyQuarantine, PolicyReject:
		return p, true
	}
	return "", false
}

func parseAlign(s string) (align.Mode, bool) {
	switch m := align.Mode(strings.ToLower(s)); m {
	case align.ModeRelaxed, align.ModeStrict:
		return m, true
	}
	return "", false
}

// finish adds the diagnoses that concern the record as a whole.
func (p *parser) finish() {
	p.finishing = true
	if p.dropped > 0 {
		p.diag(DiagMoreProblems, SeverityInfo, "", "", "%d more problems in components not listed", p.dropped)
	}
	r := p.rec
	if !p.seen["p"] {
		if r.hasValidRUA() {
			p.diag(DiagMissingPolicy, SeverityWarning, "p", Mode7489, "no p= tag; with a valid rua= an RFC 7489 receiver acts as if p=none")
		} else {
			p.diag(DiagPolicyWithoutRUA, SeverityError, "p", Mode7489, "no p= tag and no valid rua=; an RFC 7489 receiver ignores this record")
		}
		p.diag(DiagMissingPolicy, SeverityWarning, "p", ModeBis, "no p= tag; RFC 9989 receivers treat the record as p=none")
	} else if r.Policy == "" && !r.hasValidRUA() {
		p.diag(DiagPolicyWithoutRUA, SeverityError, "p", Mode7489, "p= is invalid and there is no valid rua=; an RFC 7489 receiver ignores this record")
	}
}

func (r *Record) hasValidRUA() bool { return len(r.AggregateReports) > 0 }

// DiagnosesFor returns the diagnoses that matter in mode.
func (r *Record) DiagnosesFor(mode Mode) []Diagnosis {
	mode = mode.normalize()
	var out []Diagnosis
	for _, d := range r.Diagnoses {
		if d.Only == "" || d.Only == mode {
			out = append(out, d)
		}
	}
	return out
}

// DKIMMode returns the DKIM alignment mode that applies (relaxed by default).
func (r *Record) DKIMMode() align.Mode {
	if r.ADKIM == "" {
		return align.ModeRelaxed
	}
	return r.ADKIM
}

// SPFMode returns the SPF alignment mode that applies (relaxed by default).
func (r *Record) SPFMode() align.Mode {
	if r.ASPF == "" {
		return align.ModeRelaxed
	}
	return r.ASPF
}

// Pct returns the RFC 7489 sampling percentage that applies (100 by default).
func (r *Record) Pct() int {
	if !r.HasPercent {
		return 100
	}
	return r.Percent
}

// EffectivePSD returns the psd= value that applies (u by default).
func (r *Record) EffectivePSD() PSD {
	if r.PSD == "" {
		return PSDUnknown
	}
	return r.PSD
}

// DomainPolicy returns the policy for the policy domain itself in mode, and
// false when an RFC 7489 receiver would ignore the record.
//
// RFC 7489, section 6.6.3: when p= is missing or invalid (or sp= invalid),
// a record with at least one valid rua= URI counts as p=none; without one,
// DMARC does not apply. RFC 9989, section 4.7: a missing or invalid p=
// counts as p=none.
func (r *Record) DomainPolicy(mode Mode) (Policy, bool) {
	if mode.normalize() == Mode7489 {
		if r.Policy == "" || (r.seenInvalid(DiagInvalidSubdomain)) {
			if r.hasValidRUA() {
				return PolicyNone, true
			}
			return "", false
		}
		return r.Policy, true
	}
	if r.Policy == "" {
		return PolicyNone, true
	}
	return r.Policy, true
}

func (r *Record) seenInvalid(code DiagnosisCode) bool {
	for _, d := range r.Diagnoses {
		if d.Code == code {
			return true
		}
	}
	return false
}

// SubPolicy returns the policy for existing subdomains of the policy
// domain: sp=, else p= (RFC 7489, section 6.3).
func (r *Record) SubPolicy(mode Mode) (Policy, bool) {
	p, ok := r.DomainPolicy(mode)
	if !ok {
		return "", false
	}
	if mode.normalize() == Mode7489 && r.Policy == "" {
		return p, true
	}
	if r.SubdomainPolicy != "" {
		return r.SubdomainPolicy, true
	}
	return p, true
}

// NonexistentSubPolicy returns the policy for subdomains that do not exist:
// RFC 9989, section 4.7: np=, else sp=, else p=. RFC 7489 has no np= and
// returns the [Record.SubPolicy].
func (r *Record) NonexistentSubPolicy(mode Mode) (Policy, bool) {
	if mode.normalize() == ModeBis && r.NonexistentPolicy != "" {
		return r.NonexistentPolicy, true
	}
	return r.SubPolicy(mode)
}

// String formats the record as DNS TXT text, tags in the conventional
// order, invalid values left out and unknown tags at the end.
func (r *Record) String() string {
	var b strings.Builder
	b.WriteString("v=DMARC1")
	add := func(tag, value string) {
		b.WriteString("; ")
		b.WriteString(tag)
		b.WriteByte('=')
		b.WriteString(value)
	}
	if r.Policy != "" {
		add("p", string(r.Policy))
	}
	if r.SubdomainPolicy != "" {
		add("sp", string(r.SubdomainPolicy))
	}
	if r.NonexistentPolicy != "" {
		add("np", string(r.NonexistentPolicy))
	}
	if r.ADKIM != "" {
		add("adkim", string(r.ADKIM))
	}
	if r.ASPF != "" {
		add("aspf", string(r.ASPF))
	}
	if r.HasPercent {
		add("pct", strconv.Itoa(r.Percent))
	}
	if r.FailureOptions != nil {
		add("fo", strings.Join(r.FailureOptions, ":"))
	}
	if r.ReportFormats != nil {
		add("rf", strings.Join(r.ReportFormats, ":"))
	}
	if r.HasReportInterval {
		add("ri", strconv.FormatUint(uint64(r.ReportInterval), 10))
	}
	uris := func(l []URI) string {
		s := make([]string, len(l))
		for i, u := range l {
			s[i] = u.String()
		}
		return strings.Join(s, ",")
	}
	if r.AggregateReports != nil || r.hasRUA {
		add("rua", uris(r.AggregateReports))
	}
	if r.FailureReports != nil || r.hasRUF {
		add("ruf", uris(r.FailureReports))
	}
	if r.PSD != "" {
		add("psd", string(r.PSD))
	}
	if r.Testing != "" {
		add("t", string(r.Testing))
	}
	for _, t := range r.Extensions {
		add(t.Name, t.Value)
	}
	return b.String()
}
