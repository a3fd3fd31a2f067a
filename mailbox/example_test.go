package mailbox_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/authlens/authlens/mailbox"
)

// Scan a folder holding an mbox file and a file that is not mail, writing
// one line per item.
func Example() {
	dir, err := os.MkdirTemp("", "mailbox-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	mbox := "From alice@example.com Thu Jan  1 00:00:00 2015\n" +
		"From: alice@example.com\nSubject: hello\n\nHi!\n\n" +
		"From bob@example.org Fri Jan  2 00:00:00 2015\n" +
		"From: bob@example.org\nSubject: re: hello\n\n>From the top.\n"
	os.WriteFile(filepath.Join(dir, "inbox.mbox"), []byte(mbox), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.pdf"), []byte("%PDF-1.7\n"), 0o644)

	s := mailbox.Open(context.Background(), []string{dir}, mailbox.Options{})
	defer s.Close()
	for s.Next() {
		m := s.Message()
		name, _ := filepath.Rel(dir, m.Location.String())
		if m.Err != nil {
			fmt.Printf("%s: %v\n", name, m.Err)
			continue
		}
		body := m.Data[bytes.Index(m.Data, []byte("\n\n"))+2:]
		fmt.Printf("%s at byte %d: %d bytes, body %q\n", name, m.Location.Offset, m.Size, body)
	}
	if err := s.Err(); err != nil {
		log.Fatal(err)
	}
	st := s.Stats()
	fmt.Printf("%d files, %d messages, %d errors\n", st.Files, st.Messages, st.Errors)
	// Output:
	// inbox.mbox#1 at byte 48: 44 bytes, body "Hi!\n"
	// inbox.mbox#2 at byte 139: 57 bytes, body "From the top.\n"
	// notes.pdf: unsupported format: PDF document, not an email message: use the original .eml or mbox export
	// 2 files, 2 messages, 1 errors
}

// Range over the items with an iterator.
func ExampleAll() {
	for m, err := range mailbox.All(context.Background(), []string{"-"}, mailbox.Options{}) {
		if m == nil {
			log.Fatal(err) // the context was canceled
		}
		if err != nil {
			fmt.Printf("%s: %v\n", m.Location, err)
			continue
		}
		fmt.Printf("%s: %d bytes\n", m.Location, len(m.Data))
	}
}
