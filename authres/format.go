package authres

import (
	"strconv"
	"strings"
)

// Format returns h as a canonical field value: the instance tag when set,
// the authserv-id (omitted when empty, as Microsoft 365 writes it) with its
// version and comments, then one result per ";"-separated clause, each
// followed by its comments and properties, and "none" when h.None is set.
// Values are quoted only when they must be.
//
// Parsing the output yields a Header equal to h, Problems aside, for any h
// that Parse returned.
func Format(h *Header) string {
	var b strings.Builder
	if h.Instance > 0 {
		b.WriteString("i=")
		b.WriteString(strconv.Itoa(h.Instance))
		b.WriteString("; ")
	}
	n := len(h.Results)
	if h.None {
		n++
	}
	if h.AuthServID != "" {
		writeToken(&b, h.AuthServID)
		if h.Version != "" {
			b.WriteByte(' ')
			b.WriteString(h.Version)
		}
		for _, c := range h.Comments {
			b.WriteByte(' ')
			writeComment(&b, c)
		}
		b.WriteByte(';')
	} else {
		for _, c := range h.Comments {
			writeComment(&b, c)
			b.WriteByte(' ')
		}
		if (len(h.Results) == 0 && h.None) || (len(h.Results) > 0 && h.Results[0].Method == "i") {
			// A leading ";" keeps "none" from being read as an authserv-id
			// and a method named "i" from being read as an ARC instance tag.
			b.WriteByte(';')
		}
	}
	sep := " "
	if h.AuthServID == "" {
		if out := b.String(); out == "" || out[len(out)-1] == ' ' {
			sep = ""
		}
	}
	for i := range h.Results {
		b.WriteString(sep)
		writeResult(&b, &h.Results[i])
		sep = "; "
	}
	if h.None {
		b.WriteString(sep)
		b.WriteString("none")
	}
	return b.String()
}

func writeResult(b *strings.Builder, r *Result) {
	b.WriteString(string(r.Method))
	if r.MethodVersion != "" {
		b.WriteByte('/')
		b.WriteString(r.MethodVersion)
	}
	b.WriteByte('=')
	b.WriteString(string(r.Value))
	for _, c := range r.Comments {
		b.WriteByte(' ')
		writeComment(b, c)
	}
	if r.Reason != "" && !hasReasonProp(r.Props) {
		b.WriteString(" reason=")
		writeValue(b, r.Reason)
	}
	for _, p := range r.Props {
		b.WriteByte(' ')
		if p.Type != "" {
			b.WriteString(p.Type)
			b.WriteByte('.')
		}
		b.WriteString(p.Property)
		b.WriteByte('=')
		writeValue(b, p.Value)
		if p.Comment != "" {
			b.WriteByte(' ')
			writeComment(b, p.Comment)
		}
	}
}

func hasReasonProp(props []Prop) bool {
	for _, p := range props {
		if p.Type == "" && p.Property == "reason" {
			return true
		}
	}
	return false
}

// writeToken writes an authserv-id bare when it is a single token and as a
// quoted-string otherwise (RFC 8601, section 2.2: authserv-id is a value).
func writeToken(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if isTokenStop(s[i]) {
			writeQuoted(b, s)
			return
		}
	}
	b.WriteString(s)
}

// writeValue writes a property value bare when the parser reads it back
// unchanged and as a quoted-string otherwise.
func writeValue(b *strings.Builder, s string) {
	if s == "" || s[0] == '"' {
		writeQuoted(b, s)
		return
	}
	for i := 0; i < len(s); i++ {
		if isValueStop(s[i]) {
			writeQuoted(b, s)
			return
		}
	}
	b.WriteString(s)
}

// writeQuoted writes s as an RFC 5322 quoted-string, escaping the quote, the
// backslash and line-break bytes with a quoted-pair.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\r', '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// writeComment writes text as a comment. Parentheses in text are written as
// they are when they nest properly and are escaped otherwise.
func writeComment(b *strings.Builder, text string) {
	escapeParens := !balanced(text)
	b.WriteByte('(')
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\\' || (escapeParens && (c == '(' || c == ')')) {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte(')')
}

// balanced reports whether the parentheses in text nest properly and leave
// room for the enclosing comment under maxCommentDepth.
func balanced(text string) bool {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
			if depth >= maxCommentDepth {
				return false
			}
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
