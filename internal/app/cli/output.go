package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/internal/app/batch"
	"github.com/authlens/authlens/internal/app/jsonout"
)

// output writes one output format: a record per message, in the order the
// scan hands them over, then the --summary, then whatever ends the format.
// Every format has one; analyzeAll knows no format.
type output interface {
	// encoder returns the function that renders a record in the analysis
	// workers, or nil when records are rendered in turn by report (the
	// full text report).
	encoder() func(*authlens.Report) ([]byte, error)
	// write writes a record the encoder rendered.
	write(w *bufio.Writer, rec []byte) error
	// report renders and writes the record of r, when encoder is nil.
	report(w *bufio.Writer, r *authlens.Report) error
	// summary writes the --summary; dns is the notice that DNS became
	// unreachable, "" when it did not.
	summary(w *bufio.Writer, stderr io.Writer, s *batch.Summary, failOn bool, matched int, dns string) error
	// close ends the output.
	close(w *bufio.Writer) error
}

// newOutput returns the output of cfg's format. compact chooses one text
// line per message instead of the full report; stdout decides on colour.
func newOutput(cfg config, compact bool, stdout io.Writer) output {
	switch cfg.format {
	case formatJSON:
		return &jsonOutput{free: make(chan []byte, 64)}
	case formatCSV:
		return &csvOutput{}
	}
	color := useColor(cfg.color, stdout)
	if compact {
		return &textOutput{compact: true, color: color}
	}
	return &textOutput{full: &textReporter{w: stdout, color: color}}
}

// jsonOutput writes JSON Lines: one object per message, as encoding/json
// renders a Report (internal/jsonout does it without reflection), then a
// {"summary": …} line. Records are rendered into buffers recycled once
// written, so a scan allocates nothing per record for its output.
type jsonOutput struct{ free chan []byte }

// maxRecordBuffer is the largest buffer kept for reuse; a rare huge record
// is left to the collector.
const maxRecordBuffer = 256 << 10

func (j *jsonOutput) encoder() func(*authlens.Report) ([]byte, error) {
	return func(r *authlens.Report) ([]byte, error) {
		var b []byte
		select {
		case b = <-j.free:
		default:
		}
		return jsonout.AppendReport(b[:0], r), nil
	}
}

func (j *jsonOutput) write(w *bufio.Writer, rec []byte) error {
	_, err := w.Write(rec)
	if cap(rec) <= maxRecordBuffer {
		select {
		case j.free <- rec:
		default:
		}
	}
	return err
}

func (j *jsonOutput) report(w *bufio.Writer, r *authlens.Report) error {
	_, err := w.Write(jsonout.AppendReport(nil, r))
	return err
}

func (j *jsonOutput) summary(w *bufio.Writer, _ io.Writer, s *batch.Summary, failOn bool, matched int, dns string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	sj := newSummaryJSON(s, failOn, matched)
	if dns != "" {
		sj.DNS = &dnsSummaryJSON{Unreachable: true, Message: dns}
	}
	return enc.Encode(struct {
		Summary summaryJSON `json:"summary"`
	}{sj})
}

func (j *jsonOutput) close(*bufio.Writer) error { return nil }

// csvOutput writes one CSV row per message (RFC 4180), after a header row
// that is written even when there is no message. The summary goes to
// standard error, so that standard output stays one table.
type csvOutput struct{ header bool }

func (c *csvOutput) encoder() func(*authlens.Report) ([]byte, error) { return csvRecord }

func (c *csvOutput) write(w *bufio.Writer, row []byte) error {
	if !c.header {
		c.header = true
		cw := csv.NewWriter(w)
		if err := cw.Write(csvColumns); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	_, err := w.Write(row)
	return err
}

func (c *csvOutput) report(w *bufio.Writer, r *authlens.Report) error {
	row, err := csvRecord(r)
	if err != nil {
		return err
	}
	return c.write(w, row)
}

func (c *csvOutput) summary(_ *bufio.Writer, stderr io.Writer, s *batch.Summary, failOn bool, matched int, dns string) error {
	return textSummary(stderr, s, failOn, matched, dns)
}

func (c *csvOutput) close(w *bufio.Writer) error {
	if !c.header {
		return c.write(w, nil)
	}
	return nil
}

// textOutput writes for people: the full report of each message, or one
// line per message (compact: --summary, folders and mailboxes), then the
// summary block.
type textOutput struct {
	compact bool
	color   bool
	full    *textReporter // writes straight to standard output
}

func (t *textOutput) encoder() func(*authlens.Report) ([]byte, error) {
	if !t.compact {
		return nil
	}
	return func(r *authlens.Report) ([]byte, error) { return textLine(r, t.color), nil }
}

func (t *textOutput) write(w *bufio.Writer, line []byte) error {
	_, err := w.Write(line)
	return err
}

func (t *textOutput) report(w *bufio.Writer, r *authlens.Report) error {
	if err := w.Flush(); err != nil {
		return err
	}
	return t.full.report(r)
}

func (t *textOutput) summary(w *bufio.Writer, _ io.Writer, s *batch.Summary, failOn bool, matched int, dns string) error {
	return textSummary(w, s, failOn, matched, dns)
}

func (t *textOutput) close(*bufio.Writer) error {
	if t.full != nil {
		return t.full.close()
	}
	return nil
}

// textSummary writes the summary block, and the DNS notice after it.
func textSummary(w io.Writer, s *batch.Summary, failOn bool, matched int, dns string) error {
	if err := writeTextSummary(w, s, failOn, matched); err != nil {
		return err
	}
	if dns != "" {
		_, err := fmt.Fprintf(w, "  %-13s %s\n", "dns", dns)
		return err
	}
	return nil
}

// useColor decides whether to colour text output: never when NO_COLOR is
// set (https://no-color.org) or the terminal is dumb, unless forced.
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}
