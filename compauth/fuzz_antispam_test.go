package compauth

import (
	"errors"
	"fmt"
	"github.com/authlens/authlens/internal/testshared"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// unfoldFields removes the line breaks splitPairs removes.
func unfoldFields(s string) string {
	return strings.NewReplacer("\r\n", "", "\n", "", "\r", "").Replace(s)
}

// checkPairFields checks the fields of a KEY:value;… value s: never more
// than its segments, each key and value a trimmed substring of s without
// ";", each key without ":". It returns the fields written back as
// "key:value;…", which must parse to the same fields.
func checkPairFields(t *testing.T, s string, fields []Field) string {
	t.Helper()
	u := unfoldFields(s)
	if max := strings.Count(u, ";") + 1; len(fields) > max {
		t.Fatalf("%d fields from %d segments of %q", len(fields), max, s)
	}
	var b strings.Builder
	for _, fl := range fields {
		for what, v := range map[string]string{"key": fl.Key, "value": fl.Value} {
			if !strings.Contains(u, v) || strings.Contains(v, ";") || v != strings.TrimSpace(v) {
				t.Fatalf("%s %q of %q is not a trimmed segment part", what, v, s)
			}
		}
		if strings.Contains(fl.Key, ":") {
			t.Fatalf("key %q holds a colon", fl.Key)
		}
		if fl.Name == "" || fl.Confidence == "" {
			t.Fatalf("field %q without a name or confidence: %+v", fl.Key, fl)
		}
		if !fl.Known && fl.Confidence != ConfidenceUnknown {
			t.Fatalf("unknown key %q with confidence %q", fl.Key, fl.Confidence)
		}
		b.WriteString(fl.Key + ":" + fl.Value + ";")
	}
	return b.String()
}

// checkEmpty checks that the result is nil, with ErrEmpty, exactly when
// every segment of s is blank, and reports whether it is.
func checkEmpty(t *testing.T, s string, nilResult bool, err error) bool {
	t.Helper()
	blank := true
	for seg := range strings.SplitSeq(unfoldFields(s), ";") {
		blank = blank && strings.TrimSpace(seg) == ""
	}
	if nilResult != blank || nilResult != errors.Is(err, ErrEmpty) {
		t.Fatalf("%q: nil result %v, error %v, blank %v", s, nilResult, err, blank)
	}
	return nilResult
}

// FuzzParseMicrosoftAntispam checks that ParseMicrosoftAntispam never
// panics, keeps every segment as a field (written back, the fields parse
// the same), and reads BCL from the first BCL field holding a number.
func FuzzParseMicrosoftAntispam(f *testing.F) {
	for _, s := range []string{"BCL:0;", "BCL:8;ARA:1444111002;RULEID:x", "bcl:x;BCL:3", "BCL", ";;", "BCL:99999999999999999999", "PCL:5;BCL:-1;\r\n SRVR:a:b"} {
		f.Add(s)
	}
	for _, v := range testshared.FieldValues(f, "X-Microsoft-Antispam") {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseMicrosoftAntispam(s)
		if checkEmpty(t, s, r == nil, err) {
			return
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("%q: error %v is not ErrMalformed", s, err)
		}
		var want *int
		for _, fl := range r.Fields {
			if strings.EqualFold(fl.Key, "BCL") {
				if n, err := strconv.Atoi(fl.Value); err == nil {
					want = &n
					break
				}
			}
		}
		if (want == nil) != (r.BCL == nil) || (want != nil && *want != *r.BCL) {
			t.Fatalf("%q: BCL %v, want %v", s, deref(r.BCL), deref(want))
		}
		again, err := ParseMicrosoftAntispam(checkPairFields(t, s, r.Fields))
		if again == nil || !reflect.DeepEqual(again.Fields, r.Fields) || !reflect.DeepEqual(again.BCL, r.BCL) {
			t.Fatalf("%q: written back, parses to %+v (%v), want %+v", s, again, err, r)
		}
	})
}

