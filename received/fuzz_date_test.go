package received

import (
	"errors"
	"github.com/authlens/authlens/internal/testshared"
	"strings"
	"testing"
)

// rfc5322Layout writes a date-time as RFC 5322, section 3.3 does, with
// the fraction of a second some servers add.
const rfc5322Layout = "Mon, 02 Jan 2006 15:04:05.999999999 -0700"

// FuzzParseDate checks that ParseDate never panics, that its errors wrap
// ErrDate or ErrNoDate, and that a date it reads, written back in RFC 5322
// form (and in asctime order), reads again as the same instant and zone.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"Tue, 24 Oct 2023 00:25:13 -0400 (EDT)",
		"Mon, 2 Feb 2026 08:00:03 +0000",
		"12 Mar 26 09:00 -0000",
		"Thu Mar 12 09:00:00 2026",
		"Wed, 29 Feb 2024 23:59:60.123456 +2359",
		"1 jan 099 00:00 GMT",
		"Sun, 31 Dec 9999 23:59:59 -2359",
		"31 Feb 2026 10:00:00 +0100",
		"Fri, 13 Mar 2026 10:15:01 EST (comment (nested) \\) )",
		"5 Apr 2026 10:00 Z",
		"\u00a0Sat,\u00a04 Apr 2026 10:00:00 PDT",
		",",
		"",
	} {
		f.Add(s)
	}
	for _, v := range testshared.FieldValues(f, "Received") {
		if i := strings.LastIndexByte(v, ';'); i >= 0 {
			f.Add(v[i+1:])
		}
	}
	for _, v := range testshared.FieldValues(f, "Date") {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrDate) && !errors.Is(err, ErrNoDate) {
				t.Fatalf("ParseDate(%q): error %v wraps neither ErrDate nor ErrNoDate", s, err)
			}
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q): error %v with a date %v", s, err, d)
			}
			return
		}
		if d.IsZero() {
			t.Fatalf("ParseDate(%q): zero date without error", s)
		}
		if y := d.Year(); y < 0 || y > 9999 {
			t.Fatalf("ParseDate(%q): year %d", s, y)
		}
		_, off := d.Zone()
		for _, text := range []string{
			d.Format(rfc5322Layout),
			d.Format("Mon Jan _2 15:04:05.999999999 2006 -0700"),
		} {
			again, err := ParseDate(text)
			if err != nil {
				t.Fatalf("ParseDate(%q) = %v, written as %q, which does not read: %v", s, d, text, err)
			}
			if !again.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, written as %q, reads as %v", s, d, text, again)
			}
			if _, off2 := again.Zone(); off2 != off {
				t.Fatalf("ParseDate(%q): zone offset %d, written as %q, reads as %d", s, off, text, off2)
			}
		}
	})
}

// TestParseDateEarlyYear: a year before 1900 is refused (RFC 5322,
// section 3.3), so that no date reads as the zero time, which callers
// take for "no date".
func TestParseDateEarlyYear(t *testing.T) {
	for _, s := range []string{"1 Jan 0001 00:00:00 +0000", "Mon, 1 Jan 0001 00:00 GMT", "2 Feb 1899 10:00 +0000", "1 Jan 0000 00:00 +0100"} {
		if d, err := ParseDate(s); !errors.Is(err, ErrDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrDate", s, d, err)
		}
		if h, err := Parse("from a by b; " + s); err == nil || !h.Date.IsZero() {
			t.Errorf("Parse(…; %q): date %v, error %v; want no date and an error", s, h.Date, err)
		}
	}
	if d, err := ParseDate("1 Jan 1900 00:00:00 +0000"); err != nil || d.Year() != 1900 {
		t.Errorf("ParseDate(1900) = %v, %v", d, err)
	}
}
