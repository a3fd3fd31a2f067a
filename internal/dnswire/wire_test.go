package dnswire

import (
	"slices"
	"testing"

	"github.com/miekg/dns"
)

func TestNetworkTypes(t *testing.T) {
	for network, want := range map[string][]uint16{
		"ip":  {dns.TypeA, dns.TypeAAAA},
		"ip4": {dns.TypeA},
		"ip6": {dns.TypeAAAA},
		"tcp": nil,
	} {
		got, ok := NetworkTypes(network)
		if !slices.Equal(got, want) || ok != (want != nil) {
			t.Errorf("NetworkTypes(%q) = %v, %v; want %v", network, got, ok, want)
		}
	}
}

// TestUnescape reads the escapes of RFC 1035, section 5.1 as
// github.com/miekg/dns writes them: "\DDD" is a byte in decimal, "\c" the
// character c.
func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"plain.example":    "plain.example",
		`a\032b.example`:   "a b.example",
		`semi\;colon`:      "semi;colon",
		`quote\"d`:         `quote"d`,
		`\255\000`:         "\xff\x00",
		`back\\slash`:      `back\slash`,
		`trailing\`:        `trailing\`,
		`short\12`:         "short12",
		`v=spf1 -all\010x`: "v=spf1 -all\nx",
	} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
	rr := &dns.TXT{Txt: []string{"v=DKIM1; p=abc", `def\059`}}
	if got := TXTString(rr); got != "v=DKIM1; p=abcdef;" {
		t.Errorf("TXTString = %q", got)
	}
}
