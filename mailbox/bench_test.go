package mailbox

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// benchMbox returns a deterministic mbox of about total bytes shaped like a
// mail export: messages of 10 to 80 KiB with a header block of signatures
// and Received fields, a text part of word lines (some quoted replies and
// a quoted From line) and a base64 attachment.
func benchMbox(total int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	words := []string{"account", "agenda", "budget", "confirm", "contract", "customer", "delivery",
		"discount", "draft", "invoice", "meeting", "minutes", "notes", "notice", "offer", "order",
		"password", "payment", "project", "proposal", "quarterly", "receipt", "release", "renewal",
		"report", "reset", "review", "schedule", "security", "shipping", "support", "ticket", "update"}
	var b bytes.Buffer
	raw := make([]byte, 0, 80<<10)
	for i := 0; b.Len() < total; i++ {
		fmt.Fprintf(&b, "From bounce@sender%02d.example Mon Mar  3 09:%02d:00 2025\n", i%40, i%60)
		fmt.Fprintf(&b, "Received: from mail.sender%02d.example (mail.sender%02d.example. [198.51.100.%d])\n"+
			"        by mx.example.com with ESMTPS id x%d\n        for <user@recipient.example>;\n"+
			"        Mon, 03 Mar 2025 09:00:03 +0000\n", i%40, i%40, i%250, i)
		fmt.Fprintf(&b, "Authentication-Results: mx.example.com;\n       dkim=pass header.i=@sender%02d.example;\n"+
			"       spf=pass smtp.mailfrom=bounce@sender%02d.example;\n       dmarc=pass header.from=sender%02d.example\n", i%40, i%40, i%40)
		raw = raw[:0]
		for range 256 {
			raw = append(raw, byte(r.Uint32()))
		}
		sig := base64.StdEncoding.EncodeToString(raw)
		fmt.Fprintf(&b, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender%02d.example; s=rsa;\n\th=From:To:Subject:Date;\n\tb=", i%40)
		for len(sig) > 70 {
			b.WriteString(sig[:70])
			b.WriteString("\n\t ")
			sig = sig[70:]
		}
		b.WriteString(sig)
		fmt.Fprintf(&b, "\nFrom: billing@sender%02d.example\nTo: user@recipient.example\nSubject: order #%d\n"+
			"Date: Mon, 03 Mar 2025 09:00:00 +0000\nMessage-ID: <%d@sender.example>\nMIME-Version: 1.0\n"+
			"Content-Type: multipart/mixed; boundary=\"=_b%d\"\n\n--=_b%d\nContent-Type: text/plain; charset=utf-8\n\n", i%40, i, i, i, i)
		for n := 2<<10 + r.IntN(8<<10); n > 0; {
			start := b.Len()
			switch r.IntN(40) {
			case 0:
				b.WriteString(">From the desk of ")
			case 1, 2:
				b.WriteString("> ")
			}
			for w := 3 + r.IntN(12); w > 0; w-- {
				b.WriteString(words[r.IntN(len(words))])
				if w > 1 {
					b.WriteByte(' ')
				}
			}
			b.WriteByte('\n')
			n -= b.Len() - start
		}
		fmt.Fprintf(&b, "\n--=_b%d\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n", i)
		raw = raw[:6<<10+r.IntN(50<<10)]
		for j := range raw {
			raw[j] = byte(r.Uint32())
		}
		enc := base64.StdEncoding.EncodeToString(raw)
		for len(enc) > 76 {
			b.WriteString(enc[:76])
			b.WriteByte('\n')
			enc = enc[76:]
		}
		fmt.Fprintf(&b, "%s\n\n--=_b%d--\n\n", enc, i)
	}
	return b.Bytes()
}

// indexSplit is the baseline of BenchmarkMboxRead, as bench/indfloor does
// it: it reads in from r in 1 MiB blocks, splits it into messages with
// bytes.Index on "\nFrom " and copies each message's header block. It
// returns the number of messages.
func indexSplit(r io.Reader, buf, hdr []byte) int {
	sep := []byte("\nFrom ")
	n, start, from, eof := 0, 0, 0, false
	buf = buf[:0]
	handle := func(msg []byte) {
		end := bytes.Index(msg, []byte("\n\n"))
		if end < 0 {
			end = len(msg)
		}
		hdr = append(hdr[:0], msg[:end]...)
		n++
	}
	for {
		if i := bytes.Index(buf[from:], sep); i >= 0 {
			end := from + i + 1
			handle(buf[start:end])
			start, from = end, end
			continue
		}
		if eof {
			if start < len(buf) {
				handle(buf[start:])
			}
			return n
		}
		rest := copy(buf, buf[start:])
		from = max(0, from-start-len(sep))
		start = 0
		buf = buf[:rest]
		if cap(buf)-len(buf) < 1<<20 {
			buf = append(buf[:cap(buf)], make([]byte, 1<<20)...)[:rest]
		}
		k, err := io.ReadFull(r, buf[rest:rest+1<<20])
		buf = buf[:rest+k]
		eof = err != nil
	}
}

// scanAll reads every message of in with the scanner, as the command line
// does (releasing each), and returns the number of messages.
func scanAll(b *testing.B, in []byte) int {
	n := 0
	for m, err := range All(context.Background(), []string{"-"}, Options{Stdin: bytes.NewReader(in)}) {
		if m == nil || m.Err != nil {
			b.Fatalf("message %d: %v", n, err)
		}
		m.Release()
		n++
	}
	return n
}

// BenchmarkMboxRead measures the mbox reader over an export-like mbox held
// in memory. Besides ns/op and MB/s (the reader alone) it reports
// µs/msg, and x-index-split: the reader's throughput over that of
// indexSplit on the same bytes, timed in the same iterations.
func BenchmarkMboxRead(b *testing.B) {
	in := benchMbox(16<<20, 1)
	buf, hdr := make([]byte, 0, 4<<20), make([]byte, 0, 64<<10)
	var reader, split time.Duration
	msgs := 0
	for b.Loop() {
		t0 := time.Now()
		msgs = scanAll(b, in)
		t1 := time.Now()
		if n := indexSplit(bytes.NewReader(in), buf, hdr); n != msgs {
			b.Fatalf("index split found %d messages, the reader %d", n, msgs)
		}
		split += time.Since(t1)
		reader += t1.Sub(t0)
	}
	b.ReportMetric(float64(reader.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(len(in))*float64(b.N)/reader.Seconds()/1e6, "MB/s")
	b.ReportMetric(float64(reader.Microseconds())/float64(b.N*msgs), "µs/msg")
	b.ReportMetric(split.Seconds()/reader.Seconds(), "x-index-split")
}

// BenchmarkMboxReadFile measures the mbox reader over the file named by
// the environment variable AUTHLENS_BENCH_MBOX (for instance the corpus of
// bench/run.sh), read from the file system as a scan does; it is skipped
// when the variable is unset. It reports µs/msg and MB/s beside ns/op.
func BenchmarkMboxReadFile(b *testing.B) {
	path := os.Getenv("AUTHLENS_BENCH_MBOX")
	if path == "" {
		b.Skip("AUTHLENS_BENCH_MBOX is not set")
	}
	var msgs int
	var size int64
	for b.Loop() {
		sc := Open(context.Background(), []string{path}, Options{})
		msgs = 0
		for sc.Next() {
			m := sc.Message()
			if m.Err != nil {
				b.Fatalf("%s: %v", m.Location, m.Err)
			}
			m.Release()
			msgs++
		}
		size = sc.Stats().Bytes
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*msgs), "µs/msg")
	b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
}
