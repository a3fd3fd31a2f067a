package received

import (
	"unicode"
	"unicode/utf8"
)

// Byte, ASCII and white-space helpers shared by the parsers of this
// package. They work on strings in place, without allocating.

// byteSet returns the set of the bytes of chars.
func byteSet(chars string) (set [256]bool) {
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return set
}

// containsAny reports whether s has a byte of set.
func containsAny(s string, set *[256]bool) bool {
	for i := 0; i < len(s); i++ {
		if set[s[i]] {
			return true
		}
	}
	return false
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// equalFoldASCII reports whether a and b are equal ignoring the case of
// ASCII letters only (unlike [strings.EqualFold], which also matches
// "K" (Kelvin) with "k").
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// upperASCII returns c upper-cased when it is an ASCII small letter.
func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// lowerASCII returns c lower-cased when it is an ASCII capital letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// spaceLen returns the length in bytes of the white space character
// (as [unicode.IsSpace] says) at s[i], or 0 when there is none.
func spaceLen(s string, i int) int {
	if c := s[i]; c < utf8.RuneSelf {
		return int(asciiSpace[c])
	}
	return runeSpaceLen(s[i:])
}

// runeSpaceLen is [spaceLen] for a character that is not ASCII.
func runeSpaceLen(s string) int {
	if r, n := utf8.DecodeRuneInString(s); unicode.IsSpace(r) {
		return n
	}
	return 0
}

// asciiSpace holds 1 for the ASCII bytes that [unicode.IsSpace] reports.
var asciiSpace = [utf8.RuneSelf]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}
