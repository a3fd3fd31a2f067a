package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/mailbox"
)

// analyzeAll analyses every message of every input — files, directories,
// mailboxes, "-" — in input order, and hands each report to emit. Every
// message, and every input that yields none, produces exactly one report.
func analyzeAll(ctx context.Context, inputs []string, stdin io.Reader, opts authlens.Options, emit func(*authlens.Report) error) (total, failed int, err error) {
	sc := mailbox.Open(ctx, inputs, mailbox.Options{Stdin: stdin})
	defer sc.Close()
	for sc.Next() {
		m := sc.Message()
		rep := analyzeMessage(ctx, m, opts)
		total++
		if rep.Error != "" {
			failed++
		}
		if err := emit(rep); err != nil {
			return total, failed, err
		}
	}
	return total, failed, sc.Err()
}

// analyzeMessage analyses one message read by the mailbox scanner.
func analyzeMessage(ctx context.Context, m *mailbox.Message, opts authlens.Options) *authlens.Report {
	opts.Source = m.Location.String()
	if m.Err != nil && m.Data == nil {
		return errorReport(opts.Source, locate(m, m.Err))
	}
	rep, _ := authlens.Analyze(ctx, bytes.NewReader(m.Data), opts)
	if m.Err != nil && rep.Error == "" {
		// A truncated or damaged message: analysed as far as it goes, and
		// reported as not fully analysable.
		rep.Error = locate(m, m.Err).Error()
	}
	return rep
}

// locate adds the byte offset of a message inside a multi-message file.
func locate(m *mailbox.Message, err error) error {
	if m.Location.Index > 0 {
		return fmt.Errorf("%w (message %d at byte %d)", err, m.Location.Index, m.Location.Offset)
	}
	return err
}
