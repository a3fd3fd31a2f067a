package spf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Qualifier is the prefix of a mechanism that gives the result when it
// matches (RFC 7208, section 4.6.2).
type Qualifier string

// The qualifiers of RFC 7208, section 4.6.2.
const (
	QualifierPass     Qualifier = "+" // pass; the default when none is written
	QualifierFail     Qualifier = "-" // fail
	QualifierSoftFail Qualifier = "~" // softfail
	QualifierNeutral  Qualifier = "?" // neutral
)

// Status returns the result a match with q produces.
func (q Qualifier) Status() Status {
	switch q {
	case QualifierFail:
		return StatusFail
	case QualifierSoftFail:
		return StatusSoftFail
	case QualifierNeutral:
		return StatusNeutral
	}
	return StatusPass
}

// Mechanism is the name of an SPF mechanism (RFC 7208, section 5).
type Mechanism string

// The mechanisms of RFC 7208, section 5.
const (
	MechanismAll     Mechanism = "all"     // always matches (section 5.1)
	MechanismInclude Mechanism = "include" // another domain's policy passes (section 5.2)
	MechanismA       Mechanism = "a"       // an address of the domain (section 5.3)
	MechanismMX      Mechanism = "mx"      // an address of a mail exchanger (section 5.4)
	MechanismPTR     Mechanism = "ptr"     // a validated reverse name (section 5.5)
	MechanismIP4     Mechanism = "ip4"     // an IPv4 network (section 5.6)
	MechanismIP6     Mechanism = "ip6"     // an IPv6 network (section 5.6)
	MechanismExists  Mechanism = "exists"  // the domain has an A record (section 5.7)
)

// countsLookup reports whether evaluating m queries DNS and so counts
// toward the limit of RFC 7208, section 4.6.4.
func (m Mechanism) countsLookup() bool {
	switch m {
	case MechanismInclude, MechanismA, MechanismMX, MechanismPTR, MechanismExists:
		return true
	}
	return false
}

// Directive is one mechanism of a record with its qualifier.
//
// Example:
//
//	-a:mail.example.com/24//64
type Directive struct {
	// Qualifier is the result on a match; parsing always sets it, to
	// QualifierPass when none is written.
	Qualifier Qualifier
	// Mechanism is the mechanism name.
	Mechanism Mechanism
	// Domain is the domain-spec of include, a, mx, ptr and exists as
	// written, macros unexpanded. Empty means the current domain (a, mx,
	// ptr only).
	Domain string
	// IP is the network address of ip4 and ip6.
	IP netip.Addr
	// CIDR4 is the IPv4 prefix length of a, mx and ip4, or -1 when none is
	// written (meaning 32).
	CIDR4 int
	// CIDR6 is the IPv6 prefix length of a, mx and ip6, or -1 when none is
	// written (meaning 128).
	CIDR6 int
}

// String formats d as it appears in a record. QualifierPass is left
// implicit.
func (d Directive) String() string {
	var b strings.Builder
	if d.Qualifier != "" && d.Qualifier != QualifierPass {
		b.WriteString(string(d.Qualifier))
	}
	b.WriteString(string(d.Mechanism))
	switch d.Mechanism {
	case MechanismIP4, MechanismIP6:
		b.WriteString(":")
		b.WriteString(d.IP.String())
		cidr := d.CIDR4
		if d.Mechanism == MechanismIP6 {
			cidr = d.CIDR6
		}
		if cidr >= 0 {
			b.WriteString("/" + strconv.Itoa(cidr))
		}
		return b.String()
	}
	if d.Domain != "" {
		b.WriteString(":")
		b.WriteString(d.Domain)
	}
	if d.CIDR4 >= 0 {
		b.WriteString("/" + strconv.Itoa(d.CIDR4))
	}
	if d.CIDR6 >= 0 {
		b.WriteString("//" + strconv.Itoa(d.CIDR6))
	}
	return b.String()
}

// Modifier is a name=value term that is not a mechanism (RFC 7208,
// section 6). Unknown modifiers are kept but have no effect.
type Modifier struct {
	// Name is the modifier name as written.
	Name string
	// Value is the macro-string after "=", unexpanded.
	Value string
}

// Record is a parsed SPF record (RFC 7208, section 4.5).
//
// Example:
//
//	v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all exp=why.%{d}
type Record struct {
	// Directives are the mechanisms in evaluation order.
	Directives []Directive
	// Redirect is the domain-spec of the "redirect" modifier (section
	// 6.1), or empty.
	Redirect string
	// Explanation is the domain-spec of the "exp" modifier (section 6.2),
	// or empty.
	Explanation string
	// Unknown are the other modifiers, in order (section 6: they are
	// ignored).
	Unknown []Modifier
}

// String formats r as a record: the version, the directives, then the
// modifiers.
func (r *Record) String() string {
	var b strings.Builder
	b.WriteString("v=spf1")
	for _, d := range r.Directives {
		b.WriteString(" ")
		b.WriteString(d.String())
	}
	if r.Redirect != "" {
		b.WriteString(" redirect=" + r.Redirect)
	}
	if r.Explanation != "" {
		b.WriteString(" exp=" + r.Explanation)
	}
	for _, m := range r.Unknown {
		b.WriteString(" " + m.Name + "=" + m.Value)
	}
	return b.String()
}

