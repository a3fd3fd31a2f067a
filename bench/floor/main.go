// Command floor is the baseline of bench/run.sh: it only splits its inputs
// into messages with the mailbox package and reads each header block with
// the header reader, the least any analysis has to do. It prints the
// number of messages and the rate to standard error.
//
// Usage:
//
//	floor FILE|DIR|- ...
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/authlens/authlens/internal/header"
	"github.com/authlens/authlens/mailbox"
)

func main() {
	start := time.Now()
	sc := mailbox.Open(context.Background(), os.Args[1:], mailbox.Options{})
	defer sc.Close()
	n, fields := 0, 0
	br := bufio.NewReader(nil)
	for sc.Next() {
		m := sc.Message()
		n++
		if m.Data == nil {
			continue
		}
		br.Reset(bytes.NewReader(m.Data))
		f, _ := header.Read(br, header.Limits{})
		fields += len(f)
		m.Release()
	}
	el := time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "floor: %d messages, %d header fields, %.2f s, %.0f msg/s\n", n, fields, el, float64(n)/el)
}
