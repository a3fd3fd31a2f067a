package authres

import "strings"

// maxCommentDepth bounds comment nesting. RFC 5322, section 3.2.2 sets no
// limit; real comments nest one or two levels, so 64 is generous while still
// bounding the work done on hostile input.
const maxCommentDepth = 64

// maxProblems bounds how many skipped parts a Header records.
const maxProblems = 32

// sink says where the comments met by cfws go.
type sink uint8

const (
	sinkDrop    sink = iota // discarded
	sinkHeader              // Header.Comments
	sinkResult              // scanner.comments, later Result.Comments
	sinkPending             // scanner.pending, later joined into a Comment
)

// scanner is the tokenizer shared by the Authentication-Results and
// Received-SPF parsers. It walks s once; words are substrings of s.
type scanner struct {
	s   string
	pos int

	sink     sink
	header   *Header
	comments []string // backing store for Result.Comments
	pending  []string // comments seen inside a property before it exists
	props    []Prop   // backing store for Result.Props
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n'
}

// isTokenStop reports the bytes that end an authserv-id, version, result
// keyword or property name.
func isTokenStop(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '(', ')', ';', '=', '"', '/':
		return true
	}
	return false
}

// isKeyStop is isTokenStop plus "." for method names and ptypes.
func isKeyStop(c byte) bool {
	return c == '.' || isTokenStop(c)
}

// isValueStop reports the bytes that end an unquoted value. Values may hold
// "=", ":", "/", "@", "<", ">" and "\"" after their first byte, as real
// receivers write IPv6 addresses, URIs and angle-bracketed addresses bare.
func isValueStop(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '(', ')', ';':
		return true
	}
	return false
}

func (sc *scanner) eof() bool { return sc.pos >= len(sc.s) }

func (sc *scanner) peek() byte {
	if sc.pos < len(sc.s) {
		return sc.s[sc.pos]
	}
	return 0
}

// token returns the run of bytes at pos up to the next isTokenStop byte.
func (sc *scanner) token() string {
	start := sc.pos
	for sc.pos < len(sc.s) && !isTokenStop(sc.s[sc.pos]) {
		sc.pos++
	}
	return sc.s[start:sc.pos]
}

// key returns the run of bytes at pos up to the next isKeyStop byte.
func (sc *scanner) key() string {
	start := sc.pos
	for sc.pos < len(sc.s) && !isKeyStop(sc.s[sc.pos]) {
		sc.pos++
	}
	return sc.s[start:sc.pos]
}

// bareValue returns the run of bytes at pos up to the next isValueStop byte.
func (sc *scanner) bareValue() string {
	start := sc.pos
	for sc.pos < len(sc.s) && !isValueStop(sc.s[sc.pos]) {
		sc.pos++
	}
	return sc.s[start:sc.pos]
}

// cfws skips folding white space and comments (RFC 5322, section 3.2.2),
// delivering each comment's text to the current sink.
func (sc *scanner) cfws() *SyntaxError {
	for sc.pos < len(sc.s) {
		c := sc.s[sc.pos]
		switch {
		case isSpace(c):
			sc.pos++
		case c == '(':
			text, err := sc.comment()
			if err != nil {
				return err
			}
			sc.deliver(text)
		default:
			return nil
		}
	}
	return nil
}

func (sc *scanner) deliver(text string) {
	switch sc.sink {
	case sinkHeader:
		sc.header.Comments = append(sc.header.Comments, text)
	case sinkResult:
		sc.comments = append(sc.comments, text)
	case sinkPending:
		sc.pending = append(sc.pending, text)
	}
}

// joinComments joins the non-empty comments with a space.
func joinComments(list []string) string {
	n := 0
	for _, c := range list {
		if c != "" {
			n += len(c) + 1
		}
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for _, c := range list {
		if c == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c)
	}
	return b.String()
}

// comment reads the comment starting at pos (which holds "(") and returns its
// normalized text. RFC 5322, section 3.2.2: a comment may nest other comments
// and escape any character with a backslash (quoted-pair).
func (sc *scanner) comment() (string, *SyntaxError) {
	start := sc.pos
	depth := 0
	for i := start; i < len(sc.s); i++ {
		switch sc.s[i] {
		case '(':
			depth++
			if depth > maxCommentDepth {
				return "", syntaxErr(start, ErrNesting, "comments nested too deeply")
			}
		case ')':
			depth--
			if depth == 0 {
				sc.pos = i + 1
				return normalizeComment(sc.s[start+1 : i]), nil
			}
		case '\\':
			i++
		}
	}
	return "", syntaxErr(start, ErrUnterminated, "unterminated comment")
}

// normalizeComment removes quoted-pair backslashes, collapses runs of white
// space (folding included) into one space and trims the ends. Nested comment
// parentheses are kept as written.
func normalizeComment(raw string) string {
	clean := true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' || c == '\t' || c == '\r' || c == '\n' ||
			(c == ' ' && (i == 0 || i == len(raw)-1 || raw[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	space := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) {
			i++
			c = raw[i]
		}
		if isSpace(c) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}

// quoted reads the quoted-string starting at pos (which holds a double quote)
// and returns its content. RFC 5322, section 3.2.4: a backslash escapes the
// next character; a line break inside the string is folding and is removed.
func (sc *scanner) quoted() (string, *SyntaxError) {
	start := sc.pos
	clean := true
	for i := start + 1; i < len(sc.s); i++ {
		switch sc.s[i] {
		case '"':
			sc.pos = i + 1
			raw := sc.s[start+1 : i]
			if clean {
				return raw, nil
			}
			return unquote(raw), nil
		case '\\':
			clean = false
			i++
		case '\r', '\n':
			clean = false
		}
	}
	return "", syntaxErr(start, ErrUnterminated, "unterminated quoted-string")
}

func unquote(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\\':
			if i+1 < len(raw) {
				i++
				b.WriteByte(raw[i])
			}
		case '\r', '\n':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// skipClause moves pos to the next ";" that is outside comments and quoted
// strings, or to the end. It counts nesting without a limit, so it can
// resynchronize after a comment was rejected for nesting too deeply.
func (sc *scanner) skipClause(from int) {
	s := sc.s
	depth := 0
	for i := from; i < len(s); i++ {
		c := s[i]
		switch {
		case depth > 0:
			switch c {
			case '\\':
				i++
			case '(':
				depth++
			case ')':
				depth--
			}
		case c == '(':
			depth++
		case c == '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case c == ';':
			sc.pos = i
			return
		}
	}
	sc.pos = len(s)
}

// asciiLower lower-cases ASCII letters only, so bytes that are not valid
// UTF-8 survive unchanged; it returns s itself when nothing changes.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
