package received

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// monthAbbrs holds the first three letters of the English month names,
// lower case, in calendar order (RFC 5322, section 3.3, "month"), as
// [abbrKey] values.
var monthAbbrs = [12]uint32{
	abbr("jan"), abbr("feb"), abbr("mar"), abbr("apr"), abbr("may"), abbr("jun"),
	abbr("jul"), abbr("aug"), abbr("sep"), abbr("oct"), abbr("nov"), abbr("dec"),
}

// weekdayAbbrs holds the first three letters of the English day names
// (RFC 5322, section 3.3, "day-name"), as [abbrKey] values.
var weekdayAbbrs = [7]uint32{abbr("mon"), abbr("tue"), abbr("wed"), abbr("thu"), abbr("fri"), abbr("sat"), abbr("sun")}

// abbr returns the key of a three-letter lower-case abbreviation.
func abbr(s string) uint32 { return uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2]) }

// abbrKey returns the first three bytes of w, ASCII letters lower-cased,
// packed into a number to compare with [abbr] keys; w has three bytes
// at least.
func abbrKey(w string) uint32 {
	return uint32(lowerASCII(w[0]))<<16 | uint32(lowerASCII(w[1]))<<8 | uint32(lowerASCII(w[2]))
}

// obsZone is an obsolete zone name of RFC 5322, section 4.3, with its
// offset in hours.
type obsZone struct {
	name  string // lower case
	hours int
}

