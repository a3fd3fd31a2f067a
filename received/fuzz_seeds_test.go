package received

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"

	"github.com/authlens/authlens/internal/header"
)

// seedFieldValues returns the unfolded values of the named header field
// in the project's test messages (testdata/*.eml at the module root and
// this package's testdata/*.txt) and in the real samples of ../shared,
// when that folder is present. Missing folders give fewer seeds, never a
// failure: a fuzz target must run without them.
func seedFieldValues(tb testing.TB, name string) []string {
	tb.Helper()
	root, err := moduleRootDir()
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

// moduleRootDir walks up from the working directory to the folder holding
// go.mod.
func moduleRootDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
