package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// subFlags is the flag set of a subcommand with the flags all of them
// share: --format and the DNS flags.
type subFlags struct {
	fs     *pflag.FlagSet
	format format
	help   bool
	dns    onlineConfig
	stderr io.Writer
}

func newSubFlags(name string, stderr io.Writer, dns bool) *subFlags {
	s := &subFlags{fs: pflag.NewFlagSet("authlens "+name, pflag.ContinueOnError), stderr: stderr}
	s.fs.SetOutput(stderr)
	s.fs.SortFlags = false
	s.fs.Usage = func() {}
	s.format = formatText
	s.fs.Var(formatValue{&s.format, []format{formatText, formatJSON}}, "format", "output format: text or json")
	if dns {
		addDNSFlags(s.fs, &s.dns)
	}
	s.fs.BoolVarP(&s.help, "help", "h", false, "show this help")
	return s
}

// parse parses args; done is true when help was printed.
func (s *subFlags) parse(args []string, usage string, stdout io.Writer) (done bool, err error) {
	if err := s.fs.Parse(args); err != nil {
		return false, usageError(fmt.Sprintf("%v (see %s --help)", err, s.fs.Name()))
	}
	if s.help {
		fmt.Fprintf(stdout, usage, s.fs.FlagUsages())
		return true, nil
	}
	s.dns.dmarcMode = "bis"
	if err := s.dns.validate(); err != nil {
		return false, err
	}
	return false, nil
}

// resolver opens the resolver the DNS flags ask for.
// A notice goes to standard error if DNS becomes unreachable.
func (s *subFlags) resolver() error {
	if err := s.dns.open(); err != nil {
		return err
	}
	s.dns.notice.attach(s.stderr)
	return nil
}

// writeJSON writes v as one line of JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// bytesReader reads a message held in memory.
func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// joinList joins names for display.
func joinList(l []string) string { return strings.Join(l, ",") }
