package header

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

func readLenient(t *testing.T, s string) ([]Field, []Damage, string, error) {
	t.Helper()
	r := bufio.NewReaderSize(strings.NewReader(s), 4096)
	f, d, err := ReadLenient(r, Limits{})
	rest, _ := io.ReadAll(r)
	return f, d, string(rest), err
}

// TestReadLenient: one test per kind of damage. Each message is refused
// by Read and read by ReadLenient, with the damage named by line and the
// field's bytes kept exactly.
func TestReadLenient(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		fields []string // Name of each field
		raw    string   // Raw of the damaged field
		value  string   // its Value
		damage []Damage
	}{
		{
			name:   "no colon: a fold that lost its white space",
			in:     "From: a@example.com\r\nSubject: a long\r\nsubject line\r\nTo: b@example.net\r\n\r\nbody\r\n",
			fields: []string{"From", "Subject", "To"},
			raw:    "Subject: a long\r\nsubject line\r\n",
			value:  "a long subject line",
			damage: []Damage{{Line: 3, Kind: DamageNoColon, Field: "Subject"}},
		},
		{
			name:   "white-space first line",
			in:     "   \r\nFrom: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n",
			fields: []string{"From", "Subject"},
			raw:    "From: a@example.com\r\n",
			value:  "a@example.com",
			damage: []Damage{{Line: 1, Kind: DamageBlankFirst}},
		},
		{
			name:   "bare CR",
			in:     "From: a@example.com\r\nSubject: one\rtwo\r\n\r\nbody\r\n",
			fields: []string{"From", "Subject"},
			raw:    "Subject: one\rtwo\r\n",
			value:  "one\rtwo",
			damage: []Damage{{Line: 2, Kind: DamageBareCR, Field: "Subject"}},
		},
		{
			name:   "NUL",
			in:     "From: a@example.com\nSubject: one\x00two\n\nbody\n",
			fields: []string{"From", "Subject"},
			raw:    "Subject: one\x00two\r\n",
			value:  "one\x00two",
			damage: []Damage{{Line: 2, Kind: DamageNUL, Field: "Subject"}},
		},
		{
			name:   "8-bit field name",
			in:     "From: a@example.com\r\nBetreff-Übersicht: x\r\nTo: b@example.net\r\n\r\n",
			fields: []string{"From", "Betreff-Übersicht", "To"},
			raw:    "Betreff-Übersicht: x\r\n",
			value:  "x",
			damage: []Damage{{Line: 2, Kind: DamageEightBitName, Field: "Betreff-Übersicht"}},
		},
		{
			name:   "control character in a field name",
			in:     "From: a@example.com\r\nX-\x01Bad: x\r\n\r\n",
			fields: []string{"From"},
			raw:    "From: a@example.com\r\nX-\x01Bad: x\r\n",
			value:  "a@example.com X-\x01Bad: x",
			damage: []Damage{{Line: 2, Kind: DamageFieldName, Field: "From"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := read(t, tc.in, Limits{}); err == nil && tc.name != "bare CR" && tc.name != "NUL" {
				t.Errorf("Read accepted the damaged block")
			}
			fields, dmg, body, err := readLenient(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			var damaged Field
			for _, f := range fields {
				names = append(names, f.Name)
				if strings.HasPrefix(tc.raw, f.Name+":") {
					damaged = f
				}
			}
			if !slices.Equal(names, tc.fields) {
				t.Errorf("fields %q, want %q", names, tc.fields)
			}
			if string(damaged.Raw) != tc.raw || damaged.Value() != tc.value {
				t.Errorf("field Raw %q Value %q, want %q %q", damaged.Raw, damaged.Value(), tc.raw, tc.value)
			}
			if !slices.Equal(dmg, tc.damage) {
				t.Errorf("damage %+v, want %+v", dmg, tc.damage)
			}
			if want := tc.in[strings.Index(tc.in, "\n\n")+2:]; strings.Contains(tc.in, "\r\n\r\n") {
				if want = tc.in[strings.Index(tc.in, "\r\n\r\n")+4:]; body != want {
					t.Errorf("body %q, want %q", body, want)
				}
			} else if body != want {
				t.Errorf("body %q, want %q", body, want)
			}
		})
	}
}

// TestReadLenientStops: where the lenient reading stops. A block that
// does not start with a field is not a header block; binary data and a
// pile of damaged lines end the reading with an error naming the line.
func TestReadLenientStops(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
		line int
		msg  string
	}{
		{"text first", "Hello there,\r\nFrom: a\r\n", ErrSyntax, 1, "no colon"},
		{"indented text first", "  hello\r\nFrom: a\r\n", ErrSyntax, 1, "continuation line"},
		{"binary after a field", "From: a\r\n\x00\x01\x02:\xff\r\n", ErrSyntax, 2, "binary data"},
		{"binary junk", "From: a\r\n\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c junk\r\n", ErrSyntax, 2, "binary data"},
		{"only white space", "  \r\n\t\r\n", ErrEmpty, 0, ""},
		{"too many damaged lines", "From: a\r\n" + strings.Repeat("prose without a colon\r\n", 40), ErrSyntax, 2 + maxDamage, "damaged lines"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := readLenient(t, tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var he *Error
			if tc.line > 0 && (!errors.As(err, &he) || he.Line != tc.line || !strings.Contains(he.Msg, tc.msg)) {
				t.Errorf("err = %v, want line %d and %q", err, tc.line, tc.msg)
			}
		})
	}
}

