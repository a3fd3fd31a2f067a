package jsonout

import (
	"encoding/json"
	"io"
	"testing"
)

// BenchmarkAppendReport renders the reports of the testdata messages into
// a reused buffer, as a batch scan does.
func BenchmarkAppendReport(b *testing.B) {
	reports := testdataReports(b)
	var dst []byte
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		dst = AppendReport(dst[:0], reports[i%len(reports)])
	}
}

// BenchmarkEncodingJSON renders the same reports with encoding/json, as
// the CLI did before this package.
func BenchmarkEncodingJSON(b *testing.B) {
	reports := testdataReports(b)
	enc := json.NewEncoder(io.Discard)
	enc.SetEscapeHTML(false)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := enc.Encode(reports[i%len(reports)]); err != nil {
			b.Fatal(err)
		}
	}
}
