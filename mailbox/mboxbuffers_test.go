package mailbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMboxBuffersNotShared scans an mbox whose messages alternate between
// large and small, with quoted From lines, so that message buffers are
// handed over, grown, copied out and recycled; each message must keep its
// own bytes whether it is released at once, released out of order, or held
// until the end.
func TestMboxBuffersNotShared(t *testing.T) {
	var mbox bytes.Buffer
	var want []string
	sizes := []int{100 << 10, 1 << 10, 300, 70 << 10, 9 << 10, 5 << 10, 200 << 10, 100, 40 << 10}
	for i := range 27 {
		n := sizes[i%len(sizes)]
		body := strings.Repeat(fmt.Sprintf("message %d line of text\n", i), n/24+1)
		msg := fmt.Sprintf("Subject: m%d\n\n>From the desk of %d\n%s", i, i, body)
		fmt.Fprintf(&mbox, "From sender%d@example.com Mon Mar  3 09:00:00 2025\n%s\n", i, msg)
		want = append(want, strings.Replace(msg, ">From the desk", "From the desk", 1))
	}
	path := filepath.Join(t.TempDir(), "mixed.mbox")
	if err := os.WriteFile(path, mbox.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"release", "hold", "release-previous"} {
		t.Run(mode, func(t *testing.T) {
			sc := Open(context.Background(), []string{path}, Options{})
			defer sc.Close()
			var held []*Message
			i := 0
			for sc.Next() {
				m := sc.Message()
				if m.Err != nil {
					t.Fatalf("message %d: %v", i, m.Err)
				}
				if i >= len(want) || string(m.Data) != want[i] {
					t.Fatalf("message %d differs as read (%d bytes)", i, len(m.Data))
				}
				switch mode {
				case "release":
					m.Release()
				case "release-previous":
					if len(held) > 0 {
						held[len(held)-1].Release()
					}
					held = append(held, m)
				default:
					held = append(held, m)
				}
				i++
			}
			if i != len(want) {
				t.Fatalf("%d messages, want %d", i, len(want))
			}
			if mode == "hold" {
				for j, m := range held {
					if string(m.Data) != want[j] {
						t.Fatalf("message %d changed after later messages were read", j)
					}
				}
			}
		})
	}
}
