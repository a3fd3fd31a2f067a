// Package lookalike finds what makes an author look like someone else: a
// domain name written into a display name or local part, and host names
// or words whose letters imitate Latin ones (homographs).
//
// The Unicode checks follow Unicode Technical Standard #39, "Unicode
// Security Mechanisms": a label that mixes scripts (section 5.1, mixed-
// script detection), and a label written wholly in another script with
// letters that are confusable with Latin ones (section 4, whole-script
// confusables). Only the scripts whose letters are commonly confused with
// Latin ones are considered, with a small table of their look-alike
// letters instead of the full confusables data: a few dozen lines of
// ours against a data file that would need updating.
package lookalike

import (
	"strings"
	"unicode"

	"github.com/authlens/authlens/align"
)

// Domains returns the domain names written in s — a display name or a
// local part — as tokens of the form label.label… under an ICANN top-level
// domain, or the domain of an address written there ("PayPal
// <service@paypal.com>", "paypal.com-security"). Names are lower case,
// each listed once.
func Domains(s string) []string {
	var out []string
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`<>()[]{}"',;:|/\!?*`, r)
	}) {
		if at := strings.LastIndexByte(tok, '@'); at >= 0 {
			tok = tok[at+1:]
		}
		tok = strings.ToLower(strings.Trim(tok, ".-_"))
		if !strings.Contains(tok, ".") || !hasLetter(tok[:strings.LastIndexByte(tok, '.')]) {
			continue
		}
		for _, cand := range []string{tok, cutAtHyphenAfterTLD(tok)} {
			if cand != "" && commonTLD(cand) && align.PublicOrgDomain(cand) != "" && !contains(out, cand) {
				out = append(out, cand)
				break
			}
		}
	}
	return out
}

// cutAtHyphenAfterTLD reads "paypal.com-security" as "paypal.com".
func cutAtHyphenAfterTLD(tok string) string {
	dot := strings.LastIndexByte(tok, '.')
	if i := strings.IndexByte(tok[dot+1:], '-'); i > 0 {
		return tok[:dot+1+i]
	}
	return ""
}

// commonTLD reports whether name ends in a top-level domain that people
// recognize as one: a country code, or one of the original generic ones.
// Newer generic domains are also ordinary words ("firstname.name",
// "john.art"), which names and local parts are full of.
func commonTLD(name string) bool {
	tld := name[strings.LastIndexByte(name, '.')+1:]
	if len(tld) == 2 {
		return true
	}
	switch tld {
	case "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz":
		return true
	}
	return false
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// confusable lists letters of other scripts that look like Latin letters.
var confusable = map[rune]bool{}

func init() {
	for _, r := range "аеорсухіјԁӏѕԛԝһјӄԍпԋАВЕКМНОРСТХЅІЈԚԜ" + // Cyrillic
		"αορνικτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" + // Greek
		"օսոհցզ" { // Armenian
		confusable[r] = true
	}
}

// watched are the scripts whose letters pass for Latin ones.
var watched = []*unicode.RangeTable{unicode.Cyrillic, unicode.Greek, unicode.Armenian, unicode.Cherokee}

// scriptOf returns the script of a letter among Latin and the watched
// ones, or nil.
func scriptOf(r rune) *unicode.RangeTable {
	if unicode.Is(unicode.Latin, r) {
		return unicode.Latin
	}
	for _, t := range watched {
		if unicode.Is(t, r) {
			return t
		}
	}
	return nil
}

// MixedScript reports whether word mixes Latin letters with letters of a
// script that imitates them (UTS #39, section 5.1): "pаypal" with a
// Cyrillic "а".
func MixedScript(word string) bool {
	latin, other := false, false
	for _, r := range word {
		switch s := scriptOf(r); {
		case s == unicode.Latin:
			latin = true
		case s != nil:
			other = true
		}
	}
	return latin && other
}

// LooksLatin reports whether word is written wholly in letters of another
// script that look like Latin ones (UTS #39, section 4, whole-script
// confusables): "аррӏе" in Cyrillic reads as "apple".
func LooksLatin(word string) bool {
	letters := 0
	for _, r := range word {
		if !unicode.IsLetter(r) {
			continue
		}
		if !confusable[r] {
			return false
		}
		letters++
	}
	return letters > 0
}

// Homograph returns the first label of a Unicode host name, or word of a
// display name, that imitates Latin letters: mixed scripts, or a whole
// label of confusable letters. It returns "" when there is none.
func Homograph(s string) string {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || unicode.IsSpace(r) || unicode.IsPunct(r) }) {
		if MixedScript(w) || LooksLatin(w) {
			return w
		}
	}
	return ""
}
