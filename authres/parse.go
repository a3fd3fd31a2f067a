package authres

import (
	"strconv"
	"strings"
)

// maxInstance is the largest ARC instance number. RFC 8617, section 4.2.1:
// i= ranges from 1 to 50.
const maxInstance = 50

// Parse parses an Authentication-Results field value (without the field
// name), in any of the shapes described in the package documentation. It
// also reads ARC-Authentication-Results, Authentication-Results-Original and
// X-MS-Exchange-Authentication-Results values; a leading "i=N;" sets
// Header.Instance.
//
// The error, a *SyntaxError, is non-nil only when the value is unusable;
// skipped parts are listed in Header.Problems.
func Parse(value string) (*Header, error) {
	h, err := parse(value, false)
	if err != nil {
		return nil, err
	}
	return h, nil
}

// ParseARC parses an ARC-Authentication-Results field value. It is Parse
// plus the requirement of RFC 8617, section 4.1.1, that the value start with
// the instance tag "i=N;".
func ParseARC(value string) (*Header, error) {
	h, err := parse(value, true)
	if err != nil {
		return nil, err
	}
	return h, nil
}

// resultsParser holds the state of one Parse call.
type resultsParser struct {
	scanner
	h       *Header
	results []Result
	sawSemi bool
}

func (p *resultsParser) full() bool { return len(p.h.Problems) >= maxProblems }

func (p *resultsParser) problem(e *SyntaxError) {
	if len(p.h.Problems) < maxProblems {
		p.h.Problems = append(p.h.Problems, e)
	}
}

func parse(s string, arc bool) (*Header, *SyntaxError) {
	h := &Header{}
	p := &resultsParser{h: h}
	p.s = s
	p.header = h
	// One backing array each for results, properties and comments keeps the
	// allocation count independent of the number of results.
	p.results = make([]Result, 0, strings.Count(s, ";")+1)
	p.props = make([]Prop, 0, strings.Count(s, "="))
	if n := strings.Count(s, "("); n > 0 {
		p.comments = make([]string, 0, n)
	}

	p.sink = sinkHeader
	if err := p.cfws(); err != nil {
		return nil, err
	}
	if p.eof() {
		return nil, syntaxErr(0, ErrEmpty, "empty value")
	}
	if err := p.instance(); err != nil {
		return nil, err
	}
	if arc && h.Instance == 0 {
		return nil, syntaxErr(p.pos, ErrInstance, "missing ARC instance tag i=")
	}
	if err := p.authServID(); err != nil {
		return nil, err
	}
	p.resultList()

	if len(p.results) > 0 {
		h.Results = p.results
	}
	if len(h.Results) == 0 && !h.None && (!p.sawSemi || h.AuthServID == "") {
		if len(h.Problems) > 0 {
			return nil, h.Problems[0]
		}
		return nil, syntaxErr(len(s), ErrNoResult, "no result and no \";\" after the authserv-id")
	}
	return h, nil
}

// instance reads an optional ARC instance tag "i=N;" (RFC 8617, section
// 4.1.1). It leaves pos unchanged when the value does not start with one.
func (p *resultsParser) instance() *SyntaxError {
	start, ncom := p.pos, len(p.h.Comments)
	if w := p.token(); w != "i" && w != "I" {
		p.pos = start
		return nil
	}
	if err := p.cfws(); err != nil {
		return err
	}
	if p.peek() != '=' {
		p.pos = start
		p.h.Comments = truncate(p.h.Comments, ncom)
		return nil
	}
	p.pos++
	if err := p.cfws(); err != nil {
		return err
	}
	at := p.pos
	digits := p.token()
	n, err := strconv.Atoi(digits)
	if err != nil || !allDigits(digits) || n < 1 || n > maxInstance {
		return syntaxErr(at, ErrInstance, "ARC instance must be a number from 1 to 50")
	}
	if err := p.cfws(); err != nil {
		return err
	}
	if p.peek() != ';' {
		return syntaxErr(p.pos, ErrInstance, "expected \";\" after the ARC instance tag")
	}
	p.pos++
	p.h.Instance = n
	return p.cfws()
}

