// Package textsafe makes text taken from a message safe to show on a
// terminal. Header text is written by whoever sent the message; shown raw,
// its escape sequences could move the cursor, rewrite earlier lines, change
// the window title or hide text, and bidirectional overrides could make an
// address read differently from what it is.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s with every control character (C0, DEL, C1), every ANSI
// escape sequence, bidirectional formatting character and invalid UTF-8
// byte removed. Tabs, CR and LF become single spaces, so a value always
// stays on one line.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b { // ESC: skip the whole sequence
			i = skipEscape(s, i)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == '\t' || r == '\r' || r == '\n':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// dropped
		case isBidi(r), r == '\u200b', r == '\ufeff':
			// dropped
		case unicode.Is(unicode.Cf, r) && r != '\u200d':
			// other invisible format characters
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isBidi reports bidirectional embedding, override and isolate controls.
func isBidi(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// skipEscape returns the index after the escape sequence starting at s[i]
// (ECMA-48: CSI "ESC [" params final; OSC "ESC ]" ... BEL or ST; other
// two-byte escapes).
func skipEscape(s string, i int) int {
	i++ // ESC
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		i++
		for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
			i++
		}
		return min(i+1, len(s))
	case ']', 'P', '^', '_', 'X':
		i++
		for i < len(s) {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			i++
		}
		return i
	default:
		return i + 1
	}
}
