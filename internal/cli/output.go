package cli

import (
	"encoding/json"
	"io"
	"os"

	"github.com/authlens/authlens"
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
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &jsonReporter{enc: enc}
	}
	return &textReporter{w: w, color: useColor(cfg.color, w)}
}

// jsonReporter writes JSON Lines: one object per message.
type jsonReporter struct{ enc *json.Encoder }

func (j *jsonReporter) report(r *authlens.Report) error { return j.enc.Encode(r) }
func (j *jsonReporter) close() error                    { return nil }

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