// authServID reads "authserv-id [version] ;" (RFC 8601, section 2.2), or
// notices that the value starts directly with a result and leaves pos there.
func (p *resultsParser) authServID() *SyntaxError {
	h := p.h
	start, ncom := p.pos, len(h.Comments)
	var id string
	quoted := p.peek() == '"'
	if quoted {
		var err *SyntaxError
		if id, err = p.quoted(); err != nil {
			return err
		}
		if id == "" {
			return syntaxErr(start, ErrSyntax, "empty quoted authserv-id")
		}
	} else {
		id = p.token()
	}
	if err := p.cfws(); err != nil {
		return err
	}
	switch c := p.peek(); {
	case !quoted && id != "" && (c == '=' || c == '/'):
		// Microsoft 365: no authserv-id, the first result starts here.
		p.pos = start
		h.Comments = truncate(h.Comments, ncom)
		return nil
	case id == "" && c != ';':
		return syntaxErr(p.pos, ErrSyntax, "expected an authserv-id, found "+strconv.QuoteRune(rune(c)))
	}
	h.AuthServID = asciiLower(id)
	if p.eof() {
		return nil
	}
	if p.peek() != ';' {
		vstart := p.pos
		v := p.token()
		if err := p.cfws(); err != nil {
			return err
		}
		switch c := p.peek(); {
		case v != "" && (c == '=' || c == '/'):
			// A result right after the authserv-id, its ";" missing.
			p.pos = vstart
			return nil
		case allDigits(v):
			h.Version = v
		default:
			p.problem(syntaxErr(vstart, ErrSyntax, "expected a version or \";\" after the authserv-id"))
			p.skipClause(vstart)
		}
	}
	if p.eof() {
		return nil
	}
	if p.peek() != ';' {
		p.problem(syntaxErr(p.pos, ErrSyntax, "expected \";\" after the authserv-id version"))
		p.skipClause(p.pos)
		if p.eof() {
			return nil
		}
	}
	p.pos++
	p.sawSemi = true
	return nil
}

// resultList reads the results up to the end of the value.
func (p *resultsParser) resultList() {
	for {
		ncom := len(p.comments)
		p.sink = sinkResult
		if err := p.cfws(); err != nil {
			p.comments = p.comments[:ncom]
			p.problem(err)
			p.skipClause(err.Offset)
		}
		if p.eof() {
			p.comments = p.comments[:ncom]
			return
		}
		if p.peek() == ';' {
			// An empty result, or a trailing ";".
			p.comments = p.comments[:ncom]
			p.pos++
			p.sawSemi = true
			continue
		}
		p.result(ncom)
	}
}

// result reads "method[/version]=result" and its properties (RFC 8601,
// section 2.2, resinfo). Comments already delivered from index ncom on belong
// to it.
func (p *resultsParser) result(ncom int) {
	start := p.pos
	drop := func(e *SyntaxError, from int) {
		p.comments = p.comments[:ncom]
		p.problem(e)
		p.skipClause(from)
	}
	m := p.token()
	if m == "" {
		drop(syntaxErr(p.pos, ErrSyntax, "unexpected "+strconv.QuoteRune(rune(p.peek()))), p.pos)
		return
	}
	if err := p.cfws(); err != nil {
		drop(err, err.Offset)
		return
	}
	var version string
	switch p.peek() {
	case ';', 0:
		if p.eof() || p.peek() == ';' {
			// A bare word: RFC 8601 "none", or the recipient domain Microsoft
			// inserted between results, which carries no result and is skipped.
			p.comments = p.comments[:ncom]
			if strings.EqualFold(m, "none") {
				p.h.None = true
			}
			return
		}
		drop(syntaxErr(p.pos, ErrSyntax, "expected \"=\" after the method"), start)
		return
	case '.':
		drop(syntaxErr(start, ErrSyntax, "property without a method"), start)
		return
	case '/':
		p.pos++
		if err := p.cfws(); err != nil {
			drop(err, err.Offset)
			return
		}
		at := p.pos
		version = p.token()
		if version == "" {
			drop(syntaxErr(at, ErrSyntax, "missing method version"), start)
			return
		}
		if err := p.cfws(); err != nil {
			drop(err, err.Offset)
			return
		}
		if p.peek() != '=' {
			drop(syntaxErr(p.pos, ErrSyntax, "expected \"=\" after the method version"), start)
			return
		}
	case '=':
		if strings.IndexByte(m, '.') >= 0 && len(p.results) > 0 {
			// Yahoo writes "dkim=permerror (bad sig); header.i=@example.com":
			// a property set off by a stray ";" belongs to the result
			// before it.
			p.pos = start
			r := &p.results[len(p.results)-1]
			first := len(p.props) - len(r.Props)
			p.properties()
			p.comments = p.comments[:ncom]
			r = &p.results[len(p.results)-1]
			if n := len(p.props); n > first {
				r.Props = p.props[first:n:n]
			}
			return
		}
		if strings.IndexByte(m, '.') >= 0 {
			drop(syntaxErr(start, ErrSyntax, "property without a method"), start)
			return
		}
	default:
		drop(syntaxErr(p.pos, ErrSyntax, "expected \"=\" after the method"), start)
		return
	}
	p.pos++ // "="
	if err := p.cfws(); err != nil {
		drop(err, err.Offset)
		return
	}
	at := p.pos
	val := p.token()
	if val == "" {
		drop(syntaxErr(at, ErrSyntax, "missing result keyword"), start)
		return
	}
	p.results = append(p.results, Result{
		Method:        Method(asciiLower(m)),
		MethodVersion: version,
		Value:         ResultValue(asciiLower(val)),
	})
	nprop := len(p.props)
	p.properties()
	r := &p.results[len(p.results)-1]
	if n := len(p.comments); n > ncom {
		r.Comments = p.comments[ncom:n:n]
	}
	if n := len(p.props); n > nprop {
		r.Props = p.props[nprop:n:n]
	}
}

