package received

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// months maps the first three letters of an English month name, lower
// case, to its month.
var months = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March,
	"apr": time.April, "may": time.May, "jun": time.June,
	"jul": time.July, "aug": time.August, "sep": time.September,
	"oct": time.October, "nov": time.November, "dec": time.December,
}

// weekdays holds the first three letters of English day names, lower case.
var weekdays = map[string]bool{
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
}

// obsZones holds the offsets, in hours, of the obsolete zone names of
// RFC 5322, section 4.3, plus "UTC", which servers write although the
// grammar does not list it.
var obsZones = map[string]int{
	"ut": 0, "utc": 0, "gmt": 0, "z": 0,
	"est": -5, "edt": -4, "cst": -6, "cdt": -5,
	"mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
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
func ParseDate(s string) (time.Time, error) {
	text := strings.TrimSpace(stripComments(s))
	if text == "" {
		return time.Time{}, fmt.Errorf("%w: empty", ErrNoDate)
	}
	fields := strings.Fields(strings.ReplaceAll(text, ",", " "))
	var (
		day, year         = -1, -1
		month             time.Month
		hour, min, sec    = -1, 0, 0
		nsec              int
		offset            int
		zoneSet, yearBare bool
	)
	for i, f := range fields {
		lower := strings.ToLower(f)
		switch {
		case i == 0 && len(lower) >= 3 && weekdays[lower[:3]] && isAlpha(lower):
			// Day of the week: informative only.
		case len(lower) >= 3 && months[lower[:3]] != 0 && isAlpha(lower) && month == 0:
			month = months[lower[:3]]
		case strings.Contains(f, ":") && hour < 0 && isDigitStart(f):
			var err error
			hour, min, sec, nsec, err = parseClock(f)
			if err != nil {
				return time.Time{}, fmt.Errorf("%w: %v in %q", ErrDate, err, s)
			}
		case (f[0] == '+' || f[0] == '-') && len(f) > 1 && !zoneSet:
			o, err := parseOffset(f[1:])
			if err != nil {
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
			if h, ok := obsZones[lower]; ok {
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

// parseClock reads hh:mm[:ss[.fraction]].
func parseClock(f string) (hour, min, sec, nsec int, err error) {
	frac := ""
	if i := strings.IndexByte(f, '.'); i >= 0 {
		f, frac = f[:i], f[i+1:]
	}
	parts := strings.Split(f, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, 0, fmt.Errorf("time of day %q", f)
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || len(p) > 2 || !isDigits(p) {
			return 0, 0, 0, 0, fmt.Errorf("time of day %q", f)
		}
		n[i], _ = strconv.Atoi(p)
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

// parseOffset reads hhmm or hh:mm into seconds.
func parseOffset(f string) (int, error) {
	f = strings.ReplaceAll(f, ":", "")
	if len(f) != 4 || !isDigits(f) {
		return 0, fmt.Errorf("zone %q", f)
	}
	h, _ := strconv.Atoi(f[:2])
	m, _ := strconv.Atoi(f[2:])
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("zone %q out of range", f)
	}
	return h*3600 + m*60, nil
}

// stripComments removes parenthesised comments, nested ones included.
// An unclosed comment runs to the end.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && depth > 0:
			i++
		case c == '(':
			depth++
			b.WriteByte(' ')
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
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
