package bounce

import (
	"strings"
)

// field is one "Name: value" line of a delivery-status block or a quoted
// header block, continuation lines joined.
type field struct {
	name  string // as written
	value string // unfolded, trimmed
}

// block is a run of fields between blank lines.
type block []field

// get returns the value of the first field named name, "" when none.
func (b block) get(name string) string {
	for _, f := range b {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// all returns the values of every field named name.
func (b block) all(name string) []string {
	var out []string
	for _, f := range b {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// readBlocks splits text into blank-line separated blocks of header-like
// fields (RFC 3464, section 2.1: the delivery-status body is a per-message
// block followed by per-recipient blocks, each in RFC 822 header syntax).
// A line that is neither a field nor a continuation is skipped; at most
// max blocks are read.
func readBlocks(text string, max int) []block {
	var out []block
	var cur block
	var folded []string // continuation lines of cur's last field, joined once
	endField := func() {
		if n := len(cur); n > 0 && len(folded) > 0 {
			cur[n-1].value = strings.Join(append([]string{cur[n-1].value}, folded...), " ")
			cur[n-1].value = strings.TrimSpace(cur[n-1].value)
		}
		folded = folded[:0]
	}
	flush := func() {
		endField()
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			flush()
			if len(out) >= max {
				return out
			}
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(cur) > 0 {
				if t := strings.TrimSpace(line); t != "" {
					folded = append(folded, t)
				}
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !validFieldName(name) {
			continue
		}
		endField()
		cur = append(cur, field{name: name, value: strings.TrimSpace(value)})
	}
	flush()
	return out
}

// readHeaderBlock reads one header block from the start of text (blank
// lines before it skipped), stopping at the first line that is not a
// field or a continuation.
func readHeaderBlock(text string) block {
	var cur block
	var folded []string
	endField := func() {
		if n := len(cur); n > 0 && len(folded) > 0 {
			cur[n-1].value = strings.TrimSpace(strings.Join(append([]string{cur[n-1].value}, folded...), " "))
		}
		folded = folded[:0]
	}
	started := false
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			if started {
				break
			}
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(cur) > 0 {
				folded = append(folded, strings.TrimSpace(line))
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !validFieldName(name) {
			if started {
				break
			}
			continue // a line of prose before the fields
		}
		started = true
		endField()
		cur = append(cur, field{name: name, value: strings.TrimSpace(value)})
	}
	endField()
	return cur
}

// validFieldName reports whether s is an RFC 5322 field name (printable
// ASCII except colon and space).
func validFieldName(s string) bool {
	if s == "" || len(s) > 76 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// typed splits a typed value ("rfc822; user@example.com", "dns;
// mx.example.com", "smtp; 550 …") into its type, lower case, and the
// rest (RFC 3464, section 2.1.2 and 2.3.6). A value without a type is
// all rest.
func typed(v string) (typ, rest string) {
	t, r, ok := strings.Cut(v, ";")
	if !ok || !isAtom(strings.TrimSpace(t)) {
		return "", strings.TrimSpace(v)
	}
	return strings.ToLower(strings.TrimSpace(t)), strings.TrimSpace(r)
}

// isAtom reports whether s is a single token of letters, digits and
// hyphens, as address and diagnostic types are.
func isAtom(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c == '.' || c == '_' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z')) {
			return false
		}
	}
	return true
}

// bareAddress strips angle brackets and a trailing "<mailto:…>" from an
// address.
func bareAddress(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "<mailto:"); i > 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "<")
	s = strings.TrimSuffix(s, ">")
	return strings.TrimSpace(s)
}
