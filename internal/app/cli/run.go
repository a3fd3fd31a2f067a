// Package cli is the authlens command line: flags, inputs and output. It
// holds no protocol logic; everything it reports comes from the library.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
)

// Run runs the authlens command with args (without the program name).
// A non-nil error may carry an exit code (ExitCode() int).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		if cmd, ok := commands()[args[0]]; ok {
			return cmd.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	return runAnalyze(ctx, args, stdin, stdout, stderr)
}

// command is a subcommand of authlens.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

// commands returns the subcommand table.
func commands() map[string]command {
	return map[string]command{
		"compauth": {summary: "explain a Microsoft 365 compauth reason code", run: runCompauth},
		"spf":      {summary: "check SPF for a client IP and sender, with the full trace", run: runSPF},
		"dmarc":    {summary: "find and audit a domain's DMARC policy", run: runDMARC},
		"dkim":     {summary: "verify DKIM signatures and explain each", run: runDKIM},
		"arc":      {summary: "show and validate the ARC chain", run: runARC},
		"serve":    {summary: "serve the web page: paste headers, see the verdict (local only)", run: runServe},
		"signins":  {summary: "legacy authentication and password spray in Entra sign-in logs", run: runSignins},
	}
}

// commandList lists the subcommands with their summaries, sorted.
func commandList() string {
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, cmds[n].summary)
	}
	return b.String()
}

// runAnalyze is the main job: analyse each input message and report.
func runAnalyze(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet(&cfg, stderr)
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error() + " (see authlens --help)")
	}
	if cfg.help {
		fmt.Fprintf(stdout, usageText, commandList(), fs.FlagUsages())
		return nil
	}
	if cfg.version {
		fmt.Fprintln(stdout, "authlens", version())
		return nil
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if cfg.online.online {
		if err := cfg.online.open(); err != nil {
			return err
		}
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		if isTerminal(stdin) {
			return usageError("no input: name a message FILE, or - to read standard input (see authlens --help)")
		}
		inputs = []string{"-"}
	}
	if isTerminal(stdin) && slices.Contains(inputs, "-") {
		fmt.Fprintln(stderr, pasteHint)
		stdin = &terminalInput{r: stdin}
	}
	if isTerminal(stdout) && isTerminal(stderr) {
		stdout = &screenWriter{w: stdout}
	}
	res, err := analyzeAll(ctx, cfg, inputs, stdin, stdout, stderr)
	if err != nil {
		return err
	}
	var msgs []string
	if res.failed > 0 {
		msgs = append(msgs, fmt.Sprintf("%d of %d message(s) could not be analysed", res.failed, res.total))
	}
	if res.matched > 0 {
		msgs = append(msgs, fmt.Sprintf("%d of %d message(s) matched --fail-on", res.matched, res.total))
	}
	if len(msgs) > 0 {
		return &exitError{code: exitFailed, msg: strings.Join(msgs, "; ")}
	}
	return nil
}

func errorReport(source string, err error) *authlens.Report {
	return &authlens.Report{Source: source, Error: err.Error(), AuthResults: []authlens.AuthResultsField{}, DKIM: []authlens.DKIMVerdict{}, Findings: []finding.Finding{}}
}

// version says which build the binary is, from the build information the
// go command records (runtime/debug.ReadBuildInfo): the module version
// ("v1.2.0" from go install …@v1.2.0, or the pseudo-version go build
// derives from the repository), else the VCS revision it was built from
// ("0123456789ab+modified, 2026-12-06T01:00:00Z"), else "devel, no version
// or revision recorded" (go run, or a build without VCS stamping).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown: the binary carries no build information"
	}
	return versionOf(bi)
}

// versionOf is version for the build information bi.
func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "devel, no version or revision recorded"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "+modified"
	}
	if at != "" {
		rev += ", " + at
	}
	return rev
}

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f any) bool {
	switch w := f.(type) {
	case *screenWriter:
		f = w.w
	case *terminalInput:
		f = w.r
	}
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
