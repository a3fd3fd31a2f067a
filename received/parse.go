package received

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// tokenKind classifies a token of a Received field.
type tokenKind int

const (
	tokWord    tokenKind = iota // atom, domain, angle address or literal
	tokComment                  // (…), outer parentheses included
)

// token is one lexical unit with its byte range in the unfolded value.
type token struct {
	kind       tokenKind
	start, end int
}

// clauses are the keywords of RFC 5321, section 4.4 (Stamp), lower case.
var clauses = map[string]bool{"from": true, "by": true, "via": true, "with": true, "id": true, "for": true}

// maxFieldLen bounds the input Parse reads; real fields are far shorter.
const maxFieldLen = 64 << 10

// Parse reads one Received field value (without the "Received:" name).
// Folded lines are unfolded first. Parse never panics: on a problem it
// returns the hop read so far together with an error naming what was
// unreadable, wrapping [ErrEmpty], [ErrSyntax], [ErrNoDate] or [ErrDate]
// (several are joined; test with [errors.Is]). The hop is nil only for
// [ErrEmpty].
func Parse(value string) (*Hop, error) {
	s := unfold(value)
	if strings.TrimSpace(s) == "" {
		return nil, ErrEmpty
	}
	h := &Hop{Raw: value}
	if len(s) > maxFieldLen {
		return h, fmt.Errorf("%w: field is %d bytes long, more than %d", ErrSyntax, len(s), maxFieldLen)
	}
	var errs []error

	main := s
	semi := lastSemicolon(s)
	if semi >= 0 {
		main = s[:semi]
		h.DateText = strings.TrimSpace(s[semi+1:])
	}
	toks, err := tokenize(main)
	if err != nil {
		errs = append(errs, err)
	}
	if semi < 0 {
		// No ";": some servers omit it. Look for a date at the end.
		if i := trailingDate(main, toks); i >= 0 {
			h.DateText = strings.TrimSpace(main[toks[i].start:])
			toks = toks[:i]
		}
	}
	if e := h.readClauses(main, toks); e != nil {
		errs = append(errs, e)
	}
	h.readFromDetails()

	switch {
	case h.DateText == "":
		errs = append(errs, fmt.Errorf("%w: nothing after the final \";\"", ErrNoDate))
	default:
		d, err := ParseDate(h.DateText)
		if err != nil {
			errs = append(errs, err)
		} else {
			h.Date = d
		}
	}
	return h, errors.Join(errs...)
}

// unfold removes the line breaks of a folded field (RFC 5322, section
// 2.2.3). A break not followed by white space becomes a space.
func unfold(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\r' && c != '\n' {
			b.WriteByte(c)
			continue
		}
		for i+1 < len(s) && (s[i+1] == '\r' || s[i+1] == '\n') {
			i++
		}
		if i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\t' {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// lastSemicolon returns the index of the last ";" outside comments,
// quoted strings and angle brackets, or -1. When a comment or quoted
// string is left open, it returns the last ";" anywhere, so that the date
// can still be read.
func lastSemicolon(s string) int {
	last, depth := -1, 0
	inQuote, inAngle := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && (depth > 0 || inQuote):
			i++
		case inQuote:
			inQuote = c != '"'
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == '"':
			inQuote = true
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case c == ';' && !inAngle:
			last = i
		}
	}
	if depth > 0 || inQuote {
		return strings.LastIndexByte(s, ';')
	}
	return last
}

// tokenize splits s into words and comments. An unclosed comment or
// quoted string runs to the end and is reported.
func tokenize(s string) ([]token, error) {
	var toks []token
	var err error
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == ';' || c == ',':
			i++
		case c == '(':
			start, depth := i, 0
			for ; i < len(s); i++ {
				if s[i] == '\\' {
					i++
					continue
				}
				if s[i] == '(' {
					depth++
				} else if s[i] == ')' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if i >= len(s) {
				err = fmt.Errorf("%w: comment starting at %q is not closed", ErrSyntax, clip(s[start:]))
				i = len(s)
				toks = append(toks, token{tokComment, start, len(s)})
				continue
			}
			i++
			toks = append(toks, token{tokComment, start, i})
		default:
			start := i
			inQuote, inAngle, inBracket := false, false, false
		word:
			for ; i < len(s); i++ {
				switch ch := s[i]; {
				case ch == '\\' && inQuote:
					i++
				case inQuote:
					inQuote = ch != '"'
				case ch == '"':
					inQuote = true
				case ch == '<':
					inAngle = true
				case ch == '>':
					inAngle = false
				case ch == '[':
					inBracket = true
				case ch == ']':
					inBracket = false
				case inAngle || inBracket:
				case ch == ' ' || ch == '\t' || ch == '(' || ch == ';':
					break word
				}
			}
			if i > len(s) {
				i = len(s)
			}
			if inQuote && err == nil {
				err = fmt.Errorf("%w: quoted string starting at %q is not closed", ErrSyntax, clip(s[start:]))
			}
			toks = append(toks, token{tokWord, start, i})
		}
	}
	return toks, err
}

