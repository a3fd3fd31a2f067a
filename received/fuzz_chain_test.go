package received

import (
	"testing"
	"time"
)

// TestParseChainTotalSameSecond: hops dated in the same second give a
// known total delay of zero, not an unknown one.
func TestParseChainTotalSameSecond(t *testing.T) {
	c := ParseChain([]string{
		"from b by mx.example.net; Mon, 2 Feb 2026 08:00:03 +0000",
		"from c by relay.example.net; Mon, 2 Feb 2026 08:00:04 +0000",
		"from a by out.example.org; Mon, 2 Feb 2026 08:00:03 +0000",
	}, time.Time{})
	if !c.TotalKnown || c.TotalDelay != 0 {
		t.Errorf("total delay %v, known %v; want 0, known", c.TotalDelay, c.TotalKnown)
	}
	c = ParseChain([]string{"by mx.example.net; Mon, 2 Feb 2026 08:00:03 +0000"}, time.Time{})
	if c.TotalKnown {
		t.Errorf("one dated hop: total delay known")
	}
}
