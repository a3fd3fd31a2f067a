package authlens

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzAnalyze feeds arbitrary input to Analyze: it must never panic, and
// whatever it returns must be a consistent report.
func FuzzAnalyze(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("Authentication-Results: x; spf=pass (unterminated\r\nFrom: a@b.example\r\n\r\n")
	f.Add("  From: a@b.example\n  Authentication-Results: spf=fail smtp.mailfrom=b.example;compauth=fail reason=000\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := Analyze(context.Background(), strings.NewReader(in), Options{Source: "fuzz", MaxBodyBytes: 4096})
		if r == nil {
			t.Fatal("nil report")
		}
		if (err != nil) != (r.Error != "") {
			t.Fatalf("err %v but report error %q", err, r.Error)
		}
		rb, _ := AnalyzeBytes(context.Background(), []byte(in), Options{Source: "fuzz", MaxBodyBytes: 4096})
		if a, b := mustJSON(t, r), mustJSON(t, rb); a != b {
			t.Fatalf("AnalyzeBytes reports\n%s\nAnalyze\n%s", b, a)
		}
		if err != nil {
			return
		}
		if r.Verdict == nil || r.Verdict.Summary == "" {
			t.Fatalf("no verdict: %+v", r)
		}
		if len(r.AuthResults) > 0 {
			trusted := 0
			for _, f := range r.AuthResults {
				if f.Trusted {
					trusted++
				}
			}
			if trusted == 0 && r.Verdict.Basis != "" {
				t.Fatalf("basis %q without a trusted field", r.Verdict.Basis)
			}
		}
	})
}

func mustJSON(t *testing.T, r *Report) string {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
