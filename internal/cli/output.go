package cli

import (
	"io"
	"os"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/internal/jsonout"
)

// reporter writes reports in one output format.
type reporter interface {
	report(*authlens.Report) error
	close() error
}

func newReporter(cfg config, w io.Writer) reporter {
	if cfg.format == "csv" {
		return newCSVReporter(w)
	}
	if cfg.format == "json" {
		return &jsonReporter{w: w}
	}
	return &textReporter{w: w, color: useColor(cfg.color, w)}
}

// jsonReporter writes JSON Lines: one object per message, as
// encoding/json renders a Report (internal/jsonout does it without
// reflection).
type jsonReporter struct {
	w   io.Writer
	buf []byte
}

func (j *jsonReporter) report(r *authlens.Report) error {
	j.buf = jsonout.AppendReport(j.buf[:0], r)
	_, err := j.w.Write(j.buf)
	return err
}

func (j *jsonReporter) close() error { return nil }

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
