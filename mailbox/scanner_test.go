package mailbox

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpened: an input the caller already opened is read from its reader,
// in its place among the others, and its path is not opened again (here
// it names no file at all).
func TestOpened(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.eml")
	writeFile(t, a, msgA)
	pipe := filepath.Join(dir, "no-such-pipe")
	opts := Options{Opened: map[string]io.Reader{pipe: strings.NewReader(from2 + msgB)}}
	got := scanPaths(t, []string{a, pipe, a}, opts)
	check(t, got, []want{
		{loc: a, data: msgA},
		{loc: pipe + "#1", offset: int64(len(from2)), data: msgB},
		{loc: a, data: msgA},
	})
}