// properties reads the reason and properties of the last result, up to the
// ";" that ends it (left unread) or the start of a result whose ";" is
// missing.
func (p *resultsParser) properties() {
	r := &p.results[len(p.results)-1]
	hasProp := false
	// The comments inside and after a property are gathered in p.pending and
	// joined once, when the next property starts or the result ends.
	flush := func() {
		if hasProp && len(p.pending) > 0 {
			p.props[len(p.props)-1].Comment = joinComments(p.pending)
		}
		p.pending = p.pending[:0]
	}
	defer flush()
	p.pending = p.pending[:0]
	for {
		if hasProp {
			p.sink = sinkPending
		} else {
			p.sink = sinkResult
		}
		if err := p.cfws(); err != nil {
			p.problem(err)
			p.skipClause(err.Offset)
			return
		}
		if p.eof() || p.peek() == ';' {
			return
		}
		kstart, npend := p.pos, len(p.pending)
		k := p.key()
		if k == "" {
			p.problem(syntaxErr(p.pos, ErrSyntax, "unexpected "+strconv.QuoteRune(rune(p.peek()))))
			p.skipClause(p.pos)
			return
		}
		p.sink = sinkPending
		if err := p.cfws(); err != nil {
			p.problem(err)
			p.skipClause(err.Offset)
			return
		}
		var typ, prop string
		switch p.peek() {
		case '.':
			p.pos++
			if err := p.cfws(); err != nil {
				p.problem(err)
				p.skipClause(err.Offset)
				return
			}
			at := p.pos
			prop = p.token()
			if prop == "" {
				p.problem(syntaxErr(at, ErrSyntax, "missing property name after \".\""))
				p.skipClause(at)
				return
			}
			if err := p.cfws(); err != nil {
				p.problem(err)
				p.skipClause(err.Offset)
				return
			}
			if p.peek() != '=' {
				p.problem(syntaxErr(p.pos, ErrSyntax, "expected \"=\" after the property"))
				p.skipClause(p.pos)
				return
			}
			typ = asciiLower(k)
		case '=', '/':
			if Method(asciiLower(k)).Known() {
				// A new result whose ";" is missing ("dkim=pass spf=pass").
				p.pos = kstart
				p.pending = p.pending[:npend]
				return
			}
			if p.peek() == '/' {
				p.problem(syntaxErr(p.pos, ErrSyntax, "unexpected \"/\""))
				p.skipClause(p.pos)
				return
			}
		default:
			// A stray word: skip it and go on with the next property.
			if !p.full() {
				p.problem(syntaxErr(kstart, ErrSyntax, "stray word "+strconv.Quote(k)))
			}
			continue
		}
		if prop == "" {
			prop = k
		}
		p.pos++ // "="
		eq := p.pos
		if err := p.cfws(); err != nil {
			p.problem(err)
			p.skipClause(err.Offset)
			return
		}
		v, err := p.value(p.pos > eq)
		if err != nil {
			p.problem(err)
			p.skipClause(err.Offset)
			return
		}
		pre := p.pending[npend:]
		p.pending = p.pending[:npend]
		flush()
		p.pending = append(p.pending, pre...)
		prop = asciiLower(prop)
		p.props = append(p.props, Prop{Type: typ, Property: prop, Value: v})
		hasProp = true
		if typ == "" && prop == "reason" && r.Reason == "" {
			// RFC 8601, section 2.2: reason= explains the result.
			r.Reason = v
		}
	}
}

// value reads a property value: a quoted-string or a run of value bytes
// (RFC 8601, section 2.2, pvalue, read leniently). afterGap says white space
// or a comment separated it from "="; then a word shaped like "key=…" is the
// next property and the value is empty, as in "smtp.mailfrom= header.from=x".
func (p *resultsParser) value(afterGap bool) (string, *SyntaxError) {
	if p.peek() == '"' {
		return p.quoted()
	}
	start := p.pos
	v := p.bareValue()
	if afterGap && looksLikeAssignment(v) {
		p.pos = start
		return "", nil
	}
	return v, nil
}

// looksLikeAssignment reports whether v starts with a key (letters, digits,
// "-", "_" and ".") followed by "=".
func looksLikeAssignment(v string) bool {
	i := strings.IndexByte(v, '=')
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		c := v[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// truncate shortens list to n entries, returning nil rather than an empty
// slice so that parsed headers compare equal with reflect.DeepEqual.
func truncate(list []string, n int) []string {
	if n == 0 {
		return nil
	}
	return list[:n]
}
