package authres

import (
	"strconv"
	"strings"
)

// ReceivedSPF is a parsed Received-SPF field value (RFC 7208, section 9.1).
//
// Example:
//
//	pass (mx.example.org: domain of a@example.com designates 192.0.2.1 as
//	 permitted sender) client-ip=192.0.2.1; envelope-from="a@example.com";
//	 helo=mail.example.com; receiver=mx.example.org; identity=mailfrom
type ReceivedSPF struct {
	// Result is the SPF result keyword in lower case; Microsoft writes
	// "Pass", "SoftFail", "None", which read as "pass", "softfail", "none".
	Result ResultValue
	// Comment holds the comments, joined by a space. The first one usually
	// names the receiver and explains the result.
	Comment string
	// Params are the key=value pairs in the order written (client-ip,
	// envelope-from, helo, receiver, identity, mechanism, problem, and vendor
	// keys such as Microsoft's pr=), with keys in lower case and values
	// unquoted.
	Params []Param
	// Problems lists the parts of the value that were skipped.
	Problems []*SyntaxError
}

// Param is one key=value pair of a Received-SPF field.
type Param struct {
	// Key is the key in lower case.
	Key string
	// Value is the value, unquoted.
	Value string
}

// Get returns the value of the first parameter named key, ignoring letter
// case, or "".
func (r *ReceivedSPF) Get(key string) string {
	for _, p := range r.Params {
		if strings.EqualFold(p.Key, key) {
			return p.Value
		}
	}
	return ""
}

// ParseReceivedSPF parses a Received-SPF field value (without the field
// name). RFC 7208, section 9.1: the result keyword, an optional comment, then
// key=value pairs separated by ";". Pairs separated only by white space are
// accepted too. The error is non-nil only when there is no result keyword.
func ParseReceivedSPF(value string) (*ReceivedSPF, error) {
	r := &ReceivedSPF{}
	sc := &scanner{s: value, sink: sinkPending}
	problem := func(e *SyntaxError) {
		if len(r.Problems) < maxProblems {
			r.Problems = append(r.Problems, e)
		}
	}
	if err := sc.cfws(); err != nil {
		return nil, err
	}
	if sc.eof() {
		return nil, syntaxErr(0, ErrEmpty, "empty value")
	}
	at := sc.pos
	res := sc.token()
	if res == "" {
		return nil, syntaxErr(at, ErrNoResult, "missing SPF result keyword")
	}
	r.Result = ResultValue(asciiLower(res))
	for {
		if err := sc.cfws(); err != nil {
			problem(err)
			sc.skipClause(err.Offset)
		}
		if sc.eof() {
			break
		}
		if sc.peek() == ';' {
			sc.pos++
			continue
		}
		kstart := sc.pos
		k := sc.token()
		if k == "" {
			problem(syntaxErr(sc.pos, ErrSyntax, "unexpected character"))
			sc.skipClause(sc.pos)
			continue
		}
		if err := sc.cfws(); err != nil {
			problem(err)
			sc.skipClause(err.Offset)
			continue
		}
		if sc.peek() != '=' {
			if len(r.Problems) < maxProblems {
				problem(syntaxErr(kstart, ErrSyntax, "stray word "+strconv.Quote(k)))
			}
			continue
		}
		sc.pos++
		if err := sc.cfws(); err != nil {
			problem(err)
			sc.skipClause(err.Offset)
			continue
		}
		var v string
		if sc.peek() == '"' {
			var err *SyntaxError
			if v, err = sc.quoted(); err != nil {
				problem(err)
				sc.skipClause(err.Offset)
				continue
			}
		} else {
			v = sc.bareValue()
		}
		r.Params = append(r.Params, Param{Key: asciiLower(k), Value: v})
	}
	r.Comment = joinComments(sc.pending)
	return r, nil
}
