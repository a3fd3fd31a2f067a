package dnsclient_test

import (
	"context"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

// TestSpecialCharacterNames: names an SPF macro can produce (RFC 7208,
// section 7.1: %_ is a space) go out and come back intact.
func TestSpecialCharacterNames(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("a b%c.example", "space and percent").
		AddTXT("semi;colon.example", "semicolon").
		AddTXT("quote\"d.example", "quote")
	c := newClient(t, dnstest.StartServer(t, z), nil)
	for name, want := range map[string]string{
		"a b%c.example":      "space and percent",
		"semi;colon.example": "semicolon",
		"quote\"d.example":   "quote",
	} {
		got, err := c.LookupTXT(context.Background(), name)
		if err != nil || len(got) != 1 || got[0] != want {
			t.Errorf("LookupTXT(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}
