package dkimcore

import (
	"fmt"
	"strings"
)

// Tag is one "name=value" element of a tag-list.
type Tag struct {
	// Name is the tag name as written; tag names are case-sensitive
	// (RFC 6376, section 3.2).
	Name string
	// Value is the tag value with surrounding white space removed. White
	// space and folding inside the value are kept as written; use
	// [StripFWS] for tags whose value is base64 or a colon list.
	Value string
	// Start and End are the byte offsets of Value in the parsed text.
	Start, End int
	// EqualEnd is the offset just after the tag's "=": the bytes from
	// EqualEnd up to the next ";" (or the end) are the value with all
	// surrounding white space, which is what gets emptied when the
	// b= value is removed before hashing (RFC 6376, section 3.7).
	EqualEnd int
	// SpecEnd is the offset of the ";" ending this tag-spec, or the length
	// of the text for the last one.
	SpecEnd int
}

// TagList is a parsed tag-list, tags in the order written.
type TagList []Tag

// Lookup returns the value of the tag named name and whether it is present.
func (l TagList) Lookup(name string) (string, bool) {
	for i := range l {
		if l[i].Name == name {
			return l[i].Value, true
		}
	}
	return "", false
}

// Get returns the tag named name, or nil.
func (l TagList) Get(name string) *Tag {
	for i := range l {
		if l[i].Name == name {
			return &l[i]
		}
	}
	return nil
}

// ParseTagList parses the tag=value list used by DKIM-Signature fields and
// key records (RFC 6376, section 3.2). Errors wrap [ErrTagSyntax] or
// [ErrDuplicateTag] and name the tag and offset at fault.
//
// RFC 6376, section 3.2: a tag-list is tag-specs separated by ";" with an
// optional final ";"; a tag name is a letter followed by letters, digits
// and "_"; a value is printable ASCII other than ";", with white space
// allowed only between its parts. A name that occurs twice makes the whole
// list invalid. Empty tag-specs (";;") are tolerated, as deployed signers
// emit them; bytes above 0x7E are accepted in values so that notes in
// UTF-8 do not invalidate a key.
func ParseTagList(s string) (TagList, error) {
	n := strings.Count(s, ";") + 1
	l := make(TagList, 0, n)
	return ParseTagListInto(s, l)
}

// ParseTagListInto is [ParseTagList] appending to l, so that a caller
// parsing many tag-lists can size the slice itself.
func ParseTagListInto(s string, l TagList) (TagList, error) {
	i := 0
	for i < len(s) {
		i = skipFWS(s, i)
		if i == len(s) {
			break
		}
		if s[i] == ';' {
			i++
			continue
		}
		start := i
		if !isAlpha(s[i]) {
			return l, fmt.Errorf("%w: tag name must start with a letter, found %q at offset %d", ErrTagSyntax, s[i], i)
		}
		for i < len(s) && (isAlpha(s[i]) || isDigit(s[i]) || s[i] == '_') {
			i++
		}
		name := s[start:i]
		i = skipFWS(s, i)
		if i == len(s) || s[i] != '=' {
			return l, fmt.Errorf("%w: tag %q has no \"=\"", ErrTagSyntax, name)
		}
		i++
		eq := i
		i = skipFWS(s, i)
		vstart, vend := i, i
		for i < len(s) && s[i] != ';' {
			c := s[i]
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				// white space inside or after the value
			case c < 0x21 || c == 0x7f:
				return l, fmt.Errorf("%w: tag %q: control character 0x%02x in value", ErrTagSyntax, name, c)
			default:
				vend = i + 1
			}
			i++
		}
		for j := range l {
			if l[j].Name == name {
				return l, fmt.Errorf("%w: %q", ErrDuplicateTag, name)
			}
		}
		l = append(l, Tag{Name: name, Value: s[vstart:vend], Start: vstart, End: vend, EqualEnd: eq, SpecEnd: i})
		if i < len(s) {
			i++ // the ";"
		}
	}
	return l, nil
}

// skipFWS returns the index of the first byte at or after i that is not
// white space or a line break.
func skipFWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isWSP(c byte) bool   { return c == ' ' || c == '\t' }

// StripFWS returns s without any white space or line breaks, as needed for
// base64 values (b=, bh=, p=) that signers fold across lines.
func StripFWS(s string) string {
	if strings.IndexAny(s, " \t\r\n") < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			b.WriteByte(c)
		}
	}
	return b.String()
}
