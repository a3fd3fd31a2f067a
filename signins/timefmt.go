package signins

import (
	"strings"
	"time"
)

// parseTime reads the timestamps of the exports: RFC 3339 with or without
// fractional seconds ("2025-12-04T08:19:41Z", Graph's
// "2020-03-13T19:15:41.6195833Z"), the same with a space for the T, and
// Log Analytics' CSV form ("3/2/2026, 8:15:41.123 AM"). Times without a
// zone are UTC, as the exports write them.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 19 && s[4] == '-' && s[7] == '-' {
		if s[10] == ' ' {
			s = s[:10] + "T" + s[11:]
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC(), true
		}
		if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
			return t, true
		}
		return time.Time{}, false
	}
	for _, layout := range laLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var laLayouts = []string{"1/2/2006, 3:04:05.999 PM", "1/2/2006 3:04:05.999 PM", "1/2/2006, 15:04:05.999", "1/2/2006 15:04:05.999"}

// ParseTimeFlag reads a --since/--until value: RFC 3339, or a date
// (2026-03-05, midnight UTC), or a date and time without a zone (UTC).
func ParseTimeFlag(s string) (time.Time, bool) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04", s); err == nil {
		return t, true
	}
	return parseTime(s)
}
