package jsonout

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/testshared"
)

// testdataDir holds the module's own sample messages.
const testdataDir = "../../../testdata"

// messageFiles returns the files under dir, recursively, whose names
// keep accepts.
func messageFiles(tb testing.TB, dir string, keep func(name string) bool) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && keep(d.Name()) {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		tb.Fatalf("listing %s: %v", dir, err)
	}
	if len(out) == 0 {
		tb.Fatalf("no messages under %s", dir)
	}
	return out
}

// hasSuffix keeps the names ending in suffix.
func hasSuffix(suffix string) func(string) bool {
	return func(name string) bool { return strings.HasSuffix(name, suffix) }
}

// notReadme keeps every name but README*.
func notReadme(name string) bool { return !strings.HasPrefix(name, "README") }

// analyzeFile analyses one message file with opts.
func analyzeFile(tb testing.TB, path string, opts authlens.Options) *authlens.Report {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	r, _ := authlens.AnalyzeBytes(context.Background(), data, opts)
	if r == nil {
		tb.Fatalf("%s: no report", path)
	}
	return r
}

// testdataReports analyses every testdata message offline.
func testdataReports(tb testing.TB) []*authlens.Report {
	tb.Helper()
	var out []*authlens.Report
	for _, p := range messageFiles(tb, testdataDir, hasSuffix(".eml")) {
		out = append(out, analyzeFile(tb, p, authlens.Options{Source: filepath.Base(p)}))
	}
	return out
}

// TestTestdataMessages compares AppendReport with encoding/json on the
// report of every testdata message, offline and online (DNS answered
// from testdata/online.zone, which fills the evaluated verdicts and the
// DNS transcript).
func TestTestdataMessages(t *testing.T) {
	zone, err := dnsclient.LoadZoneFile(filepath.Join(testdataDir, "online.zone"), "")
	if err != nil {
		t.Fatal(err)
	}
	evaluated := false
	for _, p := range messageFiles(t, testdataDir, hasSuffix(".eml")) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			checkSame(t, "offline", analyzeFile(t, p, authlens.Options{}))
			r := analyzeFile(t, p, authlens.Options{Resolver: zone})
			checkSame(t, "online", r)
			evaluated = evaluated || (r.SPFEvaluated != nil && r.DMARCEvaluated != nil && len(r.DNS) > 0)
		})
	}
	if !evaluated {
		t.Error("no online report carries evaluated SPF and DMARC and a DNS transcript; the online pass checks nothing extra")
	}
}

// TestSharedSamples compares AppendReport with encoding/json on every
// real-world sample message beside the checkout.
func TestSharedSamples(t *testing.T) {
	dir := testshared.Dir(t, "samples")
	for _, p := range messageFiles(t, dir, notReadme) {
		rel, _ := filepath.Rel(dir, p)
		t.Run(rel, func(t *testing.T) {
			checkSame(t, rel, analyzeFile(t, p, authlens.Options{}))
		})
	}
}

// TestAppendReportAllocs: rendering into a buffer that is already large
// enough allocates nothing.
func TestAppendReportAllocs(t *testing.T) {
	for _, r := range testdataReports(t) {
		buf := AppendReport(nil, r)
		allocs := testing.AllocsPerRun(100, func() { buf = AppendReport(buf[:0], r) })
		if allocs != 0 {
			t.Errorf("%s: %v allocations per report", r.Source, allocs)
		}
		if want, _ := reference(r); !bytes.Equal(buf, want) {
			t.Errorf("%s: reused buffer holds different output", r.Source)
		}
	}
}
