package align

import (
	"errors"
	"strings"
	"testing"
)

func TestOrgDomain(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"example.com", "example.com"},
		{"mail.example.com", "example.com"},
		{"A.B.Example.COM.", "example.com"},
		{"example.co.uk", "example.co.uk"},
		{"mail.example.co.uk", "example.co.uk"},
		{"co.uk", "co.uk"},
		{"com", "com"},
		// The private section is ignored: blogspot.com is not a registry here.
		{"foo.blogspot.com", "blogspot.com"},
		// No listed suffix: the default rule "*" (RFC 7489, section 3.2).
		{"sub.reject.example", "reject.example"},
		{"reject.example", "reject.example"},
		// IDNA: U-labels become A-labels.
		{"mail.bücher.de", "xn--bcher-kva.de"},
		{"_dmarc.example.org", "example.org"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := OrgDomain(tc.in)
			if err != nil {
				t.Fatalf("OrgDomain(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("OrgDomain(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	for _, in := range []string{"", ".", "a..b", strings.Repeat("a", 64) + ".com", strings.Repeat("abcdefghi.", 26) + "com"} {
		if _, err := Normalize(in); !errors.Is(err, ErrInvalidDomain) {
			t.Errorf("Normalize(%q) error = %v, want ErrInvalidDomain", in, err)
		}
	}
}

func TestAligned(t *testing.T) {
	tests := []struct {
		a, b string
		mode Mode
		want bool
	}{
		{"example.com", "example.com", ModeStrict, true},
		{"Example.COM.", "example.com", ModeStrict, true},
		{"mail.example.com", "example.com", ModeRelaxed, true},
		{"mail.example.com", "example.com", ModeStrict, false},
		{"example.com", "example.net", ModeRelaxed, false},
		{"a.example.co.uk", "b.example.co.uk", ModeRelaxed, true},
		{"example.co.uk", "other.co.uk", ModeRelaxed, false},
		{"bücher.de", "mail.xn--bcher-kva.de", ModeRelaxed, true},
		{"", "example.com", ModeRelaxed, false},
		{"a.blogspot.com", "b.blogspot.com", ModeRelaxed, true},
		{"mail.example.com", "example.com", "", true},
	}
	for _, tc := range tests {
		if got := Aligned(tc.a, tc.b, tc.mode); got != tc.want {
			t.Errorf("Aligned(%q, %q, %q) = %v, want %v", tc.a, tc.b, tc.mode, got, tc.want)
		}
	}
}

// FuzzPlainHostname checks the fast path of Normalize against IDNA
// processing: a name plainHostname accepts normalizes, through the IDNA
// profile, to its lower-case form.
func FuzzPlainHostname(f *testing.F) {
	for _, s := range []string{"example.com", "Mail.Example.COM", "a-b.c_d.example", "xn--bcher-kva.example", "-a.example", "ab--c.example", "a..b", "1.2.3.4", strings.Repeat("a", 64) + ".example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, d string) {
		if !plainHostname(d) {
			return
		}
		ascii, err := profile.ToASCII(d)
		if err != nil {
			t.Fatalf("plainHostname(%q) but IDNA says %v", d, err)
		}
		if strings.ToLower(ascii) != strings.ToLower(d) {
			t.Fatalf("plainHostname(%q) but IDNA gives %q", d, ascii)
		}
	})
}

// A name holding what no domain holds is not a domain: it must not be
// shown, aligned or turned into an A-label as if it were one.
func TestNormalizeRejectsInvisible(t *testing.T) {
	for _, d := range []string{"pay\x1b[0mpal.example", "ex\xffample.com", "pay\u202epal.example", "a\x00b.example", "bank\u00ad.example"} {
		if got, err := Normalize(d); !errors.Is(err, ErrInvalidDomain) {
			t.Errorf("Normalize(%q) = %q, %v; want ErrInvalidDomain", d, got, err)
		}
	}
	for d, want := range map[string]string{"bücher.example": "xn--bcher-kva.example", "Example.COM.": "example.com"} {
		if got, err := Normalize(d); err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", d, got, err, want)
		}
	}
}

func TestOrgDomainAllocations(t *testing.T) {
	// The organizational domain is a tail of the normalized name: no
	// new string is built for it.
	n := testing.AllocsPerRun(100, func() {
		if d, err := OrgDomain("mail.example.co.uk"); err != nil || d != "example.co.uk" {
			t.Fatalf("OrgDomain = %q, %v", d, err)
		}
	})
	// publicsuffix.PublicSuffix allocates an error for every name that
	// is not an IP address (netip.ParseAddr); nothing else may.
	if n > 2 {
		t.Errorf("OrgDomain allocated %v times per call", n)
	}
}
