package message

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/header"
)

// TestDamagedHeader: damaged header blocks are read, through Read and
// Parse alike, with the damage counted in lines of the input.
func TestDamagedHeader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []header.Damage
	}{
		{"no colon", "From: Alice <alice@example.com>\r\nSubject: a subject that\r\nwas folded\r\n\r\nbody\r\n",
			[]header.Damage{{Line: 3, Kind: header.DamageNoColon, Field: "Subject"}}},
		{"white-space first line", "  \t\r\nFrom: Alice <alice@example.com>\r\n\r\nbody\r\n",
			[]header.Damage{{Line: 1, Kind: header.DamageBlankFirst}}},
		{"white-space lines before an indented paste", "\n   \n    From: Alice <alice@example.com>\n    Subject: x\n",
			[]header.Damage{{Line: 2, Kind: header.DamageBlankFirst}}},
		{"after an mbox separator", "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: alice@example.com\nX-Note: one\ntwo\n\n",
			[]header.Damage{{Line: 4, Kind: header.DamageNoColon, Field: "X-Note"}}},
		{"bare CR", "From: alice@example.com\r\nSubject: a\rb\r\n\r\n",
			[]header.Damage{{Line: 2, Kind: header.DamageBareCR, Field: "Subject"}}},
		{"NUL", "From: alice@example.com\nSubject: a\x00b\n\n",
			[]header.Damage{{Line: 2, Kind: header.DamageNUL, Field: "Subject"}}},
		{"8-bit name", "From: alice@example.com\nÄrger: ja\n\n",
			[]header.Damage{{Line: 2, Kind: header.DamageEightBitName, Field: "Ärger"}}},
		{"CR line ends", "Received: from a by b; Mon, 6 Jan 2025 10:00:00 +0000\rFrom: alice@example.com\rSubject: x\r\rbody\r",
			[]header.Damage{{Line: 1, Kind: header.DamageCRLineEnds}}},
	}
	for _, tc := range tests {
		for _, how := range []string{"Read", "Parse"} {
			t.Run(tc.name+"/"+how, func(t *testing.T) {
				var m *Message
				var err error
				if how == "Read" {
					m, err = Read(strings.NewReader(tc.in), Options{})
				} else {
					m, err = Parse([]byte(tc.in), Options{})
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(m.From) != 1 || m.From[0].Domain != "example.com" {
					t.Errorf("From = %+v", m.From)
				}
				if !slices.Equal(m.Damage, tc.want) {
					t.Errorf("Damage = %v, want %v", m.Damage, tc.want)
				}
			})
		}
	}
}

// TestNotAMessage: where the lenient reading stops, the error names the
// line and the reason.
func TestNotAMessage(t *testing.T) {
	tests := []struct {
		name, in, want string
		notMessage     bool
	}{
		{"prose", "Dear Alice,\nplease find attached\n", "line 1: no colon", true},
		{"binary after a field", "From: a@example.com\n\x00\x01\x02\x03 junk\n\n", "line 2: binary data", false},
		{"only white space", "   \n\t\n", "no header fields", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrNotMessage) != tc.notMessage {
				t.Errorf("err = %v, want %q (not a message: %v)", err, tc.want, tc.notMessage)
			}
		})
	}
}

// A field name alone on its line with its colon folded onto the next is
// read as a field of that name: a second From hidden this way is what a
// phishing message wants a mail client to show.
func TestFoldedFieldName(t *testing.T) {
	in := "Received: from x by mx.example.com; Mon, 6 Jan 2025 10:00:00 +0000\nFrom\n : <any@attack.example>\nFrom: <admin@example.com>\n\nbody\n"
	for _, how := range []string{"Read", "Parse"} {
		var m *Message
		var err error
		if how == "Read" {
			m, err = Read(strings.NewReader(in), Options{})
		} else {
			m, err = Parse([]byte(in), Options{})
		}
		if err != nil {
			t.Fatal(err)
		}
		if m.FromFields != 2 || len(m.From) != 2 || m.From[0].Domain != "attack.example" {
			t.Errorf("%s: %d From fields %+v, want the folded one read first", how, m.FromFields, m.From)
		}
		want := []header.Damage{{Line: 2, Kind: header.DamageFoldedName, Field: "From"}}
		if !slices.Equal(m.Damage, want) {
			t.Errorf("%s: Damage = %v, want %v", how, m.Damage, want)
		}
	}
}
