package testshared

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"

	"github.com/authlens/authlens/internal/header"
)

// FieldValues returns the unfolded values of the named header field in the
// project's test messages (testdata/*.eml and *.txt at the module root, and
// the calling package's testdata/*.txt) and in the real samples of
// ../shared, when that folder is present: seeds for fuzz targets. Missing
// folders give fewer seeds, never a failure: a fuzz target must run
// without them.
func FieldValues(tb testing.TB, name string) []string {
	tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		return nil
	}
	var files []string
	for _, pattern := range []string{
		filepath.Join(root, "testdata", "*.eml"),
		filepath.Join(root, "testdata", "*.txt"),
		filepath.Join("testdata", "*.txt"),
		filepath.Join(root, "..", "shared", "samples", "*.eml"),
	} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	var out []string
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		fields, _ := header.Read(bufio.NewReader(f), header.Limits{})
		f.Close()
		out = append(out, header.Values(fields, name)...)
	}
	return out
}
