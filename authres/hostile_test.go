package authres

import (
	"strings"
	"testing"
	"time"
)

// TestHostileInput checks that hostile or broken values return a header or
// an error quickly, never a panic or a hang. The inputs are large enough
// (up to 1 MB) that quadratic work would blow the time bound.
func TestHostileInput(t *testing.T) {
	binary := make([]byte, 4096)
	for i := range binary {
		binary[i] = byte(i*131 + i/7)
	}
	many := "example.com" + strings.Repeat("; dkim=pass (good) header.d=example.com", 10000)
	tests := []struct {
		name    string
		value   string
		results int // -1: an error is expected
	}{
		{"empty", "", -1},
		{"binary_junk", string(binary), 0},
		{"nul_bytes", "example.com;\x00\x00; spf=pass\x00", 1},
		{"one_megabyte_word", strings.Repeat("a", 1<<20), -1},
		{"one_megabyte_comment", "example.com; spf=pass (" + strings.Repeat("x ", 1<<19) + ")", 1},
		{"one_megabyte_semicolons", "example.com" + strings.Repeat(";", 1<<20), 0},
		{"ten_thousand_results", many, 10000},
		{"unterminated_comment", "example.com; spf=pass (" + strings.Repeat("(", 5000), 1},
		{"unterminated_quote", "example.com; spf=pass smtp.mailfrom=\"" + strings.Repeat("\\\"", 5000), 1},
		{"nesting_10000", "example.com; spf=pass " + strings.Repeat("(", 10000) + strings.Repeat(")", 10000) + "; dkim=pass", 2},
		{"nesting_10000_in_id", strings.Repeat("(", 10000) + strings.Repeat(")", 10000), -1},
		{"many_stray_words", "example.com; spf=pass" + strings.Repeat(" w", 1<<18), 1},
		{"many_equals", "example.com; spf=pass x=" + strings.Repeat("=", 1<<20), 1},
		{"many_dots", "example.com; spf=pass " + strings.Repeat(".", 1<<20), 1},
		{"backslashes", "example.com; spf=pass (" + strings.Repeat("\\", 1<<20), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			h, err := Parse(tc.value)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Parse took %v", d)
			}
			switch {
			case tc.results < 0 && err == nil:
				t.Fatalf("accepted: %d results", len(h.Results))
			case tc.results < 0:
				return
			case err != nil && tc.results > 0:
				t.Fatalf("Parse: %v", err)
			case err == nil && len(h.Results) < tc.results:
				t.Fatalf("%d results, want at least %d", len(h.Results), tc.results)
			}
			if h != nil && len(h.Problems) > maxProblems {
				t.Errorf("%d problems recorded, limit %d", len(h.Problems), maxProblems)
			}
			if _, err := ParseReceivedSPF(tc.value); err != nil && tc.value != "" && tc.results > 0 {
				t.Logf("Received-SPF reading: %v", err)
			}
		})
	}
}
