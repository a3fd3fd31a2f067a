// Package testshared locates the conformance suites and real-world sample
// messages that live beside the project checkout (../shared), so tests can
// read them in place and skip with a clear message where they are absent.
package testshared

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of rel (e.g. "conformance/spf") inside the
// shared folder next to the module root. When it does not exist, the test is
// skipped with a message naming the path that was looked for.
func Dir(tb testing.TB, rel string) string {
	tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		tb.Skipf("shared test data: cannot find module root: %v", err)
	}
	p := filepath.Join(root, "..", "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared test data %s not present (%v); skipping", p, err)
	}
	return p
}

// File is like Dir for a single file and returns its contents.
func File(tb testing.TB, rel string) []byte {
	tb.Helper()
	p := Dir(tb, rel)
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatalf("reading %s: %v", p, err)
	}
	return b
}

// moduleRoot walks up from the working directory to the folder holding go.mod.
func moduleRoot() (string, error) {
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