// ParseError reports a record that does not follow the grammar, pointing
// at the offending term. It unwraps to [ErrSyntax] or [ErrMacro].
type ParseError struct {
	// Term is the offending term as written.
	Term string
	// Index is the position of the term, counting from 1 after "v=spf1".
	Index int
	// Offset is the byte offset of the term in the record.
	Offset int
	// Reason says what is wrong.
	Reason string
	// Err is ErrSyntax or ErrMacro.
	Err error
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("%v: term %d %q at byte %d: %s", e.Err, e.Index, e.Term, e.Offset, e.Reason)
}

// Unwrap returns the sentinel error.
func (e *ParseError) Unwrap() error { return e.Err }

// version is the record prefix of RFC 7208, section 4.5.
const version = "v=spf1"

// hasVersion reports whether txt is an SPF record: it starts with "v=spf1",
// compared case-insensitively, followed by a space or the end (RFC 7208,
// section 4.5).
func hasVersion(txt string) bool {
	return len(txt) >= len(version) && strings.EqualFold(txt[:len(version)], version) &&
		(len(txt) == len(version) || txt[len(version)] == ' ')
}

// ParseRecord parses an SPF record. For a TXT record that is not an SPF
// record it returns isSPF false and no error, so callers can skip other
// kinds of TXT record. A syntax error is a *ParseError.
func ParseRecord(txt string) (rec *Record, isSPF bool, err error) {
	if !hasVersion(txt) {
		return nil, false, nil
	}
	rec = &Record{}
	index := 0
	pos := len(version)
	for pos < len(txt) {
		if txt[pos] == ' ' {
			pos++
			continue
		}
		end := strings.IndexByte(txt[pos:], ' ')
		if end < 0 {
			end = len(txt)
		} else {
			end += pos
		}
		term := txt[pos:end]
		index++
		if reason, sentinel := rec.parseTerm(term); reason != "" {
			return nil, true, &ParseError{Term: term, Index: index, Offset: pos, Reason: reason, Err: sentinel}
		}
		pos = end
	}
	return rec, true, nil
}

// parseTerm adds one term to r. It returns a reason and sentinel error when
// the term is invalid.
func (r *Record) parseTerm(term string) (string, error) {
	for i := 0; i < len(term); i++ {
		if c := term[i]; c < 0x21 || c > 0x7e {
			// RFC 7208, section 3.1 and 12: records are 7-bit ASCII and
			// terms are separated by spaces only.
			return fmt.Sprintf("invalid character %q", c), ErrSyntax
		}
	}
	if eq := strings.IndexByte(term, '='); eq > 0 && isModifierName(term[:eq]) {
		return r.parseModifier(term[:eq], term[eq+1:])
	}
	d, reason, sentinel := parseDirective(term)
	if reason != "" {
		return reason, sentinel
	}
	r.Directives = append(r.Directives, d)
	return "", nil
}

// isModifierName reports whether s is a modifier name:
// ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) (RFC 7208, section 12).
func isModifierName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func (r *Record) parseModifier(name, value string) (string, error) {
	switch strings.ToLower(name) {
	case "redirect", "exp":
		if value == "" {
			return "empty domain-spec", ErrSyntax
		}
		// RFC 7208, section 6: redirect and exp may each appear at most
		// once.
		target := &r.Redirect
		if strings.EqualFold(name, "exp") {
			target = &r.Explanation
		}
		if *target != "" {
			return "duplicate " + strings.ToLower(name) + " modifier", ErrSyntax
		}
		if reason, err := checkDomainSpec(value); reason != "" {
			return reason, err
		}
		*target = value
	default:
		// RFC 7208, section 6: unknown modifiers are ignored, but their
		// value must still be a macro-string.
		if _, err := parseMacroString(value, true, false); err != nil {
			return err.Error(), ErrMacro
		}
		r.Unknown = append(r.Unknown, Modifier{Name: name, Value: value})
	}
	return "", nil
}

