package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/authlens/authlens/web/engine"
)

// TestAnalyzeInputs: every input gives records, an unusable one a record
// with its error; a header block and a source name come through.
func TestAnalyzeInputs(t *testing.T) {
	spoof, err := os.ReadFile("../../testdata/m365-spoof.eml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, source string
		data         []byte
		records      int
		wantSource   string
		wantError    string
		wantStatus   string
	}{
		{"message", "", spoof, 1, "-", "", "fail"},
		{"named", "drop.eml", spoof, 1, "drop.eml", "", "fail"},
		{"empty", "", nil, 1, "-", "empty", ""},
		{"too large", "", append([]byte("From: a@b.example\n\n"), make([]byte, 2048)...), 1, "-", "too large", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := engine.Analyze(context.Background(), engine.Request{Data: tc.data, Source: tc.source, MaxMessageSize: 1024})
			if tc.name != "too large" {
				res, err = engine.Analyze(context.Background(), engine.Request{Data: tc.data, Source: tc.source})
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Records != tc.records || strings.Count(string(res.JSON), "\n") != tc.records {
				t.Fatalf("%d records: %s", res.Records, res.JSON)
			}
			var rec struct {
				Source, Error string
				Verdict       struct{ Status string }
			}
			if err := json.Unmarshal(res.JSON, &rec); err != nil {
				t.Fatal(err)
			}
			if rec.Source != tc.wantSource || !strings.Contains(rec.Error, tc.wantError) || rec.Verdict.Status != tc.wantStatus || (tc.wantError == "") != (rec.Error == "") {
				t.Errorf("record %s", res.JSON)
			}
		})
	}
}

// TestAnalyzeCancelled: a cancelled context stops the analysis with its
// error rather than a partial answer.
func TestAnalyzeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := engine.Analyze(ctx, engine.Request{Data: []byte("From: a@b.example\n\n")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
