// Package engine runs the offline or online analysis of one pasted or
// uploaded input and renders the records exactly as `authlens --format
// json -` writes them for the same bytes on standard input: the same
// mailbox reader (so an mbox or a .msg file is handled as the CLI handles
// it), the same body-check choice, the same JSON encoder. The web server
// and the WebAssembly build both call it, so the page shows the same
// record whichever engine produced it.
package engine

import (
	"bufio"
	"bytes"
	"context"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/internal/app/batch"
	"github.com/authlens/authlens/internal/app/jsonout"
	"github.com/authlens/authlens/mailbox"
)

// Request is one input to analyse.
type Request struct {
	// Data is the raw message, a pasted header block, or a mailbox file.
	Data []byte
	// Source names the input in the records; "" means "-", as for
	// standard input. Messages of a multi-message input are Source#N.
	Source string
	// Options are the library options (trust, online resolver, …);
	// Source and BodyCheck are set here.
	Options authlens.Options
	// MaxMessageSize bounds one message, as --max-message-size does;
	// zero means the mailbox default (64 MiB).
	MaxMessageSize int64
}

// Result is what Analyze produced.
type Result struct {
	// JSON holds one JSON Lines record per message (each ends in '\n').
	JSON []byte
	// Records is the number of records.
	Records int
}

// Analyze analyses every message in req.Data and returns their JSON
// records. Every input yields at least one record: one with `error` set
// when the bytes are not a message. The error is non-nil only when the
// analysis was stopped (ctx cancelled).
func Analyze(ctx context.Context, req Request) (Result, error) {
	var res Result
	// The body check follows the CLI's choice for standard input: all
	// messages of a single-message input, failures only in a mailbox.
	scan := false
	if f, _ := mailbox.Detect(bufio.NewReaderSize(bytes.NewReader(req.Data), 64<<10)); f == mailbox.FormatMbox || f == mailbox.FormatMboxCL2 || f == mailbox.FormatGzip {
		scan = true
	}
	opts := req.Options
	opts.BodyCheck = authlens.BodyCheckAll
	if scan {
		opts.BodyCheck = authlens.BodyCheckFailed
	}
	sc := mailbox.Open(ctx, []string{"-"}, mailbox.Options{Stdin: bytes.NewReader(req.Data), MaxMessageSize: req.MaxMessageSize})
	defer sc.Close()
	cfg := batch.Config{Jobs: 1, Options: opts}
	err := batch.Run(ctx, sc, cfg, func(it *batch.Item) error {
		if req.Source != "" && req.Source != "-" {
			it.Report.Source = req.Source + strings.TrimPrefix(it.Report.Source, "-")
		}
		res.JSON = jsonout.AppendReport(res.JSON, it.Report)
		res.Records++
		return nil
	})
	return res, err
}
