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

// maxTokens is the number of tokens [Parse] holds without allocating;
// real fields have fewer than thirty.
const maxTokens = 32

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
	room := &hopRoom{hop: Hop{Raw: value}}
	h := &room.hop
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
	var buf [maxTokens]token
	toks, err := tokenize(buf[:0], main)
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
	if e := h.readClauses(main, toks, room.comments[:0]); e != nil {
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
	i := indexBreak(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		for i < len(s) && (s[i] == '\r' || s[i] == '\n') {
			i++
		}
		if i < len(s) && s[i] != ' ' && s[i] != '\t' {
			b.WriteByte(' ')
		}
		s = s[i:]
		i = indexBreak(s)
	}
	b.WriteString(s)
	return b.String()
}

// indexBreak returns the index of the first CR or LF in s, or -1.
func indexBreak(s string) int {
	lf := strings.IndexByte(s, '\n')
	if lf < 0 {
		return strings.IndexByte(s, '\r')
	}
	if cr := strings.IndexByte(s[:lf], '\r'); cr >= 0 {
		return cr
	}
	return lf
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
		if !semicolonSpecial[c] {
			continue
		}
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

// semicolonSpecial marks the bytes [lastSemicolon] acts on; it skips
// the others.
var semicolonSpecial = byteSet("\\\"()<>;")

// wordSpecial marks the bytes that end a word or change how the rest of
// it is read in [tokenize]; the others are part of the word whatever the
// state.
var wordSpecial = byteSet("\\\"<>[] \t(;")

// tokenize appends the words and comments of s to toks and returns it.
// An unclosed comment or quoted string runs to the end and is reported.
func tokenize(toks []token, s string) ([]token, error) {
	var err error
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == ';' || c == ',':
			i++
		case c == '(':
			start := i
			end, closed := commentEnd(s, i)
			if !closed {
				err = fmt.Errorf("%w: comment starting at %q is not closed", ErrSyntax, clip(s[start:]))
			}
			toks = append(toks, token{tokComment, start, end})
			i = end
		default:
			start := i
			inQuote, inAngle, inBracket := false, false, false
		word:
			for ; i < len(s); i++ {
				ch := s[i]
				if !wordSpecial[ch] {
					continue
				}
				switch {
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
		if toks[i].kind != tokWord || clauseKeyword(s[toks[i].start:toks[i].end]) != "" {
			continue
		}
		if _, err := ParseDate(s[toks[i].start:]); err == nil {
			// Accept only when the token before is not a clause keyword
			// that would take this token as its value.
			if i > 0 && toks[i-1].kind == tokWord && clauseKeyword(s[toks[i-1].start:toks[i-1].end]) != "" {
				continue
			}
			return i
		}
	}
	return -1
}

// hopRoom is a [Hop] allocated together with room for its first
// comments, so that a typical field costs one allocation for both.
type hopRoom struct {
	hop      Hop
	comments [4]Comment
}

// readClauses assigns tokens to clauses. Comments go in room when they
// fit.
func (h *Hop) readClauses(s string, toks []token, room []Comment) error {
	clause := ""
	valueStart, valueEnd := -1, -1
	commented := false // a comment or a TLS word came after the clause's first word
	var stray []string
	switch n := countComments(toks); {
	case n > cap(room):
		h.Comments = make([]Comment, 0, n)
	case n > 0:
		h.Comments = room
	}
	for _, t := range toks {
		text := s[t.start:t.end]
		if t.kind == tokComment {
			inner := strings.TrimSuffix(text[1:], ")")
			h.Comments = append(h.Comments, Comment{Clause: clause, Text: strings.TrimSpace(inner)})
			commented = commented || valueStart >= 0
			continue
		}
		kw := clauseKeyword(text)
		if kw != "" && !(clause == kw && valueStart < 0) {
			h.setClause(clause, s, valueStart, valueEnd)
			clause, valueStart, valueEnd, commented = kw, -1, -1, false
			continue
		}
		switch {
		case clause == "":
			stray = append(stray, text)
		case valueStart < 0:
			valueStart, valueEnd = t.start, t.end
		case clause == "with" && !commented && !equalFoldASCII(text, "tls"):
			// A protocol of several words: Exchange's "Microsoft SMTP
			// Server", MailEnable's "MailEnable ESMTP". Words after a
			// comment or "tls" are TLS details (Exim: "esmtps (TLS1.3)
			// tls TLS_AES_256_GCM_SHA384"), not the protocol.
			valueEnd = t.end
		case clause == "with":
			commented = true // the protocol has ended
			h.Comments = append(h.Comments, Comment{Clause: clause, Text: text})
		case clause == "via" || clause == "for":
			// Multi-word values: "Frontend Transport", several
			// recipients.
			valueEnd = t.end
		default:
			h.Comments = append(h.Comments, Comment{Clause: clause, Text: text})
		}
	}
	h.setClause(clause, s, valueStart, valueEnd)
	if len(stray) > 0 {
		return fmt.Errorf("%w: %q before the first clause", ErrSyntax, clip(strings.Join(stray, " ")))
	}
	return nil
}

// setClause stores s[start:end] as the value of clause, unless there is
// no clause or no value (start < 0).
func (h *Hop) setClause(clause, s string, start, end int) {
	if clause == "" || start < 0 {
		return
	}
	v := s[start:end]
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

// countComments returns the number of comment tokens in toks.
func countComments(toks []token) int {
	n := 0
	for _, t := range toks {
		if t.kind == tokComment {
			n++
		}
	}
	return n
}

// clauseKeyword returns w lower case when it is one of the keywords that
// start the clauses of a Received field ("from", "by", "via", "with",
// "id", "for"; RFC 5321, section 4.4, "Stamp"), case ignored, or "".
func clauseKeyword(w string) string {
	// Unicode lower-casing turns "İ" into "i" and "K" (Kelvin) into "k",
	// so "İD" is "id"; no other letter becomes ASCII, and none of them
	// takes more than three bytes.
	if len(w) < len("by") || len(w) > 3*len("from") {
		return ""
	}
	if !isASCII(w) {
		w = strings.ToLower(w)
	}
	var kw string
	switch len(w) {
	case 2:
		kw = pick(w, "by", "id")
	case 3:
		kw = pick(w, "via", "for")
	case 4:
		kw = pick(w, "from", "with")
	}
	return kw
}

// pick returns whichever of a and b equals w, ignoring ASCII case, or "".
func pick(w, a, b string) string {
	switch {
	case equalFoldASCII(w, a):
		return a
	case equalFoldASCII(w, b):
		return b
	}
	return ""
}

// readFromDetails fills HELO, ReverseDNS and IP from the "from" word and
// its comments, in the formats of the common servers:
//
//	Postfix, Sendmail: from helo (rdns [ip])      rdns "unknown" = none
//	Exim:              from rdns ([ip] helo=helo) or from [ip] (helo=helo)
//	qmail:             from rdns (HELO helo) (ip)
//	Exchange:          from helo (ip)
//
// The address in the comment is the TCP-info of RFC 5321, section 4.4:
// the address the connection came from, which the server saw. It wins
// over an address literal in the "from" word, which is only what the
// client said in HELO ("from [192.168.10.102] (host [70.36.142.124])":
// a client behind NAT naming its private address).
func (h *Hop) readFromDetails() {
	from := h.From
	fromLit, fromIsLiteral := addressLiteral(from)
	heloFromComment := false
	for _, c := range h.Comments {
		if c.Clause != "from" {
			continue
		}
		prev, rest := "", c.Text
		for {
			var w string
			if w, rest = nextWord(rest); w == "" {
				break
			}
			switch {
			case len(w) >= len("helo=") && equalFoldASCII(w[:len("helo=")], "helo="):
				h.HELO, heloFromComment = w[len("helo="):], true
			case equalFoldASCII(w, "helo") && firstWord(rest) != "":
				// qmail's "HELO name": the name, even a literal, is what
				// the client said, not the address it came from.
				var name string
				name, rest = nextWord(rest)
				h.HELO, heloFromComment = strings.TrimSuffix(name, ")"), true
			case strings.HasPrefix(w, "["):
				if lit, ok := addressLiteral(w); ok {
					if h.IP == "" {
						h.IP = lit
					}
					if prev != "" && h.ReverseDNS == "" && isHostname(prev) {
						h.ReverseDNS = prev
					}
				}
			default:
				// A bare address, or user@address (qmail).
				cand := w
				if at := strings.LastIndexByte(cand, '@'); at >= 0 {
					cand = cand[at+1:]
				}
				if h.IP == "" && isAddr(cand) {
					h.IP = cand
				}
			}
			prev = w
		}
	}
	if h.IP == "" && fromIsLiteral {
		h.IP = fromLit
	}
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
	if !isAddr(inner) {
		return "", false
	}
	return inner, true
}

// isHostname reports whether w looks like a host name (not a keyword,
// literal or address).
func isHostname(w string) bool {
	if w == "" || containsAny(w, &notInHostname) {
		return false
	}
	return !isAddr(w)
}

// notInHostname marks the bytes [isHostname] turns words down for.
var notInHostname = byteSet("[]()<>@=")

// isAddr reports whether s is an IP address that [netip.ParseAddr]
// reads.
func isAddr(s string) bool {
	if !mayBeAddr(s) {
		return false
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// mayBeAddr reports whether s could be an IP address: before any
// "%zone", only hexadecimal digits, "." and ":", at least one of the
// last two. Anything else fails [netip.ParseAddr], which then allocates
// its error; host names, the usual words of a Received field, are
// turned down here without that cost.
func mayBeAddr(s string) bool {
	sep := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' || c == ':':
			sep = true
		case c == '%':
			return sep
		case '0' <= c && c <= '9', 'a' <= c|0x20 && c|0x20 <= 'f':
		default:
			return false
		}
	}
	return sep
}

// nextWord returns the first word of s, split at white space as
// [strings.Fields] splits, and the text after it; word is "" when s has
// none.
func nextWord(s string) (word, rest string) {
	i := 0
	for i < len(s) {
		n := spaceLen(s, i)
		if n == 0 {
			break
		}
		i += n
	}
	start := i
	for i < len(s) && spaceLen(s, i) == 0 {
		i++ // see dateWords.word
	}
	return s[start:i], s[i:]
}

// firstWord returns the first word of s, as [nextWord] does.
func firstWord(s string) string {
	w, _ := nextWord(s)
	return w
}

// clip shortens s for error messages.
func clip(s string) string {
	const n = 60
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
