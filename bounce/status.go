package bounce

import (
	"strconv"
	"strings"
)

// Status codes: the enhanced status code of RFC 3463 and the SMTP reply
// code of RFC 5321, as they appear in Status fields and in servers'
// replies.

// validStatus reports whether s is an enhanced status code:
// class "." subject "." detail, where class is 2, 4 or 5 and subject and
// detail are one to three digits (RFC 3463, section 2).
func validStatus(s string) bool {
	if len(s) < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.' {
		return false
	}
	sub, det, ok := strings.Cut(s[2:], ".")
	return ok && digits(sub, 1, 3) && digits(det, 1, 3)
}

// digits reports whether s is min to max ASCII digits.
func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isNumChar reports whether c continues a dotted number.
func isNumChar(c byte) bool { return c == '.' || (c >= '0' && c <= '9') }

// findStatus returns the first enhanced status code in text that is not
// part of a longer dotted number (an IP address, a version), its offset,
// and -1 when there is none.
func findStatus(text string) (string, int) {
	for i := 0; i+5 <= len(text); i++ {
		c := text[i]
		if (c != '2' && c != '4' && c != '5') || text[i+1] != '.' || (i > 0 && (isNumChar(text[i-1]) || isWordChar(text[i-1]))) {
			continue
		}
		j := i + 2
		for j < len(text) && isNumChar(text[j]) {
			j++
		}
		cand := text[i:j]
		if j < len(text) && isWordChar(text[j]) {
			continue
		}
		cand = strings.TrimRight(cand, ".") // a code ending a sentence
		if validStatus(cand) {
			return cand, i
		}
	}
	return "", -1
}

func isWordChar(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// replyBefore returns the SMTP reply code written just before offset at
// in text ("550 5.7.26", "550-5.7.26"), or 0.
func replyBefore(text string, at int) int {
	if at < 4 {
		return 0
	}
	if sep := text[at-1]; sep != ' ' && sep != '-' {
		return 0
	}
	start := at - 4
	if start > 0 && (isNumChar(text[start-1]) || isWordChar(text[start-1])) {
		return 0
	}
	return replyCode(text[start : at-1])
}

// replyCode returns s as an SMTP reply code (RFC 5321, section 4.2: the
// first digit 2 to 5, the second 0 to 5), or 0.
func replyCode(s string) int {
	if len(s) != 3 || s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '5' || s[2] < '0' || s[2] > '9' {
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// findReply returns the first SMTP reply code in text that stands alone
// as a word followed by a space, a hyphen or the end (as in "550 Denied"
// or "550-"), or 0.
func findReply(text string) int {
	for i := 0; i+3 <= len(text); i++ {
		if i > 0 && (isNumChar(text[i-1]) || isWordChar(text[i-1]) || text[i-1] == '-' || text[i-1] == ':') {
			continue
		}
		if n := replyCode(text[i : i+3]); n != 0 {
			if i+3 == len(text) || text[i+3] == ' ' || text[i+3] == '-' {
				return n
			}
		}
	}
	return 0
}

// codes reads the enhanced status code and the SMTP reply code from a
// server's reply or a reporting system's reason.
func codes(text string) (status string, reply int) {
	status, at := findStatus(text)
	if at >= 0 {
		reply = replyBefore(text, at)
	}
	if reply == 0 {
		reply = findReply(text)
	}
	return status, reply
}

// unfold joins a folded or multi-line text into one line, collapsing
// every run of white space into a single space.
func unfold(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cleanDiagnostic unfolds a server's reply and removes the code prefixes
// that a multi-line SMTP reply repeats on every line (RFC 5321, section
// 4.2.1: "550-5.7.26 …" then "550 5.7.26 …"), keeping the first.
func cleanDiagnostic(s string) string {
	words := strings.Fields(s)
	out := make([]string, 0, len(words))
	seen := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		if r, st, ok := strings.Cut(w, "-"); ok && replyCode(r) != 0 && validStatus(st) {
			// "550-5.7.26"
			if seen {
				continue
			}
			seen = true
			out = append(out, r, st)
			continue
		}
		if replyCode(w) != 0 && i+1 < len(words) && validStatus(words[i+1]) {
			// "550 5.7.26"
			if seen {
				i++
				continue
			}
			seen = true
			out = append(out, w, words[i+1])
			i++
			continue
		}
		if n := len(w); n == 4 && w[3] == '-' && replyCode(w[:3]) != 0 && seen {
			continue // "550-" continuation without a status code
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// lowerASCII lower-cases the ASCII letters of s and nothing else, so that
// offsets found in the result are offsets in s (strings.ToLower changes
// lengths: invalid UTF-8 becomes U+FFFD, and some letters shrink).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
