package jsonout

import (
	"context"
	"os"
	"testing"

	"github.com/authlens/authlens"
)

// FuzzAppendReport analyses arbitrary input and requires AppendReport to
// write exactly what encoding/json writes for the resulting report. It is
// seeded with the testdata messages.
func FuzzAppendReport(f *testing.F) {
	for _, p := range messageFiles(f, testdataDir, hasSuffix(".eml")) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("From: \"a\\\"\xff\u2028\" <a@b.example>\r\nAuthentication-Results: x; spf=pass smtp.mailfrom=\x01@b.example\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _ := authlens.AnalyzeBytes(context.Background(), data, authlens.Options{})
		if r == nil {
			t.Fatal("no report")
		}
		checkSame(t, "fuzz input", r)
	})
}