func TestDamageString(t *testing.T) {
	for _, tc := range []struct {
		d    Damage
		want string
	}{
		{Damage{Line: 57, Kind: DamageNoColon, Field: "Subject"}, `line 57: no colon; read as part of the "Subject" field`},
		{Damage{Line: 1, Kind: DamageBlankFirst}, "line 1: white-space line before the first field; skipped"},
		{Damage{Line: 3, Kind: DamageNUL, Field: "X-\x1b"}, `line 3: NUL byte in the "X-\x1b" field; kept`},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// FuzzReadLenient: the lenient reading accepts everything the strict one
// does, with the same fields and no damage but bare CRs and NULs (which
// Read lets through); whatever it reads keeps every
// byte of the block except skipped lines, each field ending in CRLF.
func FuzzReadLenient(f *testing.F) {
	f.Add("From: a@example.com\r\nSubject: x\r\n y\r\n\r\nbody")
	f.Add("  \r\nFrom: a\r\nno colon\r\nX\x00: \r\r\n\r\n")
	f.Add("Ä: b\nc\n")
	f.Fuzz(func(t *testing.T, s string) {
		lim := Limits{MaxFields: 50, MaxFieldBytes: 512, MaxBlockBytes: 4096}
		strict, serr := Read(bufio.NewReader(strings.NewReader(s)), lim)
		fields, dmg, err := ReadLenient(bufio.NewReader(strings.NewReader(s)), lim)
		if serr == nil {
			if err != nil || len(fields) != len(strict) {
				t.Fatalf("strict read %d fields; lenient %d fields, damage %v, err %v", len(strict), len(fields), dmg, err)
			}
			for _, d := range dmg {
				if d.Kind != DamageBareCR && d.Kind != DamageNUL {
					t.Fatalf("strict read accepted it, lenient read found %v", d)
				}
			}
			for i := range fields {
				if string(fields[i].Raw) != string(strict[i].Raw) {
					t.Fatalf("field %d: %q, strict %q", i, fields[i].Raw, strict[i].Raw)
				}
			}
		}
		if err != nil {
			return
		}
		if len(dmg) > maxDamage {
			t.Fatalf("%d damaged lines forgiven", len(dmg))
		}
		skipped := 0
		for _, d := range dmg {
			if d.Kind == DamageBlankFirst {
				skipped++
			}
		}
		lines := 0
		for _, fl := range fields {
			if !strings.HasSuffix(string(fl.Raw), "\r\n") || !strings.HasPrefix(string(fl.Raw), fl.Name) {
				t.Fatalf("bad field %q", fl.Raw)
			}
			lines += strings.Count(string(fl.Raw), "\r\n")
			if got, want := fl.Value(), unfoldReference(fl.RawValue()); got != want {
				t.Fatalf("Value of %q = %q, want %q", fl.Raw, got, want)
			}
		}
		if last := fields[len(fields)-1]; last.Line+strings.Count(string(last.Raw), "\r\n")-1 != lines+skipped {
			t.Fatalf("%d lines in fields and %d skipped, but the last field ends at line %d", lines, skipped, last.Line+strings.Count(string(last.Raw), "\r\n")-1)
		}
	})
}
