package mailbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// genMbox writes a deterministic mbox of about total bytes to w: messages of
// 2 to 200 KiB, some with quoted From lines. It returns the number of
// messages and the offset of each message's first byte.
func genMbox(w io.Writer, total int64, seed uint64) (offsets []int64, err error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var off int64
	line := make([]byte, 0, 80)
	for i := 0; off < total; i++ {
		env := fmt.Sprintf("From sender%d@example.com Mon Jan %2d %02d:%02d:00 +0000 2024\n", i, 1+i%28, i%24, i%60)
		hdr := fmt.Sprintf("From: sender%d@example.com\nTo: rcpt@example.org\nSubject: message %d\nMessage-ID: <%d@example.com>\n\n", i, i, i)
		bw.WriteString(env)
		off += int64(len(env))
		offsets = append(offsets, off)
		bw.WriteString(hdr)
		off += int64(len(hdr))
		size := 2<<10 + r.IntN(198<<10)
		for n := 0; n < size; {
			line = line[:0]
			if r.IntN(50) == 0 {
				line = append(line, ">From the archive\n"...)
			} else {
				for range 72 {
					line = append(line, byte('a'+r.IntN(26)))
				}
				line = append(line, '\n')
			}
			bw.Write(line)
			n += len(line)
			off += int64(len(line))
		}
		bw.WriteString("\n")
		off++
	}
	return offsets, bw.Flush()
}

// heapSampler records the largest heap in use seen by sample.
type heapSampler struct {
	max uint64
	ms  runtime.MemStats
}

func (h *heapSampler) sample() {
	runtime.ReadMemStats(&h.ms)
	h.max = max(h.max, h.ms.HeapInuse)
}

// TestMemoryBounded scans a generated 300 MB mbox and checks that the heap
// stays far below the file size and that every message is found at its
// offset.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 300 MB file; skipped with -short")
	}
	p := filepath.Join(t.TempDir(), "big.mbox")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	offsets, err := genMbox(f, 300<<20, 1)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var h heapSampler
	h.sample()
	base := h.max
	start := time.Now()
	n := 0
	var bytesSeen int64
	for m, err := range All(context.Background(), []string{p}, Options{}) {
		if err != nil {
			t.Fatalf("%s: %v", m.Location, err)
		}
		if m.Location.Index != n+1 || m.Location.Offset != offsets[n] {
			t.Fatalf("message %d at %s @%d, want @%d", n+1, m.Location, m.Location.Offset, offsets[n])
		}
		bytesSeen += m.Size
		n++
		h.sample()
	}
	if n != len(offsets) {
		t.Fatalf("got %d messages, want %d", n, len(offsets))
	}
	el := time.Since(start)
	t.Logf("%d messages, %d MB in %v (%.0f MB/s); heap in use: %.1f MB before, max %.1f MB",
		n, bytesSeen>>20, el.Round(time.Millisecond), float64(bytesSeen)/1e6/el.Seconds(), float64(base)/1e6, float64(h.max)/1e6)
	if h.max > 64<<20 {
		t.Errorf("heap in use reached %d MB; want under 64 MB", h.max>>20)
	}
}

// BenchmarkSplitMbox splits a generated ~100 MB mbox file. It reports
// messages per second and the largest heap in use while scanning.
func BenchmarkSplitMbox(b *testing.B) {
	p := filepath.Join(b.TempDir(), "bench.mbox")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	offsets, err := genMbox(f, 100<<20, 2)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	var h heapSampler
	runtime.GC()
	b.ResetTimer()
	msgs := 0
	for b.Loop() {
		for m, err := range All(context.Background(), []string{p}, Options{}) {
			if err != nil {
				b.Fatalf("%s: %v", m.Location, err)
			}
			msgs++
			if msgs%16 == 0 {
				h.sample()
			}
		}
	}
	b.StopTimer()
	if msgs != b.N*len(offsets) {
		b.Fatalf("got %d messages, want %d", msgs, b.N*len(offsets))
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(h.max)/(1<<20), "peak-heap-MiB")
}

// BenchmarkAllocsPerMessage reports allocations per message.
func BenchmarkAllocsPerMessage(b *testing.B) {
	var buf bytes.Buffer
	offsets, err := genMbox(&buf, 20<<20, 3)
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		for m, err := range All(context.Background(), []string{"-"}, Options{Stdin: bytes.NewReader(data)}) {
			if err != nil {
				b.Fatalf("%s: %v", m.Location, err)
			}
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*len(offsets)), "allocs/msg")
}

// TestLargeMessage checks a 50 MB message, alone and inside an mbox, with
// the default limit and with a smaller one.
func TestLargeMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100 MB of files; skipped with -short")
	}
	dir := t.TempDir()
	body := strings.Repeat(strings.Repeat("x", 75)+"\n", 50<<20/76)
	large := "From: big@example.com\nSubject: large\n\n" + body
	eml := filepath.Join(dir, "large.eml")
	writeFile(t, eml, large)
	box := filepath.Join(dir, "large.mbox")
	writeFile(t, box, from1+msgA+"\n"+from2+large+"\n"+from1+msgB)
	off2 := int64(len(from1 + msgA + "\n" + from2))
	off3 := off2 + int64(len(large)+1+len(from1))

	t.Run("default limit", func(t *testing.T) {
		got := scanPaths(t, []string{eml, box}, Options{})
		check(t, got, []want{
			{loc: eml, data: large},
			{loc: box + "#1", offset: int64(len(from1)), data: msgA},
			{loc: box + "#2", offset: off2, data: large},
			{loc: box + "#3", offset: off3, data: msgB},
		})
	})
	t.Run("over the limit", func(t *testing.T) {
		got := scanPaths(t, []string{eml, box}, Options{MaxMessageSize: 10 << 20})
		check(t, got, []want{
			{loc: eml, err: ErrTooLarge},
			{loc: box + "#1", offset: int64(len(from1)), data: msgA},
			{loc: box + "#2", offset: off2, err: ErrTooLarge},
			{loc: box + "#3", offset: off3, data: msgB},
		})
		for _, i := range []int{0, 2} {
			if got[i].Size != int64(len(large)) || got[i].Data != nil {
				t.Errorf("%s: size %d, %d bytes of data; want size %d, no data", got[i].Location, got[i].Size, len(got[i].Data), len(large))
			}
			if !errors.Is(got[i].Err, ErrTooLarge) {
				t.Errorf("%s: %v", got[i].Location, got[i].Err)
			}
		}
	})
}
