package mailbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Limits of the trees FuzzWalk builds.
const (
	walkMaxOps   = 48
	walkMaxDepth = 6
)

// walkNames are the entry names FuzzWalk picks from: Maildir folders,
// names the walk skips, and plain ones.
var walkNames = []string{
	"a", "b", "z", "cur", "new", "tmp", ".hidden", ".Sent", "x.eml", "Inbox.msf", "dovecot-uidlist",
	"maildirfolder", "mbox", "Maildir", "c d", "\u00e9t\u00e9", "1.host:2,S", "Thumbs.db",
}

// walkContents are the file contents FuzzWalk picks from; index
// len(walkContents) means bytes from the input.
var walkContents = []string{
	msgA, "", from1 + msgA + "\n" + from2 + msgB, "\x00\x01\x02binary", "PK\x03\x04rest",
	"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\x01\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00", // gzip of ""
	cl2Header + cl2Body,
}

// treeBuilder makes a directory tree from fuzz bytes.
type treeBuilder struct {
	t     *testing.T
	data  []byte
	root  string
	cwd   string   // directory new entries go in
	nodes []string // every entry made, for links to point at
}

func (b *treeBuilder) next() (byte, bool) {
	if len(b.data) == 0 {
		return 0, false
	}
	c := b.data[0]
	b.data = b.data[1:]
	return c, true
}

// name picks a name not yet used in the current directory, or "".
func (b *treeBuilder) name() string {
	c, ok := b.next()
	if !ok {
		return ""
	}
	n := walkNames[int(c)%len(walkNames)]
	if int(c) >= len(walkNames) && c >= 200 {
		n = fmt.Sprintf("n%d", c) // plain names sorting among the others
	}
	p := filepath.Join(b.cwd, n)
	if _, err := os.Lstat(p); err == nil {
		return ""
	}
	return p
}

func (b *treeBuilder) content() []byte {
	c, _ := b.next()
	if i := int(c) % (len(walkContents) + 1); i < len(walkContents) {
		return []byte(walkContents[i])
	}
	n, _ := b.next()
	n = min(n%64, byte(len(b.data)))
	raw := b.data[:n]
	b.data = b.data[n:]
	return raw
}

func (b *treeBuilder) depth() int {
	rel, _ := filepath.Rel(b.root, b.cwd)
	if rel == "." {
		return 0
	}
	return strings.Count(rel, string(filepath.Separator)) + 1
}

// build runs the operations the bytes spell.
func (b *treeBuilder) build() {
	for range walkMaxOps {
		op, ok := b.next()
		if !ok {
			return
		}
		switch op % 8 {
		case 0, 1: // a file
			if p := b.name(); p != "" {
				b.write(p, b.content())
			}
		case 2: // a directory, entered
			if p := b.name(); p != "" && b.depth() < walkMaxDepth {
				b.mkdir(p)
				b.cwd = p
			}
		case 3: // back to the parent
			if b.cwd != b.root {
				b.cwd = filepath.Dir(b.cwd)
			}
		case 4, 5: // a symbolic link
			p := b.name()
			c, _ := b.next()
			if p == "" {
				continue
			}
			var target string
			switch k := int(c) % (len(b.nodes) + 4); {
			case k < len(b.nodes):
				target = b.nodes[k]
			case k == len(b.nodes):
				target = b.root
			case k == len(b.nodes)+1:
				target = filepath.Join(b.root, "nowhere") // dangling
			case k == len(b.nodes)+2:
				target = ".." // relative, to the parent
			default:
				target = p // itself: a loop stat cannot resolve
			}
			if err := os.Symlink(target, p); err != nil {
				b.t.Fatal(err)
			}
			b.nodes = append(b.nodes, p)
		case 6: // a Maildir with a message in each subdirectory
			if p := b.name(); p != "" && b.depth() < walkMaxDepth-1 {
				b.mkdir(p)
				for _, sub := range []string{"cur", "new", "tmp"} {
					b.mkdir(filepath.Join(p, sub))
					b.write(filepath.Join(p, sub, "1.host"), []byte(msgB))
				}
			}
		case 7: // an empty directory
			if p := b.name(); p != "" {
				b.mkdir(p)
			}
		}
	}
}

func (b *treeBuilder) write(p string, content []byte) {
	if err := os.WriteFile(p, content, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.nodes = append(b.nodes, p)
}

func (b *treeBuilder) mkdir(p string) {
	if err := os.Mkdir(p, 0o755); err != nil {
		b.t.Fatal(err)
	}
	b.nodes = append(b.nodes, p)
}

// walkWant is what the walk must deliver for one path: the items of a
// file, or one error about a link.
type walkWant struct {
	path      string
	inMaildir bool
	linkErr   bool
}

// walkModel lists, in order, what the package documentation says a walk
// of dir delivers: every regular file once, in name order, depth first;
// hidden and index files skipped; a Maildir's tmp skipped; a directory
// reached again through a link scanned once; a link back into an
// ancestor, and a link that cannot be followed, reported.
func walkModel(t *testing.T, dir string, stack []string, visited map[string]bool, inMaildir bool, out *[]walkWant) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("model: %v", err)
	}
	n := 0
	for _, e := range entries {
		if name := e.Name(); (name == "cur" || name == "new" || name == "tmp") && (e.IsDir() || e.Type()&fs.ModeSymlink != 0) {
			n++
		}
	}
	maildir := n >= 2
	for _, e := range entries {
		name, child := e.Name(), filepath.Join(dir, e.Name())
		link := e.Type()&fs.ModeSymlink != 0
		fi, err := os.Stat(child)
		if err != nil {
			*out = append(*out, walkWant{path: child, linkErr: true})
			continue
		}
		switch {
		case fi.IsDir():
			if maildir && name == "tmp" {
				continue
			}
			real := filepath.Join(stack[len(stack)-1], name)
			if link {
				r, err := filepath.EvalSymlinks(child)
				if err != nil {
					t.Fatalf("model: %v", err)
				}
				if real, err = filepath.Abs(r); err != nil {
					t.Fatalf("model: %v", err)
				}
				if slices.Contains(stack, real) {
					*out = append(*out, walkWant{path: child, linkErr: true})
					continue
				}
			}
			if visited[real] {
				continue
			}
			visited[real] = true
			walkModel(t, child, append(stack[:len(stack):len(stack)], real), visited, maildir && (name == "cur" || name == "new"), out)
		case fi.Mode().IsRegular() && !isAuxFile(name):
			*out = append(*out, walkWant{path: child, inMaildir: inMaildir})
		}
	}
}

