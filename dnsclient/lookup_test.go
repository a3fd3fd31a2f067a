package dnsclient

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
