package authlens

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/authlens/authlens/internal/testshared"
)

// TestAnalyzeBytesMatchesAnalyze checks that AnalyzeBytes reports exactly
// what Analyze does on every sample, and that its report does not alias the
// input: overwriting the bytes afterwards changes nothing.
func TestAnalyzeBytesMatchesAnalyze(t *testing.T) {
	eachSample(t, []string{"testdata/pasted-headers.txt"}, compareAnalyzeBytes)
}

// eachSample runs check as a subtest on every message in testdata, on the
// extra files named, and on the shared vendor samples when present.
func eachSample(t *testing.T, extra []string, check func(t *testing.T, path string)) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.eml"))
	for _, path := range append(files, extra...) {
		t.Run(filepath.Base(path), func(t *testing.T) { check(t, path) })
	}
	t.Run("shared samples", func(t *testing.T) {
		shared, _ := filepath.Glob(filepath.Join(testshared.Dir(t, "samples"), "*.eml"))
		for _, path := range shared {
			t.Run(filepath.Base(path), func(t *testing.T) { check(t, path) })
		}
	})
}

func compareAnalyzeBytes(t *testing.T, path string) {
	ctx := context.Background()
	for _, opts := range []Options{{Source: path}, {Source: path, MaxBodyBytes: 100}} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := Analyze(ctx, bytes.NewReader(data), opts)
		got, gotErr := AnalyzeBytes(ctx, data, opts)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("error %v, Analyze says %v", gotErr, wantErr)
		}
		wantJSON, _ := json.Marshal(want)
		gotJSON, _ := json.Marshal(got)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Fatalf("AnalyzeBytes:\n%s\nAnalyze:\n%s", gotJSON, wantJSON)
		}
		clear(data)
		if again, _ := json.Marshal(got); !bytes.Equal(again, gotJSON) {
			t.Fatalf("the report changed with its input:\n%s", again)
		}
	}
}
