package lookalike

import (
	"slices"
	"strings"
	"testing"
)

func TestDomains(t *testing.T) {
	for in, want := range map[string][]string{
		"PayPal <service@paypal.com>":      {"paypal.com"},
		"PayPal.com Support":               {"paypal.com"},
		"paypal.com-security":              {"paypal.com"},
		"Jane Doe":                         nil,
		"Dr. J. Smith":                     nil,
		"Report v1.2 (final)":              nil,
		"billing@Microsoft.COM via Acme":   {"microsoft.com"},
		"a.b@c.example.org, x.example.org": {"c.example.org", "x.example.org"},
	} {
		if got := Domains(in); !slices.Equal(got, want) {
			t.Errorf("Domains(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHomograph(t *testing.T) {
	for in, want := range map[string]string{
		"pаypal.com":         "pаypal", // Cyrillic а
		"аррӏе.com":          "аррӏе",  // wholly Cyrillic look-alikes
		"paypal.com":         "",
		"bücher.example":     "", // Latin with a diacritic is one script
		"пример.рф":          "", // ordinary Cyrillic words are not look-alikes
		"Ελληνικά":           "",
		"Ivan Petrov (Иван)": "",
	} {
		if got := Homograph(in); got != want {
			t.Errorf("Homograph(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzHomograph(f *testing.F) {
	for _, s := range []string{"pаypal.com", "аррӏе", "PayPal <service@paypal.com>", "", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Property: a reported word is part of the input, and every domain
		// found is lower case and under a public suffix.
		if w := Homograph(s); w != "" && !strings.Contains(s, w) {
			t.Fatalf("Homograph(%q) = %q, not in the input", s, w)
		}
		for _, d := range Domains(s) {
			if d == "" || d != strings.ToLower(d) {
				t.Fatalf("Domains(%q) gave %q", s, d)
			}
		}
	})
}

// Newer generic top-level domains are ordinary words in names.
func TestDomainsIgnoreWordTLDs(t *testing.T) {
	for _, s := range []string{"firstname.name", "john.art", "Team.Support"} {
		if got := Domains(s); got != nil {
			t.Errorf("Domains(%q) = %q, want none", s, got)
		}
	}
}
