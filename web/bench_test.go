package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/authlens/authlens/web"
	"github.com/authlens/authlens/web/engine"
)

// BenchmarkAPIRoundTrip measures POST /api/analyze for a typical message
// (m365-spoof.eml) over loopback HTTP: request, analysis, JSON record,
// response. BenchmarkEngine is its baseline, the analysis alone; the
// difference is the cost of HTTP.
func BenchmarkAPIRoundTrip(b *testing.B) {
	data := benchMessage(b)
	ts := newServer(b, web.Config{})
	client := ts.Client()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Post(ts.URL+"/api/analyze", "message/rfc822", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n == 0 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkEngine is the baseline for BenchmarkAPIRoundTrip: the same
// analysis and encoding without HTTP.
func BenchmarkEngine(b *testing.B) {
	data := benchMessage(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := engine.Analyze(context.Background(), engine.Request{Data: data})
		if err != nil || res.Records != 1 {
			b.Fatal(res.Records, err)
		}
	}
}

func benchMessage(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join(root, "testdata", "m365-spoof.eml"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}