// parseDirective parses [qualifier] mechanism.
func parseDirective(term string) (Directive, string, error) {
	d := Directive{Qualifier: QualifierPass, CIDR4: -1, CIDR6: -1}
	rest := term
	switch q := Qualifier(term[:1]); q {
	case QualifierPass, QualifierFail, QualifierSoftFail, QualifierNeutral:
		d.Qualifier = q
		rest = term[1:]
	}
	nameEnd := strings.IndexAny(rest, ":/")
	if nameEnd < 0 {
		nameEnd = len(rest)
	}
	d.Mechanism = Mechanism(strings.ToLower(rest[:nameEnd]))
	arg := rest[nameEnd:]
	switch d.Mechanism {
	case MechanismAll:
		if arg != "" {
			return d, "all takes no argument", ErrSyntax
		}
	case MechanismInclude, MechanismExists:
		if !strings.HasPrefix(arg, ":") {
			return d, string(d.Mechanism) + " needs a domain-spec", ErrSyntax
		}
		d.Domain = arg[1:]
		if reason, err := checkDomainSpec(d.Domain); reason != "" {
			return d, reason, err
		}
	case MechanismA, MechanismMX, MechanismPTR:
		spec, cidr := arg, ""
		if d.Mechanism != MechanismPTR {
			// RFC 7208, section 5.3: the domain-spec may itself contain
			// "/", so the prefix lengths are taken from the end.
			spec, cidr = splitDualCIDR(arg)
		}
		if spec != "" {
			if spec[0] != ':' {
				return d, "unexpected text after mechanism name", ErrSyntax
			}
			d.Domain = spec[1:]
			if reason, err := checkDomainSpec(d.Domain); reason != "" {
				return d, reason, err
			}
		}
		if cidr != "" {
			var ok bool
			if d.CIDR4, d.CIDR6, ok = parseDualCIDR(cidr); !ok {
				return d, "invalid prefix length", ErrSyntax
			}
		}
	case MechanismIP4, MechanismIP6:
		if !strings.HasPrefix(arg, ":") {
			return d, string(d.Mechanism) + " needs an address", ErrSyntax
		}
		addr, cidr, hasCIDR := strings.Cut(arg[1:], "/")
		ip, err := netip.ParseAddr(addr)
		if err != nil || ip.Zone() != "" {
			return d, "invalid address", ErrSyntax
		}
		maxBits := 32
		if d.Mechanism == MechanismIP4 {
			if !ip.Is4() {
				return d, "ip4 needs an IPv4 address", ErrSyntax
			}
		} else {
			if !ip.Is6() {
				return d, "ip6 needs an IPv6 address", ErrSyntax
			}
			maxBits = 128
		}
		d.IP = ip
		if hasCIDR {
			n, ok := parseCIDRLen(cidr, maxBits)
			if !ok {
				return d, "invalid prefix length", ErrSyntax
			}
			if d.Mechanism == MechanismIP4 {
				d.CIDR4 = n
			} else {
				d.CIDR6 = n
			}
		}
	default:
		return d, "unknown mechanism", ErrSyntax
	}
	return d, "", nil
}

// splitDualCIDR splits a trailing dual-cidr-length ("/n", "//m" or
// "/n//m", digits only) from the argument of a or mx.
func splitDualCIDR(arg string) (spec, cidr string) {
	spec = arg
	if i := strings.LastIndex(spec, "//"); i >= 0 && allDigits(spec[i+2:]) {
		spec = spec[:i]
	}
	if i := strings.LastIndexByte(spec, '/'); i >= 0 && allDigits(spec[i+1:]) {
		spec = spec[:i]
	}
	return spec, arg[len(spec):]
}

// allDigits reports whether s is a non-empty run of decimal digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// parseDualCIDR parses dual-cidr-length: "/n", "//m" or "/n//m" (RFC 7208,
// section 5.6). Absent lengths are -1.
func parseDualCIDR(s string) (v4, v6 int, ok bool) {
	v4, v6 = -1, -1
	if s4, s6, found := strings.Cut(s, "//"); found {
		if s4 != "" {
			if v4, ok = parseCIDRLen(strings.TrimPrefix(s4, "/"), 32); !ok || !strings.HasPrefix(s4, "/") {
				return -1, -1, false
			}
		}
		if v6, ok = parseCIDRLen(s6, 128); !ok {
			return -1, -1, false
		}
		return v4, v6, true
	}
	if v4, ok = parseCIDRLen(strings.TrimPrefix(s, "/"), 32); !ok {
		return -1, -1, false
	}
	return v4, v6, true
}

// parseCIDRLen parses a prefix length without leading zeros, at most limit.
func parseCIDRLen(s string, limit int) (int, bool) {
	if s == "" || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	if n > limit {
		return 0, false
	}
	return n, true
}

// checkDomainSpec checks a domain-spec: a macro-string (without the
// explanation-only letters) ending in a macro or in "." toplabel with an
// optional final dot (RFC 7208, section 7.1).
func checkDomainSpec(spec string) (string, error) {
	if spec == "" {
		return "empty domain-spec", ErrSyntax
	}
	toks, err := parseMacroString(spec, false, false)
	if err != nil {
		return err.Error(), ErrMacro
	}
	last := toks[len(toks)-1]
	if last.letter != 0 || last.escape {
		return "", nil
	}
	lit := strings.TrimSuffix(last.lit, ".")
	dot := strings.LastIndexByte(lit, '.')
	if dot < 0 || !isTopLabel(lit[dot+1:]) {
		return "domain-spec must end in a macro or a valid top-level label", ErrSyntax
	}
	return "", nil
}

// isTopLabel reports whether s is a toplabel: letters, digits and inner
// hyphens, not all digits (RFC 7208, section 7.1).
func isTopLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	alpha, hyphen := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isAlpha(c):
			alpha = true
		case c == '-':
			hyphen = true
		case !isDigit(c):
			return false
		}
	}
	return alpha || hyphen
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
