package spf

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// rfcEnv is the setting of the examples in RFC 7208, section 7.4.
func rfcEnv(ip string) *macroEnv {
	return &macroEnv{
		sender:       "strong-bad@email.example.com",
		local:        "strong-bad",
		senderDomain: "email.example.com",
		domain:       "email.example.com",
		ip:           netip.MustParseAddr(ip),
		helo:         "mx.example.org",
		now:          func() time.Time { return time.Unix(1700000000, 0) },
		ptr:          func() string { return "mail.example.com" },
	}
}

func TestExpandRFCExamples(t *testing.T) {
	tests := []struct {
		ip, in, want string
	}{
		// RFC 7208, section 7.4.
		{"192.0.2.3", "%{s}", "strong-bad@email.example.com"},
		{"192.0.2.3", "%{o}", "email.example.com"},
		{"192.0.2.3", "%{d}", "email.example.com"},
		{"192.0.2.3", "%{d4}", "email.example.com"},
		{"192.0.2.3", "%{d3}", "email.example.com"},
		{"192.0.2.3", "%{d2}", "example.com"},
		{"192.0.2.3", "%{d1}", "com"},
		{"192.0.2.3", "%{dr}", "com.example.email"},
		{"192.0.2.3", "%{d2r}", "example.email"},
		{"192.0.2.3", "%{l}", "strong-bad"},
		{"192.0.2.3", "%{l-}", "strong.bad"},
		{"192.0.2.3", "%{lr}", "strong-bad"},
		{"192.0.2.3", "%{lr-}", "bad.strong"},
		{"192.0.2.3", "%{l1r-}", "strong"},
		{"192.0.2.3", "%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"},
		{"192.0.2.3", "%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"},
		{"192.0.2.3", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
		{"192.0.2.3", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"},
		{"192.0.2.3", "%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"},
		// The RFC writes the nibbles in lower case; names compare
		// case-insensitively, so the check below folds case.
		{"2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}", "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"},
		// Escapes, URL-escaping and the remaining letters.
		{"192.0.2.3", "%%%_%-", "% %20"},
		{"192.0.2.3", "%{S}", "strong-bad%40email.example.com"},
		{"192.0.2.3", "%{h}.%{p}", "mx.example.org.mail.example.com"},
		{"192.0.2.3", "%{d-.}", "email.example.com"},
		{"192.0.2.3", "%{l2r-+}", "bad.strong"},
		{"192.0.2.3", "%{d1000}", "email.example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := rfcEnv(tc.ip).expandDomain(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(got, tc.want) {
				t.Errorf("expand %q = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestExpandExplanation(t *testing.T) {
	env := rfcEnv("2001:db8::cb01")
	env.receiver = "mx.receiver.example"
	got, err := env.expandExplanation("%{c} is not one of %{d}'s designated mail servers (%{r} at %{t})")
	if err != nil {
		t.Fatal(err)
	}
	want := "2001:db8::cb01 is not one of email.example.com's designated mail servers (mx.receiver.example at 1700000000)"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := env.expandDomain("%{c}.example.com"); !errors.Is(err, ErrMacro) {
		t.Errorf("c outside an explanation: err %v, want ErrMacro", err)
	}
	env.receiver = ""
	if got, _ := env.expandExplanation("%{r}"); got != "unknown" {
		t.Errorf("r without receiver = %q, want unknown", got)
	}
}

func TestExpandBounded(t *testing.T) {
	env := rfcEnv("192.0.2.3")
	env.local = strings.Repeat("x", 60)
	env.sender = env.local + "@" + env.senderDomain
	spec := strings.Repeat("%{l}.", 2000) + "example.com"
	got, err := env.expandDomain(spec)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 7208, section 7.3: labels are dropped from the left until the
	// name fits in 253 characters.
	if len(got) > maxDomainLen || !strings.HasSuffix(got, ".example.com") || strings.HasPrefix(got, ".") {
		t.Errorf("truncated name %q (%d chars)", got, len(got))
	}
	if want := strings.Repeat(env.local+".", 3) + "example.com"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	exp, err := env.expandExplanation(strings.Repeat("%{S}", 5000))
	if err != nil {
		t.Fatal(err)
	}
	if len(exp) > maxExplanationLen {
		t.Errorf("explanation of %d bytes, limit %d", len(exp), maxExplanationLen)
	}
}
