package mailbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestVanishedFiles: a Maildir whose files are deleted or moved away while
// it is scanned (as a mail client does) still yields one item per file it
// listed: the files read before the deletion as messages, the others as
// errors wrapping ErrVanished, none silently skipped.
func TestVanishedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	const n = 6
	var paths []string
	for i := range n {
		p := filepath.Join(dir, "cur", fmt.Sprintf("%d.host:2,S", i))
		writeFile(t, p, msgA)
		paths = append(paths, p)
	}
	sc := Open(context.Background(), []string{dir}, Options{})
	defer sc.Close()
	var got []*Message
	for sc.Next() {
		got = append(got, sc.Message())
		if len(got) == 1 {
			// The directory has been listed; the mail client now
			// deletes two files and moves one to another folder.
			for _, p := range paths[2:4] {
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Rename(paths[5], filepath.Join(t.TempDir(), "moved")); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d items for %d listed files", len(got), n)
	}
	for i, m := range got {
		if m.Location.Path != paths[i] {
			t.Errorf("item %d is %s, want %s", i, m.Location.Path, paths[i])
		}
		vanished := i == 2 || i == 3 || i == 5
		switch {
		case vanished && (!errors.Is(m.Err, ErrVanished) || !errors.Is(m.Err, fs.ErrNotExist)):
			t.Errorf("%s: err %v, want it vanished", m.Location.Path, m.Err)
		case !vanished && m.Err != nil:
			t.Errorf("%s: %v", m.Location.Path, m.Err)
		}
	}
	if st := sc.Stats(); st.Messages != 3 || st.Errors != 3 {
		t.Errorf("stats %+v, want 3 messages and 3 errors", st)
	}
}