func deref(p *int) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(*p)
}

// FuzzParseMailboxDelivery checks that ParseMailboxDelivery never panics,
// keeps every segment as a field (written back, the fields parse the
// same), and takes dest and OFR from the first such field with a value.
func FuzzParseMailboxDelivery(f *testing.F) {
	for _, s := range []string{"ucf:0;jmr:0;auth:0;dest:I;", "dest:;DEST:J;ofr:SpamFilterAuthJ;", "dest", "ENG:(910001)(944506478);dest:C;OFR:CustomRules;"} {
		f.Add(s)
	}
	for _, v := range testshared.FieldValues(f, "X-Microsoft-Antispam-Mailbox-Delivery") {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseMailboxDelivery(s)
		if checkEmpty(t, s, r == nil, err) {
			return
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("%q: error %v is not ErrMalformed", s, err)
		}
		first := func(key string) string {
			for _, fl := range r.Fields {
				if strings.EqualFold(fl.Key, key) && fl.Value != "" {
					return fl.Value
				}
			}
			return ""
		}
		if r.Destination != first("dest") || r.OverrideReason != first("ofr") {
			t.Fatalf("%q: dest %q, OFR %q; want %q, %q", s, r.Destination, r.OverrideReason, first("dest"), first("ofr"))
		}
		again, err := ParseMailboxDelivery(checkPairFields(t, s, r.Fields))
		if again == nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("%q: written back, parses to %+v (%v), want %+v", s, again, err, r)
		}
	})
}

// FuzzParseLevel checks ParseSCL and ParsePCL: they never panic, read
// the trimmed decimal number, explain exactly the documented ranges
// (SCL -1 to 9, PCL 1 to 8), and read their own value written back the
// same way.
func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{"-1", "5", " 9\r\n", "10", "+3", "x", "", "99999999999999999999", "08"} {
		f.Add(s)
	}
	for _, name := range []string{"X-MS-Exchange-Organization-SCL", "X-MS-Exchange-Organization-PCL"} {
		for _, v := range testshared.FieldValues(f, name) {
			f.Add(v)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tc := range []struct {
			name     string
			parse    func(string) (*Level, error)
			min, max int
		}{{"SCL", ParseSCL, -1, 9}, {"PCL", ParsePCL, 1, 8}} {
			l, err := tc.parse(s)
			v := strings.TrimSpace(s)
			n, nerr := strconv.Atoi(v)
			switch {
			case v == "":
				if l != nil || !errors.Is(err, ErrEmpty) {
					t.Fatalf("%s(%q) = %+v, %v; want ErrEmpty", tc.name, s, l, err)
				}
				continue
			case nerr != nil:
				if l != nil || !errors.Is(err, ErrMalformed) {
					t.Fatalf("%s(%q) = %+v, %v; want ErrMalformed", tc.name, s, l, err)
				}
				continue
			}
			if err != nil || l == nil || l.Value != n || l.Meaning == "" {
				t.Fatalf("%s(%q) = %+v, %v; want value %d", tc.name, s, l, err, n)
			}
			if documented := n >= tc.min && n <= tc.max; documented != (l.Confidence == ConfidenceDocumented) {
				t.Fatalf("%s(%q): confidence %q", tc.name, s, l.Confidence)
			}
			if again, err := tc.parse(strconv.Itoa(l.Value)); err != nil || !reflect.DeepEqual(again, l) {
				t.Fatalf("%s(%q) = %+v, but %d reads as %+v, %v", tc.name, s, l, l.Value, again, err)
			}
		}
	})
}