// FuzzWalk builds a small directory tree from the input (names, nesting,
// Maildirs, symbolic links to files, directories, ancestors and nowhere,
// empty and binary files) and checks that a scan of it delivers every
// regular file exactly once, as one or more messages or an error, in walk
// order, with the skips and link errors the documentation gives, Maildir
// format exactly for messages in a Maildir's cur and new, and counts that
// agree with the items.
func FuzzWalk(f *testing.F) {
	f.Add([]byte{0, 0, 1, 8, 2, 2, 0, 3, 3})
	f.Add([]byte{6, 7, 2, 2, 0, 0, 1, 1, 4, 9, 0, 3, 4, 10, 0})
	f.Add([]byte{2, 13, 6, 4, 0, 1, 1, 7, 3, 4, 16, 1, 4, 5, 2, 4, 17, 3})
	f.Add([]byte{2, 13, 2, 3, 4, 0, 5, 4, 2, 3, 4, 1, 0, 0, 6, 0, 3, 3, 4, 15, 2})
	f.Add([]byte{0, 3, 7, 12, 'h', 'e', 'l', 'l', 'o', ':', ' ', 'w', 'o', 'r', 'l', 'd', 0, 6, 3, 0, 11, 2})
	f.Add([]byte{6, 13, 2, 13, 4, 5, 3, 6, 14, 5, 15, 0, 4, 16, 1, 4, 0, 0, 2, 4, 3, 10})
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		b := &treeBuilder{t: t, data: data, root: root, cwd: root}
		b.build()
		real, err := filepath.EvalSymlinks(root)
		if err != nil {
			t.Fatal(err)
		}
		var want []walkWant
		walkModel(t, root, []string{real}, map[string]bool{real: true}, false, &want)

		sc := Open(context.Background(), []string{root}, Options{})
		var got []*Message
		for m, _ := range sc.All() {
			if m == nil {
				t.Fatal("scan stopped")
			}
			got = append(got, m)
		}
		files := 0
		i := 0
		for _, w := range want {
			if i == len(got) || got[i].Location.Path != w.path {
				t.Fatalf("item %d: %s, want %s\n%s", i, itemPath(got, i), w.path, describeWalk(got, want))
			}
			if w.linkErr {
				if got[i].Err == nil || got[i].Location.Index != 0 {
					t.Fatalf("%s: link problem not reported: %+v", w.path, got[i])
				}
				i++
				continue
			}
			files++
			// A file's items are contiguous: one, or mbox messages 1..n.
			j := i
			for j < len(got) && got[j].Location.Path == w.path {
				m := got[j]
				if n := j - i + 1; m.Location.Index != 0 && m.Location.Index != n {
					t.Fatalf("%s: item %d has index %d", w.path, n, m.Location.Index)
				}
				if (m.Format == FormatMaildir) != (w.inMaildir && m.Err == nil && (m.Format == FormatMaildir || m.Format == FormatEML)) {
					t.Fatalf("%s: format %s, in a Maildir %v, error %v", w.path, m.Format, w.inMaildir, m.Err)
				}
				j++
			}
			if j-i > 1 && got[i].Location.Index != 1 {
				t.Fatalf("%s: %d items, the first with index %d", w.path, j-i, got[i].Location.Index)
			}
			i = j
		}
		if i != len(got) {
			t.Fatalf("item %d: %s delivered but not expected\n%s", i, itemPath(got, i), describeWalk(got, want))
		}
		st := sc.Stats()
		if st.Files != files || st.Messages+st.Errors != len(got) {
			t.Fatalf("stats %+v for %d files and %d items", st, files, len(got))
		}
		for _, m := range got {
			if m.Err != nil && !errors.Is(m.Err, ErrRead) && !errors.Is(m.Err, ErrSymlinkLoop) && !errors.Is(m.Err, ErrEmpty) &&
				!errors.Is(m.Err, ErrUnsupported) && !errors.Is(m.Err, ErrTruncated) && !errors.Is(m.Err, ErrCorrupt) {
				t.Fatalf("%s: error %v is none of the package's", m.Location, m.Err)
			}
			m.Release()
		}
	})
}

func itemPath(got []*Message, i int) string {
	if i >= len(got) {
		return "(end of scan)"
	}
	return got[i].Location.String()
}

func describeWalk(got []*Message, want []walkWant) string {
	var b strings.Builder
	b.WriteString("delivered:\n")
	for _, m := range got {
		fmt.Fprintf(&b, "  %s %s %v\n", m.Location, m.Format, m.Err)
	}
	b.WriteString("expected:\n")
	for _, w := range want {
		fmt.Fprintf(&b, "  %+v\n", w)
	}
	return b.String()
}
