package jsonout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/received"
)

// reference renders r as `authlens --format json` did before this
// package: encoding/json's Encoder with HTML escaping off.
func reference(r *authlens.Report) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// checkSame fails tb unless AppendReport writes for r exactly the bytes
// encoding/json writes, both into an empty buffer and after a prefix.
func checkSame(tb testing.TB, name string, r *authlens.Report) {
	tb.Helper()
	want, err := reference(r)
	if err != nil {
		tb.Fatalf("%s: encoding/json cannot encode the report, so there is no output to match: %v", name, err)
	}
	if got := AppendReport(nil, r); !bytes.Equal(got, want) {
		tb.Fatalf("%s: AppendReport differs from encoding/json: %s", name, firstDiff(got, want))
	}
	prefix := []byte(`{"x":`)
	if got := AppendReport(prefix, r); !bytes.Equal(got[len(prefix):], want) || !bytes.HasPrefix(got, prefix) {
		tb.Fatalf("%s: AppendReport after a prefix differs: %s", name, firstDiff(got[len(prefix):], want))
	}
}

// firstDiff describes where got and want first differ, with some context
// around that offset in both.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	const ctx = 80
	window := func(b []byte) string {
		lo, hi := max(0, i-ctx), min(len(b), i+ctx)
		return fmt.Sprintf("%q", b[lo:hi])
	}
	return fmt.Sprintf("first difference at offset %d (lengths %d and %d)\n got: %s\nwant: %s", i, len(got), len(want), window(got), window(want))
}

// stringReport wraps s in a report, in a plain field and as a map key
// and value, so escaping is checked through AppendReport.
func stringReport(s string) *authlens.Report {
	return &authlens.Report{Source: s, AuthResults: []authlens.AuthResultsField{{
		Field: s, Results: []authlens.ResultJSON{{Method: s, Props: map[string]string{s: s, s + "x": ""}}},
	}}}
}

// TestAppendStringPinned pins the escapes encoding/json writes (Go 1.26,
// HTML escaping off), so a change of either side is noticed here first.
func TestAppendStringPinned(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"<a&b>", `"<a&b>"`},
		{`say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x0b\x1b\x1f", `"\u0000\u0001\u000b\u001b\u001f"`},
		{"\x7f", "\"\x7f\""},
		{"/", `"/"`},
		{"\xff\xfe", `"\ufffd\ufffd"`},
		{"\xe2\x80", `"\ufffd\ufffd"`},           // truncated U+2028: one per byte
		{"\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`}, // an encoded surrogate is invalid
		{"\xc0\x80", `"\ufffd\ufffd"`},           // overlong NUL
		{"a\u2028b\u2029c", `"a\u2028b\u2029c"`},
		{"é😀\uFFFD", "\"é😀\uFFFD\""}, // a literal U+FFFD is valid and kept
	}
	for _, tc := range tests {
		if got := string(appendString(nil, tc.in)); got != tc.want {
			t.Errorf("appendString(%q) = %s, want %s", tc.in, got, tc.want)
		}
		var ref bytes.Buffer
		enc := json.NewEncoder(&ref)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(tc.in); err != nil || ref.String() != tc.want+"\n" {
			t.Errorf("encoding/json writes %s for %q (err %v); the pinned value %s is stale", ref.Bytes(), tc.in, err, tc.want)
		}
	}
}

// TestAppendStringAllBytesAndRunes compares escaping with encoding/json,
// through the whole report path, for every byte value at every position
// of the 8-byte words plainRun tests at once (and after a multi-byte
// lead), for pairs of bytes that stop or nearly stop that test, and for
// every code point (surrogates included, which utf8.AppendRune writes as
// U+FFFD).
func TestAppendStringAllBytesAndRunes(t *testing.T) {
	for b := range 256 {
		for pos := range 17 {
			s := []byte(strings.Repeat("a", 17))
			s[pos] = byte(b)
			checkSame(t, fmt.Sprintf("byte %#02x at %d", b, pos), stringReport(string(s)))
		}
		checkSame(t, fmt.Sprintf("byte %#02x after a lead byte", b), stringReport(string([]byte{0xe2, 0x80, byte(b)})))
	}
	edges := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, '"', 0x23, '[', '\\', ']', 0x7f, 0x80, 0xc3, 0xe2, 0xff}
	for _, b := range edges {
		for _, c := range edges {
			for pos := range 8 {
				s := []byte("abcdefghijklmnop")
				s[pos], s[pos+1] = b, c
				checkSame(t, fmt.Sprintf("bytes %#02x %#02x at %d", b, c, pos), stringReport(string(s)))
			}
		}
	}
	var all []byte
	for r := rune(0); r <= utf8.MaxRune; r++ {
		all = utf8.AppendRune(all, r)
	}
	checkSame(t, "every code point", stringReport(string(all)))
}

// TestAppendReportNil: a nil report is encoding/json's null.
func TestAppendReportNil(t *testing.T) {
	checkSame(t, "nil report", nil)
	checkSame(t, "zero report", &authlens.Report{})
}

// TestAppendFloat compares number formatting at the 'f'/'e' cut-offs and
// for values a delay in seconds takes.
func TestAppendFloat(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.5, 1e-6, 9.99e-7, 1e-7, 1.5e-9, 1e20, 1e21, 1.2345e22, -1e-300,
		123.456, 86400, 0.000123, 1 / 3.0, 5e-324, 1.7976931348623157e308, -7e-10} {
		r := &authlens.Report{Received: &received.Chain{TotalSeconds: f, Hops: []received.Step{{DelaySeconds: -f}}}}
		checkSame(t, fmt.Sprint(f), r)
	}
}

// TestAppendTimeOutOfRange documents the one input encoding/json cannot
// encode: a Received date outside the years 0–9999 makes
// time.Time.MarshalJSON, and so the whole report, fail. AppendReport
// still writes valid JSON carrying the RFC 3339 text. received.ParseDate
// never produces such a date.
func TestAppendTimeOutOfRange(t *testing.T) {
	d := time.Date(12345, 1, 2, 3, 4, 5, 0, time.UTC)
	r := &authlens.Report{Received: &received.Chain{Hops: []received.Step{{Hop: &received.Hop{Date: d}}}}}
	if _, err := reference(r); err == nil {
		t.Fatal("encoding/json encoded a year-12345 date; the divergence documented in appendTime is gone")
	}
	got := AppendReport(nil, r)
	if !json.Valid(got) || !bytes.Contains(got, []byte(`"date":"12345-01-02T03:04:05Z"`)) {
		t.Fatalf("AppendReport wrote %s", got)
	}
}
