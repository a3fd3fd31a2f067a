package message

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReadShapes(t *testing.T) {
	const want = "alice@example.com"
	tests := []struct {
		name, in string
	}{
		{"crlf message", "Return-Path: <bounce@mail.example.com>\r\nFrom: Alice <alice@example.com>\r\nSubject: hi\r\n\r\nbody\r\n"},
		{"lf headers only", "Return-Path: <bounce@mail.example.com>\nFrom: Alice <alice@example.com>\nSubject: hi\n"},
		{"leading blank lines and bom", "\xef\xbb\xbf\n\n\r\nReturn-Path: <bounce@mail.example.com>\nFrom: alice@example.com\n"},
		{"indented paste", "    Return-Path: <bounce@mail.example.com>\n    From: Alice\n      <alice@example.com>\n    Subject: x\n\n  body stays\n"},
		{"Outlook banner", "Microsoft Mail Internet Headers Version 2.0\r\nReturn-Path: <bounce@mail.example.com>\r\nFrom: alice@example.com\r\n"},
		{"mbox separator", "From bounce@mail.example.com Mon Jan  1 00:00:00 2024\nReturn-Path: <bounce@mail.example.com>\nFrom: alice@example.com\n\n"},
		{"folded from", "Return-Path: <bounce@mail.example.com>\r\nFrom: \"Alice\r\n Example\" <alice@example.com>\r\n\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read(strings.NewReader(tc.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.From) != 1 || m.From[0].Address != want || m.From[0].Domain != "example.com" {
				t.Fatalf("From = %+v", m.From)
			}
			if m.ReturnPath == nil || m.ReturnPath.Domain != "mail.example.com" {
				t.Fatalf("ReturnPath = %+v", m.ReturnPath)
			}
		})
	}
}

func TestReadDedentKeepsBody(t *testing.T) {
	m, err := Read(strings.NewReader("  From: a@example.com\n  To: b@example.net\n\n  indented body\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Body) != "  indented body\n" {
		t.Errorf("body = %q", m.Body)
	}
	if len(m.Fields) != 2 {
		t.Errorf("fields = %d", len(m.Fields))
	}
}

func TestFromVariants(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		fields      int
		addrs       []string
		firstName   string
		wantErr     bool
		firstDomain string
	}{
		{name: "rfc2047 name", in: "From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.de>\n", fields: 1, addrs: []string{"j@example.de"}, firstName: "Jürgen", firstDomain: "example.de"},
		{name: "latin1 q", in: "From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.fr>\n", fields: 1, addrs: []string{"andre@example.fr"}, firstName: "André", firstDomain: "example.fr"},
		{name: "two addresses", in: "From: a@one.example, b@two.example\n", fields: 1, addrs: []string{"a@one.example", "b@two.example"}, firstDomain: "one.example"},
		{name: "two fields", in: "From: a@one.example\nFrom: b@two.example\n", fields: 2, addrs: []string{"a@one.example", "b@two.example"}, firstDomain: "one.example"},
		{name: "idn domain", in: "From: x@Bücher.DE\n", fields: 1, addrs: []string{"x@Bücher.DE"}, firstDomain: "xn--bcher-kva.de"},
		{name: "broken but recoverable", in: "From: Some Body [Sales] <sales@shop.example>\n", fields: 1, addrs: []string{"sales@shop.example"}, firstDomain: "shop.example"},
		{name: "no address", in: "From: undisclosed\n", fields: 1, wantErr: true},
		{name: "no from", in: "Subject: x\n", fields: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read(strings.NewReader(tc.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.FromFields != tc.fields {
				t.Errorf("FromFields = %d, want %d", m.FromFields, tc.fields)
			}
			if (m.FromErr != nil) != tc.wantErr {
				t.Errorf("FromErr = %v", m.FromErr)
			}
			var got []string
			for _, a := range m.From {
				got = append(got, a.Address)
			}
			if strings.Join(got, ",") != strings.Join(tc.addrs, ",") {
				t.Errorf("addresses = %q, want %q", got, tc.addrs)
			}
			if len(m.From) > 0 {
				if m.From[0].Domain != tc.firstDomain {
					t.Errorf("domain = %q, want %q", m.From[0].Domain, tc.firstDomain)
				}
				if tc.firstName != "" && m.From[0].Name != tc.firstName {
					t.Errorf("name = %q, want %q", m.From[0].Name, tc.firstName)
				}
			}
		})
	}
}

func TestReturnPathNull(t *testing.T) {
	m, err := Read(strings.NewReader("Return-Path: <>\nFrom: a@example.com\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.ReturnPath == nil || m.ReturnPath.Address != "" {
		t.Fatalf("ReturnPath = %+v", m.ReturnPath)
	}
}

func TestReadBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"blank lines only", "\n\n\r\n"},
		{"binary", "\x00\x01\x02\x03\xff\xfe binary junk"},
		{"prose", "Hello there, this is not an email.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), Options{})
			if !errors.Is(err, ErrNotMessage) {
				t.Fatalf("err = %v, want ErrNotMessage", err)
			}
		})
	}
}

func TestDomainOf(t *testing.T) {
	for in, want := range map[string]string{
		"user@Example.COM": "example.com", "example.com": "example.com", "<u@x.example>": "x.example", "<>": "", "": "",
	} {
		if got := DomainOf(in); got != want {
			t.Errorf("DomainOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("From: a@example.com\r\nReturn-Path: <>\r\n\r\nbody")
	f.Add("  From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.de>\n  To: x\n\n")
	f.Add("From x\nFrom: a, b@c, <d@e>\n")
	f.Add(" \t\r\n\nFrom: a@b.example\nno colon\nX\x00: \r1\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		m, err := Read(strings.NewReader(in), Options{MaxBodyBytes: 1024})
		p, perr := Parse([]byte(in), Options{MaxBodyBytes: 1024})
		if (err == nil) != (perr == nil) {
			t.Fatalf("Read error %v, Parse error %v", err, perr)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(m.Bytes(), p.Bytes()) || !bytes.Equal(m.Body, p.Body) || len(m.Fields) != len(p.Fields) {
			t.Fatalf("Parse differs from Read: %q vs %q", p.Bytes(), m.Bytes())
		}
		if !slices.Equal(m.Damage, p.Damage) {
			t.Fatalf("damage: Read %v, Parse %v", m.Damage, p.Damage)
		}
		if len(m.Fields) == 0 {
			t.Fatal("message without fields")
		}
		if len(m.Body) > 1024 {
			t.Fatalf("body %d bytes over the limit", len(m.Body))
		}
		for _, a := range m.From {
			if a.Domain != "" && strings.ToLower(a.Domain) != a.Domain {
				t.Fatalf("domain not normalized: %q", a.Domain)
			}
		}
	})
}

// TestBlockSize checks that the size hint Parse gives the header reader
// covers the block it reads (so the block is never grown), with little
// slack, for CRLF, LF and mixed line ends.
func TestBlockSize(t *testing.T) {
	for _, in := range []string{
		"From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n",
		"From: a@example.com\nSubject: x\n\nbody\n",
		"From: a@example.com\r\nSubject: x\n  folded\r\n\nbody",
		"From: a@example.com\nSubject: no body",
		"From: a@example.com\nSubject: no body\n",
		"Subject: x\r\n\r\n",
	} {
		m, err := Parse([]byte(in), Options{})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		block := 0
		for _, f := range m.Fields {
			block += len(f.Raw)
		}
		hint := blockSize([]byte(in))
		if hint < block || hint > block+len(m.Fields)+4 {
			t.Errorf("%q: hint %d for a block of %d bytes", in, hint, block)
		}
	}
}
