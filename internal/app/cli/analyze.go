package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/authlens/authlens/internal/app/batch"
	"github.com/authlens/authlens/mailbox"
)

// outcome is what a scan of all inputs found, for the exit code.
type outcome struct {
	total, failed, matched int
}

// analyzeAll analyses every message of every input — files, directories,
// mailboxes, "-" — with cfg.batch.jobs workers, and writes one record per
// item to stdout in cfg's format, in input order unless --unordered is given.
// Every message, and every input that yields none, produces exactly one
// record. A progress line is drawn on stderr when it is a terminal.
func analyzeAll(ctx context.Context, cfg config, inputs []string, stdin io.Reader, stdout, stderr io.Writer) (outcome, error) {
	var res outcome
	conds, err := cfg.batch.conditions()
	if err != nil {
		return res, err
	}

	in := scanning(inputs, stdin, stderr)
	defer in.close()
	scan := in.scan
	compact := cfg.format == formatText && (cfg.batch.summary || scan)
	out := bufio.NewWriterSize(stdout, 64<<10)
	o := newOutput(cfg, compact, stdout)
	encode := o.encoder()
	// Online, records take DNS round trips to finish: each is written
	// out as soon as it is ready rather than waiting in the buffer.
	flush := cfg.online.online
	cfg.online.notice.attach(stderr)
	var progress *batch.Progress
	if isTerminal(stderr) {
		progress = batch.NewProgress(stderr, batch.InputSize(inputs))
		if sw, ok := stdout.(*screenWriter); ok {
			sw.progress = progress
		}
	}
	sc := mailbox.Open(ctx, inputs, mailbox.Options{Stdin: in.stdin, Opened: in.opened, MaxMessageSize: cfg.batch.maxMessageSize})
	defer sc.Close()
	bc := batch.Config{
		Jobs:      cfg.batch.jobs,
		Unordered: cfg.batch.unordered,
		Options:   cfg.analyzeOptions(),
	}
	bc.Options.BodyCheck = cfg.batch.bodyCheckMode(scan)
	if encode != nil {
		bc.Encode = func(it *batch.Item) ([]byte, error) { return encode(it.Report) }
	}
	var sum batch.Summary
	runErr := batch.Run(ctx, sc, bc, func(it *batch.Item) error {
		res.total++
		if it.Report.Error != "" {
			res.failed++
		}
		for _, c := range conds {
			if c.Match(it.Report) {
				res.matched++
				break
			}
		}
		sum.Add(it)
		if progress != nil {
			progress.Add(it.Size)
		}
		var err error
		if it.Encoded != nil {
			err = o.write(out, it.Encoded)
		} else {
			err = o.report(out, it.Report)
		}
		if err == nil && flush {
			err = out.Flush()
		}
		return err
	})
	if progress != nil {
		progress.Done()
	}
	if runErr != nil {
		out.Flush()
		return res, fmt.Errorf("scan stopped after %d record(s): %w", res.total, runErr)
	}
	if cfg.batch.summary {
		if err := o.summary(out, stderr, &sum, len(conds) > 0, res.matched, cfg.online.notice.unreachable()); err != nil {
			return res, fmt.Errorf("writing output: %w", err)
		}
	}
	if err := o.close(out); err != nil {
		return res, fmt.Errorf("writing output: %w", err)
	}
	if err := out.Flush(); err != nil {
		return res, fmt.Errorf("writing output: %w", err)
	}
	return res, nil
}

// inputStreams is what scanning found out about the inputs before the scan.
type inputStreams struct {
	stdin io.Reader // replaces the stdin given, when it was peeked at
	// opened are the streams (pipes, FIFOs, /dev/stdin) peeked at, to be
	// read by the scan from the same reader: they cannot be opened twice.
	opened map[string]io.Reader
	files  []*os.File
	scan   bool // a directory, mbox or gzip input: a scan
}

// close closes the streams scanning opened.
func (in *inputStreams) close() {
	for _, f := range in.files {
		f.Close()
	}
}

// scanning reports whether an input is a directory or a file holding an
// mbox or gzip data: a scan rather than messages named one by one. A scan
// gets one line per message in text output and, by default, the body
// check for failures only. Regular files are peeked at and closed; standard
// input and other streams (a pipe given as /dev/fd/N or /dev/stdin, a named
// FIFO) are peeked at through a reader the scan then reads, because their
// first bytes cannot be read twice.
func scanning(paths []string, stdin io.Reader, stderr io.Writer) *inputStreams {
	in := &inputStreams{stdin: stdin}
	for _, p := range paths {
		if p == "-" {
			if in.stdin == nil {
				in.stdin = os.Stdin
			}
			if _, ok := in.stdin.(*bufio.Reader); !ok {
				in.stdin = bufio.NewReaderSize(in.stdin, 64<<10)
			}
			in.scan = isMultiMessage(in.stdin.(*bufio.Reader)) || in.scan
			continue
		}
		fi, err := os.Stat(p)
		switch {
		case err != nil:
		case fi.IsDir():
			in.scan = true
		case fi.Mode().IsRegular():
			in.scan = in.scan || isMultiMessageFile(p)
		default:
			if _, done := in.opened[p]; done {
				continue
			}
			f, err := os.Open(p)
			if err != nil {
				continue // the scan reports it
			}
			var r io.Reader = f
			if isTerminal(f) {
				// /dev/stdin or /dev/tty on a terminal: as for "-".
				fmt.Fprintln(stderr, pasteHint)
				r = &terminalInput{r: f}
			}
			br := bufio.NewReaderSize(r, 64<<10)
			if in.opened == nil {
				in.opened = make(map[string]io.Reader)
			}
			in.opened[p] = br
			in.files = append(in.files, f)
			in.scan = isMultiMessage(br) || in.scan
		}
	}
	return in
}

// isMultiMessageFile reports whether the regular file at path holds
// content that may hold several messages.
func isMultiMessageFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return isMultiMessage(bufio.NewReaderSize(f, 4096))
}

func isMultiMessage(br *bufio.Reader) bool {
	f, _ := mailbox.Detect(br)
	return f == mailbox.FormatMbox || f == mailbox.FormatMboxCL2 || f == mailbox.FormatGzip
}
