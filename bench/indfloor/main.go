// Command indfloor is the independent floor of bench/run.sh: the least a
// mailbox scan can do, written without any of authlens's code. It reads an
// mbox file in large blocks, splits it into messages with bytes.Index on
// "\nFrom ", and copies each message's header block (up to the first empty
// line) into a buffer. It prints the number of messages and header bytes
// to standard error.
//
// Usage:
//
//	indfloor FILE.mbox
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

const blockSize = 1 << 20

var sep = []byte("\nFrom ")

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: indfloor FILE.mbox")
		os.Exit(2)
	}
	start := time.Now()
	n, hdr, err := scan(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "indfloor:", err)
		os.Exit(1)
	}
	el := time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "indfloor: %d messages, %d header bytes, %.3f s, %.0f msg/s\n", n, hdr, el, float64(n)/el)
}

// scan splits the mbox at path and copies each header block.
func scan(path string) (n int, hdr int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	buf := make([]byte, 0, 2*blockSize)
	var copyBuf []byte
	eof := false
	// handle copies the header block of one message (From line included).
	handle := func(msg []byte) {
		end := bytes.Index(msg, []byte("\n\n"))
		if e := bytes.Index(msg, []byte("\n\r\n")); e >= 0 && (end < 0 || e < end) {
			end = e
		}
		if end < 0 {
			end = len(msg)
		}
		copyBuf = append(copyBuf[:0], msg[:end]...)
		hdr += int64(len(copyBuf))
		n++
	}
	start, from := 0, 0 // buf[start:] is unsplit; no separator begins before from
	for {
		// A message starts at buf[start]; look for the start of the next.
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
			return n, hdr, nil
		}
		// Keep the unsplit tail, then read the next block after it.
		rest := copy(buf, buf[start:])
		from = max(0, from-start-len(sep))
		start = 0
		buf = buf[:rest]
		if cap(buf)-len(buf) < blockSize {
			nb := make([]byte, len(buf), 2*cap(buf))
			copy(nb, buf)
			buf = nb
		}
		k, rerr := io.ReadFull(f, buf[len(buf):len(buf)+blockSize])
		buf = buf[:len(buf)+k]
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			eof = true
		} else if rerr != nil {
			return n, hdr, rerr
		}
	}
}