// trailingDate returns the index of the first token from which the rest
// of the tokens read as a date, looking only at the last few tokens, or -1.
func trailingDate(s string, toks []token) int {
	const maxDateTokens = 8
	from := max(len(toks)-maxDateTokens, 0)
	for i := from; i < len(toks); i++ {
		if toks[i].kind != tokWord || clauses[strings.ToLower(s[toks[i].start:toks[i].end])] {
			continue
		}
		if _, err := ParseDate(s[toks[i].start:]); err == nil {
			// Accept only when the token before is not a clause keyword
			// that would take this token as its value.
			if i > 0 && toks[i-1].kind == tokWord && clauses[strings.ToLower(s[toks[i-1].start:toks[i-1].end])] {
				continue
			}
			return i
		}
	}
	return -1
}

// readClauses assigns tokens to clauses.
func (h *Hop) readClauses(s string, toks []token) error {
	clause := ""
	valueStart, valueEnd := -1, -1
	var stray []string
	flush := func() {
		if clause == "" || valueStart < 0 {
			return
		}
		v := s[valueStart:valueEnd]
		switch clause {
		case "from":
			h.From = v
		case "by":
			h.By = v
		case "via":
			h.Via = v
		case "with":
			h.With = v
		case "id":
			h.ID = v
		case "for":
			h.For = strings.TrimSuffix(strings.TrimPrefix(v, "<"), ">")
		}
	}
	for _, t := range toks {
		text := s[t.start:t.end]
		if t.kind == tokComment {
			inner := strings.TrimSuffix(text[1:], ")")
			h.Comments = append(h.Comments, Comment{Clause: clause, Text: strings.TrimSpace(inner)})
			continue
		}
		kw := strings.ToLower(text)
		if clauses[kw] && !(clause == kw && valueStart < 0) {
			flush()
			clause, valueStart, valueEnd = kw, -1, -1
			continue
		}
		switch {
		case clause == "":
			stray = append(stray, text)
		case valueStart < 0:
			valueStart, valueEnd = t.start, t.end
		case clause == "with" || clause == "via" || clause == "for":
			// Multi-word values: "Microsoft SMTP Server", "Frontend
			// Transport", several recipients.
			valueEnd = t.end
		default:
			h.Comments = append(h.Comments, Comment{Clause: clause, Text: text})
		}
	}
	flush()
	if len(stray) > 0 {
		return fmt.Errorf("%w: %q before the first clause", ErrSyntax, clip(strings.Join(stray, " ")))
	}
	return nil
}

// readFromDetails fills HELO, ReverseDNS and IP from the "from" word and
// its comments, in the formats of the common servers:
//
//	Postfix, Sendmail: from helo (rdns [ip])      rdns "unknown" = none
//	Exim:              from rdns ([ip] helo=helo) or from [ip] (helo=helo)
//	qmail:             from rdns (HELO helo) (ip)
//	Exchange:          from helo (ip)
func (h *Hop) readFromDetails() {
	from := h.From
	if lit, ok := addressLiteral(from); ok {
		h.IP = lit
	}
	heloFromComment := false
	for _, text := range h.CommentsFor("from") {
		words := strings.Fields(text)
		for i, w := range words {
			lw := strings.ToLower(w)
			switch {
			case strings.HasPrefix(lw, "helo="):
				h.HELO, heloFromComment = w[len("helo="):], true
			case lw == "helo" && i+1 < len(words):
				h.HELO, heloFromComment = strings.TrimSuffix(words[i+1], ")"), true
			case strings.HasPrefix(w, "["):
				if lit, ok := addressLiteral(w); ok {
					if h.IP == "" {
						h.IP = lit
					}
					if i > 0 && h.ReverseDNS == "" && isHostname(words[i-1]) {
						h.ReverseDNS = words[i-1]
					}
				}
			default:
				// A bare address, or user@address (qmail).
				cand := w
				if at := strings.LastIndexByte(cand, '@'); at >= 0 {
					cand = cand[at+1:]
				}
				if _, err := netip.ParseAddr(cand); err == nil && h.IP == "" {
					h.IP = cand
				}
			}
		}
	}
	_, fromIsLiteral := addressLiteral(from)
	switch {
	case from == "":
	case heloFromComment:
		// Exim and qmail: the "from" word is the reverse-DNS name.
		if !fromIsLiteral && !strings.EqualFold(from, "unknown") && h.ReverseDNS == "" {
			h.ReverseDNS = from
		}
	default:
		h.HELO = from
	}
	if strings.EqualFold(h.ReverseDNS, "unknown") {
		h.ReverseDNS = ""
	}
}

// addressLiteral returns the IP address inside "[…]" (with an optional
// "IPv6:" prefix and ":port" after the bracket), if w is one.
func addressLiteral(w string) (string, bool) {
	if !strings.HasPrefix(w, "[") {
		return "", false
	}
	end := strings.IndexByte(w, ']')
	if end < 0 {
		return "", false
	}
	inner := w[1:end]
	if len(inner) > 5 && strings.EqualFold(inner[:5], "ipv6:") {
		inner = inner[5:]
	}
	if _, err := netip.ParseAddr(inner); err != nil {
		return "", false
	}
	return inner, true
}

// isHostname reports whether w looks like a host name (not a keyword,
// literal or address).
func isHostname(w string) bool {
	if w == "" || strings.ContainsAny(w, "[]()<>@=") {
		return false
	}
	_, err := netip.ParseAddr(w)
	return err != nil
}

// clip shortens s for error messages.
func clip(s string) string {
	const n = 60
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
