package dnstest

import (
	"context"
	"testing"
)

func FuzzParseOracleZone(f *testing.F) {
	for _, seed := range []string{
		`{"a.example": "v=spf1 -all"}`,
		`a.example: [x, [y, z]]`,
		`a.example: {TXT: TIMEOUT, "*": TIMEOUT, MX: [[1, b]], A: 192.0.2.1}`,
		`a.example: {CNAME: a.example}`,
		`b: TIMEOUT`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := ParseOracleZone(data)
		if err != nil {
			return
		}
		r := z.Resolver()
		for _, name := range z.Names() {
			_, _ = r.LookupTXT(context.Background(), name)
			_, _ = r.LookupIPAddr(context.Background(), name)
		}
	})
}