// FuzzParseMechanism checks that ParseMechanism never panics, reads
// two-digit hexadecimal codes into 0–255 (or -1), always explains the
// value, marks exactly 06, 07, 0a and 0b as SMTP AUTH, and decodes its
// own value written back the same way.
func FuzzParseMechanism(f *testing.F) {
	for _, s := range []string{"06", "04", " 10 ", "0A", "ff", "100", "-1", "", "zz", "0x06"} {
		f.Add(s)
	}
	for _, v := range testshared.FieldValues(f, "X-MS-Exchange-Organization-AuthMechanism") {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := ParseMechanism(s)
		if m.Code != strings.TrimSpace(s) || m.Meaning == "" || m.Confidence == "" {
			t.Fatalf("ParseMechanism(%q) = %+v", s, m)
		}
		if m.Value < -1 || m.Value > 255 {
			t.Fatalf("ParseMechanism(%q): value %d", s, m.Value)
		}
		switch m.Value {
		case 6, 7, 10, 11:
			if !m.SMTPAuth {
				t.Fatalf("ParseMechanism(%q): %d not SMTP AUTH", s, m.Value)
			}
		default:
			if m.SMTPAuth {
				t.Fatalf("ParseMechanism(%q): %d is SMTP AUTH", s, m.Value)
			}
		}
		if m.Value < 0 {
			if m.Name != "" || m.Confidence != ConfidenceUnknown {
				t.Fatalf("ParseMechanism(%q): unreadable but %+v", s, m)
			}
			return
		}
		code := fmt.Sprintf("%02x", m.Value)
		again := ParseMechanism(code)
		again.Code = m.Code
		if !strings.EqualFold(strings.TrimLeft(code, "0"), strings.TrimLeft(m.Code, "0")) {
			t.Fatalf("ParseMechanism(%q): value %d is not the code", s, m.Value)
		}
		if m.Name == "" {
			// The meaning of an unknown value quotes the code as written.
			again.Meaning = m.Meaning
		}
		if again != m {
			t.Fatalf("ParseMechanism(%q) = %+v, but %s gives %+v", s, m, code, again)
		}
	})
}

// compauthToken reports whether s can be written as an RFC 2045 token.
func compauthToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?=`, c) >= 0 {
			return false
		}
	}
	return true
}

// FuzzParseCompauth checks that ParseCompauth never panics, that ok
// tells whether a result was found, that the result is lower case, and
// that a result and reason written back as "compauth=R reason=C" read
// the same.
func FuzzParseCompauth(f *testing.F) {
	for _, s := range []string{
		"spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org;dmarc=pass action=none header.from=example.org;compauth=pass reason=100",
		"spf=fail (sender IP is 203.0.113.66) smtp.mailfrom=bank.example; dkim=none (message not signed) header.d=none;dmarc=fail action=oreject header.from=bank.example;compauth=fail reason=000",
		"compauth=softpass reason=202",
		"mx.example.net; compauth=none reason=\"4 05\"",
		"compauth=",
		"",
	} {
		f.Add(s)
	}
	for _, v := range testshared.FieldValues(f, "Authentication-Results") {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		result, reason, ok := ParseCompauth(s)
		if ok != (result != "") {
			t.Fatalf("ParseCompauth(%q) = %q, %q, %v", s, result, reason, ok)
		}
		if !ok {
			if reason != "" {
				t.Fatalf("ParseCompauth(%q): reason %q without a result", s, reason)
			}
			return
		}
		if strings.ContainsFunc(result, func(r rune) bool { return r >= 'A' && r <= 'Z' }) {
			t.Fatalf("ParseCompauth(%q): result %q is not lower case", s, result)
		}
		if !compauthToken(result) || (reason != "" && !compauthToken(reason)) {
			return
		}
		text := "compauth=" + result
		if reason != "" {
			text += " reason=" + reason
		}
		r2, c2, ok2 := ParseCompauth(text)
		if !ok2 || r2 != result || c2 != reason {
			t.Fatalf("ParseCompauth(%q) = %q, %q; written back as %q, reads %q, %q, %v", s, result, reason, text, r2, c2, ok2)
		}
	})
}
