package batch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/mailbox"
)

// errNoReport is reported when a replacement Analyze returns no report.
var errNoReport = errors.New("no report")

// process analyses one task in a worker and, when inWorker, encodes its
// record.
func (c *Config) process(ctx context.Context, t *task, inWorker bool) {
	start := time.Now()
	t.item.Report, t.item.Err = c.analyze(ctx, t.msg)
	t.item.Elapsed = time.Since(start)
	t.msg.Release() // the bytes are no longer needed: the scan may reuse them
	t.msg = nil
	if inWorker {
		c.encode(t)
	}
}

// encode renders the task's record with Config.Encode, if set.
func (c *Config) encode(t *task) {
	if c.Encode == nil {
		return
	}
	var err error
	t.item.Encoded, err = c.Encode(&t.item)
	if err != nil {
		// A report that cannot be rendered is reported as an error
		// record, so the message still appears once in the output.
		err = locateItem(&t.item, fmt.Errorf("%w: %w", ErrEncode, err))
		t.item.Report, t.item.Err = errorReport(t.item.Location.String(), err), err
		t.item.Encoded, t.encErr = c.Encode(&t.item)
	}
	if t.encErr != nil {
		t.encErr = fmt.Errorf("encoding the record for %s: %w", t.item.Location, t.encErr)
	}
}

// analyze returns the record for one mailbox item and, when it could not be
// analysed, why. A panic becomes an error wrapping ErrPanic.
func (c *Config) analyze(ctx context.Context, m *mailbox.Message) (rep *authlens.Report, err error) {
	opts := c.Options
	opts.Source = m.Location.String()
	defer func() {
		if p := recover(); p != nil {
			err = locate(m, fmt.Errorf("%w: %v", ErrPanic, p))
			rep = errorReport(opts.Source, err)
		}
	}()
	if m.Err != nil && m.Data == nil {
		err = locate(m, m.Err)
		return errorReport(opts.Source, err), err
	}
	if c.Analyze != nil {
		rep, err = c.Analyze(ctx, m, opts)
	} else {
		rep, err = authlens.AnalyzeBytes(ctx, m.Data, opts)
	}
	switch {
	case rep == nil:
		if err == nil {
			err = errNoReport
		}
		err = locate(m, err)
		return errorReport(opts.Source, err), err
	case err != nil:
		err = locate(m, err)
		rep.Error = err.Error()
	case m.Err != nil:
		// A truncated or damaged message: analysed as far as it goes,
		// and reported as not fully analysable.
		err = locate(m, m.Err)
		rep.Error = err.Error()
	case rep.Error != "":
		err = errors.New(rep.Error)
	}
	return rep, err
}

// locateItem is locate for an item whose message is gone.
func locateItem(it *Item, err error) error {
	return locate(&mailbox.Message{Location: it.Location}, err)
}

// locate adds the message number and byte offset of a message inside a
// multi-message file.
func locate(m *mailbox.Message, err error) error {
	if m.Location.Index > 0 {
		return fmt.Errorf("%w (message %d at byte %d)", err, m.Location.Index, m.Location.Offset)
	}
	return err
}

// errorReport is the record of an item that could not be analysed.
func errorReport(source string, err error) *authlens.Report {
	return &authlens.Report{Source: source, Error: err.Error(), AuthResults: []authlens.AuthResultsField{}, DKIM: []authlens.DKIMVerdict{}, Findings: []finding.Finding{}}
}
