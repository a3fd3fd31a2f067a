package mailbox

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gz(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestScanTree scans a directory holding every kind of input and checks
// each item, in walk order.
func TestScanTree(t *testing.T) {
	root := t.TempDir()
	j := func(p ...string) string { return filepath.Join(append([]string{root}, p...)...) }
	mbox := from1 + msgA + "\n" + from2 + msgB + "\n"
	off2 := int64(len(from1 + msgA + "\n" + from2))
	big := strings.Repeat("0123456789", 10000) // compresses well, spans many gzip blocks
	longMbox := from1 + msgA + "\n" + from2 + msgB + big + "\n"
	cut := gz(t, longMbox)
	cut = cut[:len(cut)/2]

	writeFile(t, j("a.eml"), msgA)
	writeFile(t, j("b.mbox"), mbox)
	writeFile(t, j("c.mbox.gz"), gz(t, mbox))
	writeFile(t, j("d.eml.gz"), gz(t, msgB))
	writeFile(t, j("e-truncated.mbox.gz"), cut)
	writeFile(t, j("empty.eml"), "")
	writeFile(t, j("empty.gz"), gz(t, ""))
	writeFile(t, j("junk.bin"), "\x00\x01\x02\x03binary")
	writeFile(t, j("mail.msg"), "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest")
	writeFile(t, j("mail.pst"), "!BDNrest")
	writeFile(t, j("mail.zip"), "PK\x03\x04rest")
	writeFile(t, j("mail.pdf"), "%PDF-1.4\n")
	writeFile(t, j("Inbox.msf"), "// <!-- <mdb:mork:z v=\"1.4\"/> -->")
	writeFile(t, j(".DS_Store"), "\x00\x00\x00\x01Bud1")
	writeFile(t, j("Maildir", "cur", "1.host:2,S"), msgA)
	writeFile(t, j("Maildir", "new", "2.host"), msgB)
	writeFile(t, j("Maildir", "tmp", "3.host"), msgA)
	writeFile(t, j("Maildir", "dovecot-uidlist"), "3 V1 N4\n")
	writeFile(t, j("Maildir", ".Sent", "cur", "4.host:2,S"), msgB)
	writeFile(t, j("Maildir", ".Sent", "new", ".keep"), "")
	writeFile(t, j("Maildir", ".Sent", "tmp", "5.host"), msgB)
	writeFile(t, j("nested", "deeper", "x.eml"), msgA)
	// A link back to an ancestor, and a second link to a scanned folder.
	if err := os.Symlink(root, j("nested", "deeper", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(j("nested"), j("z-again")); err != nil {
		t.Fatal(err)
	}

	wants := []want{
		{loc: j("Maildir", ".Sent", "cur", "4.host:2,S"), data: msgB, format: FormatMaildir},
		{loc: j("Maildir", "cur", "1.host:2,S"), data: msgA, format: FormatMaildir},
		{loc: j("Maildir", "new", "2.host"), data: msgB, format: FormatMaildir},
		{loc: j("a.eml"), data: msgA, format: FormatEML},
		{loc: j("b.mbox") + "#1", offset: int64(len(from1)), data: msgA, format: FormatMbox},
		{loc: j("b.mbox") + "#2", offset: off2, data: msgB, format: FormatMbox},
		{loc: j("c.mbox.gz") + "#1", offset: int64(len(from1)), data: msgA},
		{loc: j("c.mbox.gz") + "#2", offset: off2, data: msgB},
		{loc: j("d.eml.gz"), data: msgB, format: FormatEML},
		{loc: j("e-truncated.mbox.gz") + "#1", offset: int64(len(from1)), data: msgA},
		{loc: j("e-truncated.mbox.gz") + "#2", offset: off2, err: ErrTruncated},
		{loc: j("empty.eml"), err: ErrEmpty},
		{loc: j("empty.gz"), err: ErrEmpty},
		{loc: j("junk.bin"), err: ErrUnsupported},
		{loc: j("mail.msg"), err: ErrUnsupported, format: FormatMsg},
		{loc: j("mail.pdf"), err: ErrUnsupported, format: FormatPDF},
		{loc: j("mail.pst"), err: ErrUnsupported, format: FormatPST},
		{loc: j("mail.zip"), err: ErrUnsupported, format: FormatZip},
		{loc: j("nested", "deeper", "loop"), err: ErrSymlinkLoop},
		{loc: j("nested", "deeper", "x.eml"), data: msgA},
	}
	got := scanPaths(t, []string{root}, Options{})
	// The truncated message's partial bytes are checked apart.
	for _, m := range got {
		if errors.Is(m.Err, ErrTruncated) {
			if !m.Location.Compressed || !strings.HasPrefix(string(m.Data), msgB) {
				t.Errorf("%s: truncated item: compressed %v, data %q", m.Location, m.Location.Compressed, trunc(m.Data))
			}
			m.Data = nil
		}
	}
	check(t, got, wants)

	for _, m := range got {
		if m.Err == nil && m.Location.Compressed != strings.Contains(m.Location.Path, ".gz") {
			t.Errorf("%s: Compressed = %v", m.Location, m.Location.Compressed)
		}
	}
	msg := got[14].Err.Error()
	if !strings.Contains(msg, "Outlook .msg") || !strings.Contains(msg, "export") {
		t.Errorf(".msg error %q does not say what to do", msg)
	}

	t.Run("stable order", func(t *testing.T) {
		again := scanPaths(t, []string{root}, Options{})
		for i := range got {
			if got[i].Location != again[i].Location {
				t.Fatalf("item %d: %v then %v", i, got[i].Location, again[i].Location)
			}
		}
	})
	t.Run("stats", func(t *testing.T) {
		s := Open(context.Background(), []string{root}, Options{})
		n := 0
		for s.Next() {
			n++
		}
		st := s.Stats()
		if st.Messages+st.Errors != n || st.Messages != 11 || st.Errors != 9 {
			t.Errorf("stats %+v for %d items", st, n)
		}
		// .msf, .DS_Store, dovecot-uidlist, .keep, two tmp dirs, z-again.
		if st.Skipped != 7 {
			t.Errorf("skipped %d, want 7", st.Skipped)
		}
	})
}

func TestUnreadable(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "secret.eml")
	writeFile(t, p, msgA)
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(p, 0o644)
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skip("running with privileges that ignore file modes (root); cannot test an unreadable file")
	}
	missing := filepath.Join(dir, "missing")
	got := scanPaths(t, []string{p, missing}, Options{})
	check(t, got, []want{{loc: p, err: ErrRead}, {loc: missing, err: ErrRead}})
	if !errors.Is(got[0].Err, fs.ErrPermission) || !errors.Is(got[1].Err, fs.ErrNotExist) {
		t.Errorf("errors %v, %v do not wrap the cause", got[0].Err, got[1].Err)
	}
}

func TestMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	got := scanPaths(t, []string{missing}, Options{})
	check(t, got, []want{{loc: missing, err: ErrRead}})
	if !errors.Is(got[0].Err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", got[0].Err)
	}
}