// obsZones holds the obsolete zone names of RFC 5322, section 4.3, plus
// "UTC", which servers write although the grammar does not list it.
var obsZones = [...]obsZone{
	{"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0},
	{"est", -5}, {"edt", -4}, {"cst", -6}, {"cdt", -5},
	{"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7},
}

// ParseDate reads an RFC 5322 date-time (section 3.3) leniently: the day
// of the week and the seconds may be missing, comments such as "(UTC)"
// or "(PDT)" are ignored, two- and three-digit years are read as RFC
// 5322, section 4.3 says, the obsolete zone names (UT, GMT, EST, …) have
// their defined offsets, and fractional seconds are accepted. A military
// one-letter zone other than "Z" is read as "-0000" (section 4.3), as is a
// missing or unrecognised zone; the result is then in UTC, which may not
// be the writer's zone. The asctime order "Mon Oct 10 15:11:35 2022" is
// accepted too.
//
// ParseDate does not allocate for a readable ASCII date; error messages
// are built only on failure.
func ParseDate(s string) (time.Time, error) {
	var (
		day, year         = -1, -1
		month             time.Month
		hour, min, sec    = -1, 0, 0
		nsec              int
		offset            int
		zoneSet, yearBare bool
	)
	words := dateWords{text: s}
	for i := 0; ; i++ {
		f := words.next()
		if f == "" {
			if i == 0 && !words.comma {
				return time.Time{}, fmt.Errorf("%w: empty", ErrNoDate)
			}
			break
		}
		// Names are compared without regard to ASCII case. Unicode case
		// mapping turns a few other letters into ASCII ones (the Kelvin
		// sign into "k"), so words that are not ASCII are lower-cased.
		lower := f
		if !isASCII(f) {
			lower = strings.ToLower(f)
		}
		switch {
		case i == 0 && isAlpha(lower) && isWeekday(lower):
			// Day of the week: informative only.
		case month == 0 && isAlpha(lower) && monthOf(lower) != 0:
			month = monthOf(lower)
		case strings.IndexByte(f, ':') >= 0 && hour < 0 && isDigitStart(f):
			var err error
			hour, min, sec, nsec, err = parseClock(f)
			if err != nil {
				return time.Time{}, fmt.Errorf("%w: %v in %q", ErrDate, err, s)
			}
		case (f[0] == '+' || f[0] == '-') && len(f) > 1 && !zoneSet:
			o, ok := parseOffset(f[1:])
			if !ok {
				return time.Time{}, fmt.Errorf("%w: zone %q in %q", ErrDate, f, s)
			}
			if f[0] == '-' {
				o = -o
			}
			offset, zoneSet = o, true
		case isDigits(f):
			n, _ := strconv.Atoi(f)
			switch {
			case day < 0 && len(f) <= 2 && (month == 0 || year < 0):
				day = n
			case year < 0:
				year, yearBare = n, len(f) < 4
				if yearBare {
					year = obsYear(f, n)
				}
			default:
				return time.Time{}, fmt.Errorf("%w: unexpected number %q in %q", ErrDate, f, s)
			}
		case isAlpha(lower) && !zoneSet:
			if h, ok := obsZoneHours(lower); ok {
				offset, zoneSet = h*3600, true
			} else if len(lower) == 1 {
				// Military zones: RFC 5322, section 4.3 says to treat them
				// as -0000 because their signs were used inconsistently.
				zoneSet = true
			}
			// Other names (CEST, AEDT, …) have no defined offset: ignored.
		case isAlpha(lower):
			// A zone name after a numeric zone, without parentheses.
		default:
			return time.Time{}, fmt.Errorf("%w: unexpected %q in %q", ErrDate, f, s)
		}
	}
	switch {
	case month == 0:
		return time.Time{}, fmt.Errorf("%w: no month in %q", ErrDate, s)
	case day < 1 || day > 31:
		return time.Time{}, fmt.Errorf("%w: no day of the month in %q", ErrDate, s)
	case year < 0:
		return time.Time{}, fmt.Errorf("%w: no year in %q", ErrDate, s)
	case year < 1900:
		// RFC 5322, section 3.3: "any numeric year 1900 or later". An
		// earlier one is damage, and 0001-01-01 00:00 UTC could not be
		// told from a missing date.
		return time.Time{}, fmt.Errorf("%w: year %d out of range in %q", ErrDate, year, s)
	case year > 9999:
		// RFC 5322, section 3.3 has four-digit years; larger ones are
		// damage, and no timestamp format downstream can hold them.
		return time.Time{}, fmt.Errorf("%w: year %d out of range in %q", ErrDate, year, s)
	case hour < 0:
		return time.Time{}, fmt.Errorf("%w: no time of day in %q", ErrDate, s)
	}
	t := time.Date(year, month, day, hour, min, sec, nsec, time.FixedZone("", offset))
	if t.Day() != day {
		return time.Time{}, fmt.Errorf("%w: %s has no day %d in %q", ErrDate, month, day, s)
	}
	return t, nil
}

// dateWords splits a date-time into words: white space, commas and
// comments (RFC 5322, section 3.2.2) separate them. The words are
// substrings of the text.
type dateWords struct {
	text string
	pos  int // where the next word is looked for
	// comma reports whether a comma was seen outside comments.
	comma bool
}

// next returns the next word, or "" at the end.
func (d *dateWords) next() string {
	s, i := d.text, d.pos
	for i < len(s) {
		c, space := s[i], spaceLen(s, i)
		switch {
		case c == '(':
			i, _ = commentEnd(s, i)
		case c == ',':
			d.comma = true
			i++
		case space > 0:
			i += space
		default:
			return d.word(i)
		}
	}
	d.pos = i
	return ""
}

// word returns the word that starts at d.text[start].
func (d *dateWords) word(start int) string {
	s, i := d.text, start
	for i < len(s) {
		if c := s[i]; !dateStop[c] {
			i++
			continue
		}
		if s[i] < utf8.RuneSelf || runeSpaceLen(s[i:]) > 0 {
			break
		}
		// Stepping a byte at a time inside a character that is not
		// ASCII is safe: its other bytes are never white space, "(" or
		// ",".
		i++
	}
	d.pos = i
	return s[start:i]
}

// dateStop marks the bytes that may end a word of a date-time: ASCII
// white space, "(", "," and every byte that is not ASCII, which may
// start white space such as U+00A0.
var dateStop = func() (set [256]bool) {
	for c := range set {
		set[c] = c >= utf8.RuneSelf || c == '(' || c == ',' || asciiSpace[c] == 1
	}
	return set
}()

// commentEnd returns the index after the comment (RFC 5322, section
// 3.2.2) that starts at s[i], nested comments and quoted pairs included;
// closed is false when it runs to the end of s unclosed.
func commentEnd(s string, i int) (end int, closed bool) {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
	}
	return len(s), false
}

// isWeekday reports whether w starts with the abbreviation of a day
// name, ignoring ASCII case.
func isWeekday(w string) bool {
	if len(w) < 3 {
		return false
	}
	k := abbrKey(w)
	for _, d := range weekdayAbbrs {
		if k == d {
			return true
		}
	}
	return false
}

// monthOf returns the month whose name w starts with (three letters at
// least, ignoring ASCII case), or 0.
func monthOf(w string) time.Month {
	if len(w) < 3 {
		return 0
	}
	k := abbrKey(w)
	for i, m := range monthAbbrs {
		if k == m {
			return time.Month(i + 1)
		}
	}
	return 0
}

// obsZoneHours returns the offset in hours of the obsolete zone name w
// (RFC 5322, section 4.3), ignoring ASCII case.
func obsZoneHours(w string) (int, bool) {
	for _, z := range obsZones {
		if equalFoldASCII(w, z.name) {
			return z.hours, true
		}
	}
	return 0, false
}

// obsYear expands a two- or three-digit year as RFC 5322, section 4.3
// says: 00–49 are 2000–2049, 50–99 are 1950–1999, three digits add 1900.
func obsYear(digits string, n int) int {
	switch {
	case len(digits) == 3:
		return n + 1900
	case n < 50:
		return n + 2000
	default:
		return n + 1900
	}
}

// parseClock reads a time of day, hh:mm[:ss[.fraction]] (RFC 5322,
// section 3.3, plus the fraction some servers write).
func parseClock(f string) (hour, min, sec, nsec int, err error) {
	frac := ""
	if i := strings.IndexByte(f, '.'); i >= 0 {
		f, frac = f[:i], f[i+1:]
	}
	var n [3]int
	parts := 0
	for rest := f; ; {
		p, after, more := strings.Cut(rest, ":")
		if parts == len(n) || p == "" || len(p) > 2 || !isDigits(p) {
			return 0, 0, 0, 0, fmt.Errorf("time of day %q", f)
		}
		n[parts], _ = strconv.Atoi(p)
		parts++
		if !more {
			break
		}
		rest = after
	}
	if parts < 2 {
		return 0, 0, 0, 0, fmt.Errorf("time of day %q", f)
	}
	if n[0] > 23 || n[1] > 59 || n[2] > 60 {
		return 0, 0, 0, 0, fmt.Errorf("time of day %q out of range", f)
	}
	if frac != "" {
		if !isDigits(frac) || len(frac) > 9 {
			return 0, 0, 0, 0, fmt.Errorf("fraction of a second %q", frac)
		}
		v, _ := strconv.Atoi(frac)
		for i := len(frac); i < 9; i++ {
			v *= 10
		}
		nsec = v
	}
	return n[0], n[1], n[2], nsec, nil
}

// parseOffset reads the hhmm or hh:mm of a numeric zone (RFC 5322,
// section 3.3, "zone", after the sign) into seconds; ok is false when f
// is not one.
func parseOffset(f string) (seconds int, ok bool) {
	var d [4]int
	n := 0
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c == ':':
		case c < '0' || c > '9' || n == len(d):
			return 0, false
		default:
			d[n] = int(c - '0')
			n++
		}
	}
	h, m := d[0]*10+d[1], d[2]*10+d[3]
	if n != len(d) || h > 23 || m > 59 {
		return 0, false
	}
	return h*3600 + m*60, true
}

func isDigits(s string) bool {
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

func isDigitStart(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func isAlpha(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
