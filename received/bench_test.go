package received

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// benchChains returns the Received field values of each message in the
// module's testdata folder that has any, top to bottom.
func benchChains(b *testing.B) [][]string {
	b.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "*.eml"))
	if err != nil {
		b.Fatal(err)
	}
	var chains [][]string
	for _, p := range paths {
		msg, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if vals := receivedValues(msg); len(vals) > 0 {
			chains = append(chains, vals)
		}
	}
	if len(chains) == 0 {
		b.Skip("no messages with Received fields in ../testdata")
	}
	return chains
}

// BenchmarkParseChain reads the Received chain of one testdata message
// per iteration, cycling through the messages.
func BenchmarkParseChain(b *testing.B) {
	chains := benchChains(b)
	now := time.Date(2026, 3, 12, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ParseChain(chains[i%len(chains)], now)
	}
}

// BenchmarkParseDate reads the date of one testdata Received field per
// iteration, cycling through the fields.
func BenchmarkParseDate(b *testing.B) {
	var dates []string
	for _, vals := range benchChains(b) {
		for _, v := range vals {
			if h, _ := Parse(v); h != nil && h.DateText != "" {
				dates = append(dates, h.DateText)
			}
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseDate(dates[i%len(dates)]); err != nil {
			b.Fatal(err)
		}
	}
}