func TestStdin(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		wants []want
	}{
		{"eml", msgA, []want{{loc: "-", data: msgA, format: FormatEML}}},
		{"mbox", from1 + msgA, []want{{loc: "-#1", offset: int64(len(from1)), data: msgA}}},
		{"gzip mbox", gz(t, from1+msgA), []want{{loc: "-#1", offset: int64(len(from1)), data: msgA}}},
		{"empty", "", []want{{loc: "-", err: ErrEmpty}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scanPaths(t, []string{"-"}, Options{Stdin: strings.NewReader(tc.in)})
			check(t, got, tc.wants)
		})
	}
}

func TestMixedInputs(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.eml"), filepath.Join(dir, "sub", "b.mbox")
	writeFile(t, a, msgA)
	writeFile(t, b, from2+msgB)
	got := scanPaths(t, []string{b, "-", a, filepath.Join(dir, "sub")}, Options{Stdin: strings.NewReader(msgB)})
	check(t, got, []want{
		{loc: b + "#1", offset: int64(len(from2)), data: msgB},
		{loc: "-", data: msgB},
		{loc: a, data: msgA},
		{loc: b + "#1", offset: int64(len(from2)), data: msgB},
	})
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"1.eml", "2.eml", "3.eml"} {
		writeFile(t, filepath.Join(dir, n), msgA)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := Open(ctx, []string{dir}, Options{})
	n := 0
	for s.Next() {
		n++
		cancel()
	}
	if n != 1 || !errors.Is(s.Err(), context.Canceled) {
		t.Errorf("got %d items, Err %v; want 1, context.Canceled", n, s.Err())
	}
	s.Close()
}

func TestLocationString(t *testing.T) {
	tests := []struct {
		loc  Location
		want string
	}{
		{Location{Path: "a.eml"}, "a.eml"},
		{Location{Path: "box", Index: 3, Offset: 99}, "box#3"},
		{Location{Path: "-", Index: 1, Compressed: true}, "-#1"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.loc.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}
