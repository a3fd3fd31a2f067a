package jsonout

import "unicode/utf8"

// hexDigits are the lower-case digits encoding/json writes in \u00XX.
const hexDigits = "0123456789abcdef"

// appendString appends s as a quoted JSON string, escaped exactly as
// encoding/json escapes it with HTML escaping off:
//
//   - `"` and `\` get a backslash; \b, \f, \n, \r and \t their short
//     escapes; every other byte below 0x20 is \u00XX (lower-case hex);
//   - DEL (0x7f) and `<`, `>`, `&` are written as they are;
//   - each byte that does not start a valid UTF-8 sequence becomes
//     \ufffd (so a truncated sequence yields one per byte);
//   - U+2028 and U+2029 are escaped, because JavaScript (JSONP) treats
//     them as line ends.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; ; {
		i += plainRun(s[i:])
		if i >= len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xf])
		default:
			i += size // valid UTF-8 is copied as it is
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plainRun returns the length of the prefix of s that encoding/json copies
// as it is: printable ASCII other than '"' and '\\'. Most of a report's
// text is such, so it tests 8 bytes at a time. In a little-endian word, a
// byte below 0x20 has its high bit set after subtracting 0x20, a '"' or
// '\\' after XOR with itself and subtracting 1, and a byte of 0x80 or
// above has it set already; a borrow only spreads from a byte that is
// flagged, so a flagged word always holds a byte to stop at, which the
// byte loop then finds.
func plainRun(s string) int {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if (x|(x-ones*0x20)|((x^ones*'"')-ones)|((x^ones*'\\')-ones))&high != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= utf8.RuneSelf || b == '"' || b == '\\' {
			break
		}
	}
	return i
}
