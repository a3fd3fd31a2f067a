package mailbox

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestClass(t *testing.T) {
	tests := []struct{ n, want int }{
		{0, 0}, {1, 0}, {4096, 0}, {4097, 1}, {8192, 1}, {8193, 2},
		{16 << 20, 12}, {16<<20 + 1, -1},
	}
	for _, tc := range tests {
		if got := class(tc.n); got != tc.want {
			t.Errorf("class(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestBufferPool(t *testing.T) {
	var p bufferPool
	b := p.get(5000)
	if len(b) != 5000 || cap(b) != 8192 {
		t.Fatalf("len %d cap %d", len(b), cap(b))
	}
	p.put(b)
	if again := p.get(6000); &again[0] != &b[0] {
		t.Error("a released buffer was not reused")
	}
	p.put(make([]byte, 5000)) // not a class size: dropped
	if p.bytes != 0 {
		t.Errorf("pool holds %d bytes, want 0", p.bytes)
	}
	for range 3 {
		p.put(make([]byte, 0, 16<<20))
	}
	if p.bytes != maxFreeBytes {
		t.Errorf("pool holds %d bytes, want at most %d", p.bytes, maxFreeBytes)
	}
	big := p.get(17 << 20)
	if len(big) != 17<<20 {
		t.Fatalf("len %d", len(big))
	}
	p.put(big)
	var nilPool *bufferPool
	if b := nilPool.get(10); len(b) != 10 {
		t.Fatalf("nil pool: len %d", len(b))
	}
	nilPool.put(b)
}

// TestReleaseReuse scans an mbox of messages of many sizes, releasing each
// message from another goroutine as soon as it has been checked, and checks
// that every message still has exactly its own bytes: a reused buffer never
// leaks the previous message's content.
func TestReleaseReuse(t *testing.T) {
	var box strings.Builder
	var want []string
	for i := range 300 {
		body := strings.Repeat(fmt.Sprintf("line %d of message %d\n", i%17, i), 1+(i*37)%900)
		msg := fmt.Sprintf("From: m%d@example.com\nSubject: %d\n\n%s", i, i, body)
		want = append(want, msg)
		box.WriteString("From sender@example.com Thu Jan  1 00:00:00 2015\n" + msg + "\n")
	}
	path := filepath.Join(t.TempDir(), "box")
	writeFile(t, path, box.String())

	release := make(chan *Message, 4)
	var wg sync.WaitGroup
	wg.Go(func() {
		for m := range release {
			m.Release()
			m.Release()
		}
	})
	i := 0
	for m, err := range All(context.Background(), []string{path}, Options{}) {
		if err != nil {
			t.Fatal(err)
		}
		if string(m.Data) != want[i] {
			t.Fatalf("message %d: %d bytes, want %d: %q", i+1, len(m.Data), len(want[i]), trunc(m.Data))
		}
		i++
		release <- m
	}
	close(release)
	wg.Wait()
	if i != len(want) {
		t.Fatalf("%d messages, want %d", i, len(want))
	}
}
