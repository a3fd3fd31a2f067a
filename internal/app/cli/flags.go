package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authlens/authlens"
)

// config holds the flags shared by the main analysis.
type config struct {
	format  format
	color   string
	trust   []string
	version bool
	help    bool
	batch   batchConfig
	online  onlineConfig
}

// newFlagSet returns the main command's flags, writing errors to stderr.
func newFlagSet(cfg *config, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet("authlens", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	cfg.format = formatText
	fs.Var(formatValue{&cfg.format, []format{formatText, formatJSON, formatCSV}}, "format", "output format: text, json (JSON Lines, one object per message) or csv")
	fs.StringVar(&cfg.color, "color", "auto", "colour the text report: auto, always or never (NO_COLOR is honoured)")
	fs.StringSliceVar(&cfg.trust, "trust", nil, "trust Authentication-Results from these receivers (authserv-id or parent domain; repeatable or comma-separated)")
	addBatchFlags(fs, &cfg.batch)
	// A size takes a unit: "64MiB" rather than 67108864.
	if f := fs.Lookup("max-message-size"); f != nil {
		f.Value = sizeValue{&cfg.batch.maxMessageSize}
		f.DefValue = f.Value.String()
		f.Usage = "largest message analysed, in bytes or with a unit (KB, KiB, MB, MiB, GB, GiB); larger ones are reported as errors"
	}
	addOnlineFlags(fs, &cfg.online)
	fs.BoolVar(&cfg.version, "version", false, "print the version and exit")
	fs.BoolVarP(&cfg.help, "help", "h", false, "show this help")
	fs.Usage = func() {}
	return fs
}

// analyzeOptions returns the library options the flags ask for.
func (c *config) analyzeOptions() authlens.Options {
	opts := authlens.Options{TrustedAuthServIDs: c.trust}
	c.online.apply(&opts)
	return opts
}

func (c *config) validate() error {
	switch c.color {
	case "auto", "always", "never":
	default:
		return usageError(fmt.Sprintf("--color must be auto, always or never, not %q", c.color))
	}
	for _, t := range c.trust {
		if strings.TrimSpace(t) == "" {
			return usageError("--trust needs a receiver name")
		}
	}
	if err := c.batch.validate(); err != nil {
		return err
	}
	return c.online.validate()
}

const usageText = `authlens tells whether an email really comes from who it claims to be, and why.

Usage:
  authlens [flags] FILE|DIR|- ...
  authlens COMMAND [flags] ...

It reads each message (a whole .eml, only its headers pasted from a mail
client, or every message of a folder, mbox, Maildir or gzip file) and reports
the verdict of the receiver that handled it: SPF, DKIM and DMARC results with
alignment recomputed against the From domain, ARC, Microsoft 365's compauth
verdict explained, and findings on what looks wrong. No network access is
needed unless --online is given.

Commands (authlens COMMAND --help for each):
%s
Examples:
  authlens message.eml                 report on one message
  pbpaste | authlens -                 headers pasted from a mail client
  authlens --format json *.eml         one JSON object per message (JSON Lines)
  authlens --trust mx.example.com m.eml  trust only your own receiver's results
  authlens --online m.eml              re-check SPF, DKIM, DMARC and ARC over DNS
  authlens --summary ~/Maildir         one line per message, then a summary

Flags:
%s
Exit codes:
  0  every input was analysed (whatever the verdict)
  1  some input could not be analysed, or a message matched --fail-on
  2  bad flags or arguments
`
