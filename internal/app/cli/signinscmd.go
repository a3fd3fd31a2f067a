package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/authlens/authlens/internal/textsafe"
	"github.com/authlens/authlens/signins"
)

const signinsUsage = `Find legacy authentication and password sprays in Microsoft Entra sign-in logs.

Usage:
  authlens signins [flags] FILE|DIR|- ...

It reads sign-in exports, recognised by content, several at once: the
portal's Download (CSV or JSON, interactive and non-interactive files),
Microsoft Graph JSON (pages or an array), Azure Monitor records (diagnostic
settings, one per line or in {"records": [...]}), and Log Analytics
SigninLogs exports (CSV or JSON). A directory is read whole (its .csv,
.json, .jsonl, .ndjson and .log files).

It reports legacy authentication (IMAP4, POP3, SMTP AUTH, ActiveSync, other
clients) per account and client app, apart from attack traffic; password
sprays (an address failing against --spray-accounts accounts within
--spray-window, or --slow-accounts within --slow-window; an account failing
from --distributed-addresses addresses within --distributed-window), with
the accounts whose password was accepted from a spraying address; and what
a "Block legacy authentication" policy would stop, with report-only results
and the daily count of blocks on legacy clients.

Examples:
  authlens signins InteractiveSignIns_*.csv NonInteractiveSignIns_*.csv
  authlens signins --since 2026-03-05 --format json exports/
  authlens signins --format csv signins.json > legacy.csv

Flags:
%s
Exit codes:
  0  every input was read
  1  some input could not be read (the report covers the rest)
  2  bad flags or arguments
`

// signinsConfig holds the signins flags.
type signinsConfig struct {
	format              format
	color, since, until string
	opts                signins.Options
	help                bool
}

func newSigninsFlags(c *signinsConfig, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet("authlens signins", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {}
	c.format = formatText
	fs.Var(formatValue{&c.format, []format{formatText, formatJSON, formatCSV}}, "format", "output format: text, json (one object) or csv (one row per legacy account and client app)")
	fs.StringVar(&c.color, "color", "auto", "colour the text report: auto, always or never (NO_COLOR is honoured)")
	fs.StringVar(&c.since, "since", "", "only sign-ins at or after this time (2026-03-05 or RFC 3339, UTC)")
	fs.StringVar(&c.until, "until", "", "only sign-ins before this time")
	fs.IntVar(&c.opts.SprayAccounts, "spray-accounts", signins.DefaultSprayAccounts, "a spray: an address failing against this many accounts…")
	fs.DurationVar(&c.opts.SprayWindow, "spray-window", signins.DefaultSprayWindow, "…within this time")
	fs.IntVar(&c.opts.SlowAccounts, "slow-accounts", signins.DefaultSlowAccounts, "a low-and-slow spray: an address failing against this many accounts…")
	fs.DurationVar(&c.opts.SlowWindow, "slow-window", signins.DefaultSlowWindow, "…within this time")
	fs.IntVar(&c.opts.DistributedAddresses, "distributed-addresses", signins.DefaultDistributedAddresses, "a distributed spray: an account failing from this many addresses…")
	fs.DurationVar(&c.opts.DistributedWindow, "distributed-window", signins.DefaultDistributedWindow, "…within this time")
	fs.BoolVarP(&c.help, "help", "h", false, "show this help")
	return fs
}

func (c *signinsConfig) validate() error {
	switch c.color {
	case "auto", "always", "never":
	default:
		return usageError(fmt.Sprintf("--color must be auto, always or never, not %q", c.color))
	}
	for _, tf := range []struct {
		name, v string
		t       *time.Time
	}{{"--since", c.since, &c.opts.Since}, {"--until", c.until, &c.opts.Until}} {
		if tf.v == "" {
			continue
		}
		t, ok := signins.ParseTimeFlag(tf.v)
		if !ok {
			return usageError(fmt.Sprintf("%s %q is not a date (2026-03-05) or an RFC 3339 time", tf.name, tf.v))
		}
		*tf.t = t
	}
	if c.opts.SprayAccounts < 2 || c.opts.SlowAccounts < 2 || c.opts.DistributedAddresses < 2 {
		return usageError("--spray-accounts, --slow-accounts and --distributed-addresses must be at least 2")
	}
	if c.opts.SprayWindow <= 0 || c.opts.SlowWindow <= 0 || c.opts.DistributedWindow <= 0 {
		return usageError("the spray windows must be positive durations, such as 20m or 24h")
	}
	return nil
}

func runSignins(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c signinsConfig
	fs := newSigninsFlags(&c, stderr)
	if err := fs.Parse(args); err != nil {
		return usageError(fmt.Sprintf("%v (see authlens signins --help)", err))
	}
	if c.help {
		fmt.Fprintf(stdout, signinsUsage, fs.FlagUsages())
		return nil
	}
	if err := c.validate(); err != nil {
		return err
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		if isTerminal(stdin) {
			return usageError("no input: name a sign-in export FILE or DIR, or - for standard input (see authlens signins --help)")
		}
		inputs = []string{"-"}
	}
	a := signins.NewAnalyzer(c.opts)
	failed := 0
	fail := func(err error) {
		failed++
		fmt.Fprintf(stderr, "authlens signins: %s\n", textsafe.Clean(err.Error()))
	}
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if in == "-" {
			if _, err := a.ReadFrom(ctx, stdin, "-"); err != nil {
				fail(err)
			}
			continue
		}
		files, err := signinFiles(in)
		if err != nil {
			fail(err)
			continue
		}
		for _, name := range files {
			if err := readSigninFile(ctx, a, name); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				fail(err)
			}
		}
	}
	r := a.Report()
	var err error
	switch c.format {
	case formatJSON:
		err = writeJSON(stdout, r)
	case formatCSV:
		err = writeSigninsCSV(stdout, r)
	default:
		bw := bufio.NewWriter(stdout)
		printSignins(bw, r, useColor(c.color, stdout))
		err = bw.Flush()
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("%d input(s) could not be read", failed)}
	}
	return nil
}

func readSigninFile(ctx context.Context, a *signins.Analyzer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = a.ReadFrom(ctx, f, name)
	return err
}

// signinExts are the file names read from a directory.
var signinExts = []string{".csv", ".json", ".jsonl", ".ndjson", ".log"}

// signinFiles expands a path: a file is itself; a directory gives its
// export files, recursively (Azure storage nests y=/m=/d=/h= folders), in
// name order, hidden ones left out.
func signinFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && slices.Contains(signinExts, strings.ToLower(filepath.Ext(p))) {
			out = append(out, p)
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("%s: no sign-in export (%s) in the directory", path, strings.Join(signinExts, ", "))
	}
	return out, err
}

// signinsCSVColumns is the header of --format csv.
var signinsCSVColumns = []string{"user", "client_app", "sign_ins", "accepted", "successes", "blocked", "failures", "first", "last", "ips"}

func writeSigninsCSV(w io.Writer, r *signins.Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(signinsCSVColumns); err != nil {
		return err
	}
	for _, l := range r.Legacy {
		ips := make([]string, len(l.IPs))
		for i, ip := range l.IPs {
			ips[i] = csvCell(ip)
		}
		row := []string{csvCell(l.User), csvCell(l.ClientApp), strconv.Itoa(l.SignIns), strconv.Itoa(l.Accepted),
			strconv.Itoa(l.Successes), strconv.Itoa(l.Blocked), strconv.Itoa(l.Failures),
			l.First.Format(time.RFC3339), l.Last.Format(time.RFC3339), strings.Join(ips, " ")}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

const minuteUTC = "2006-01-02 15:04"

// printSignins writes the text report: legacy use per protocol, sprays,
// compromised accounts, then readiness. Every value taken from the logs
// passes through textsafe.Clean.
func printSignins(w io.Writer, r *signins.Report, color bool) {
	t := &textReporter{w: w, color: color}
	clean := textsafe.Clean
	files := map[string]bool{}
	for _, f := range r.Files {
		files[f.Name] = true
	}
	if r.SignIns == 0 {
		t.printf("No sign-ins read from %d file(s).\n", len(files))
	} else {
		t.printf("%d sign-ins (%d legacy) from %d file(s), %s to %s UTC\n", r.SignIns, r.LegacySignIns, len(files),
			r.First.Format(minuteUTC), r.Last.Format(minuteUTC))
	}
	if r.OutsideRange > 0 {
		t.printf("%d sign-ins outside --since/--until left out\n", r.OutsideRange)
	}
	if len(r.Skipped) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(r.Skipped)) {
			parts = append(parts, fmt.Sprintf("%d %s", r.Skipped[k], k))
		}
		t.printf("%s\n", t.paint(sgrYellow, "Rows that could not be read: "+strings.Join(parts, ", ")))
	}

	t.printf("\n%s\n", t.paint(sgrBold, "Legacy authentication (attack traffic left out)"))
	if len(r.Legacy) == 0 {
		t.printf("  none\n")
	}
	for i, l := range r.Legacy {
		if i == 0 || l.ClientApp != r.Legacy[i-1].ClientApp {
			n := 0
			for _, m := range r.Legacy[i:] {
				if m.ClientApp != l.ClientApp {
					break
				}
				n++
			}
			t.printf("\n%s (%d account(s))\n", clean(orNone(l.ClientApp)), n)
			t.printf("  %7s %8s %7s %6s  %-16s  %-34s %s\n", "Count", "Accepted", "Blocked", "Failed", "Last (UTC)", "User", "Addresses")
		}
		ips := make([]string, 0, 3)
		for _, ip := range l.IPs[:min(3, len(l.IPs))] {
			ips = append(ips, clean(ip))
		}
		more := ""
		if len(l.IPs) > 3 {
			more = fmt.Sprintf(" +%d", len(l.IPs)-3)
		}
		t.printf("  %7d %8d %7d %6d  %-16s  %-34s %s%s\n", l.SignIns, l.Accepted, l.Blocked, l.Failures,
			l.Last.Format(minuteUTC), clip(clean(l.User), 34), strings.Join(ips, ", "), more)
	}

	t.printf("\n%s\n", t.paint(sgrBold, "Password sprays"))
	if len(r.Sprays) == 0 {
		t.printf("  none\n")
	}
	for _, s := range r.Sprays {
		from := clean(s.IP)
		if s.Kind == signins.SprayDistributed {
			from = fmt.Sprintf("%d addresses (%s … %s)", len(s.IPs), clean(s.IPs[0]), clean(s.IPs[len(s.IPs)-1]))
		}
		apps := make([]string, len(s.ClientApps))
		for i, a := range s.ClientApps {
			apps[i] = clean(a)
		}
		t.printf("  %s  %s, %s, %s\n", t.paint(sgrYellow, from), s.Kind, strings.Join(apps, ", "), clean(orNone(s.Location)))
		peak := fmt.Sprintf("up to %d accounts within %s", s.Peak, s.Window)
		if s.Kind == signins.SprayDistributed {
			peak = fmt.Sprintf("up to %d addresses per account within %s", s.Peak, s.Window)
		}
		t.printf("    %s to %s UTC: %d account(s) (%s), %d failures, %d lockouts, %d successes\n",
			s.First.Format(minuteUTC), s.Last.Format(minuteUTC), s.Users, peak, s.Failures, s.Lockouts, s.Successes)
		if len(s.Compromised) > 0 {
			var names []string
			for _, c := range s.Compromised {
				names = append(names, clean(c.User))
			}
			t.printf("    %s\n", t.paint(sgrRed, "password accepted: "+strings.Join(names, ", ")))
		}
	}

	if len(r.Compromised) > 0 {
		t.printf("\n%s\n", t.paint(sgrBold+sgrRed, "Compromised accounts (password accepted from a spraying address)"))
		for _, c := range r.Compromised {
			t.printf("  %s\n", t.paint(sgrRed, fmt.Sprintf("%-34s %s from %s at %s UTC (%s)", clean(c.User), clean(orNone(c.ClientApp)),
				clean(c.IP), c.At.Format(minuteUTC), codeText(c.ErrorCode))))
		}
		t.printf("  Reset their passwords, revoke their sessions, and check their mailbox rules and sign-ins.\n")
	}

	rd := r.Readiness
	t.printf("\n%s\n", t.paint(sgrBold, `Readiness for "Block legacy authentication"`))
	if len(rd.WouldStop) == 0 {
		t.printf("  It would stop no account that signs in today.\n")
	} else {
		t.printf("  It would stop %d account(s) that still sign in with legacy authentication:\n", len(rd.WouldStop))
		for _, e := range rd.WouldStop {
			t.printf("    %-34s %-24s %d successes, last %s UTC\n", clip(clean(e.User), 34), clip(clean(e.ClientApp), 24), e.Successes, e.LastSuccess.Format(minuteUTC))
		}
	}
	if len(rd.AlreadyBlocked) > 0 {
		t.printf("  Already blocked:\n")
		for _, e := range rd.AlreadyBlocked {
			t.printf("    %-34s %-24s %d blocked since %s UTC\n", clip(clean(e.User), 34), clip(clean(e.ClientApp), 24), e.Blocked, e.BlockedSince.Format(minuteUTC))
		}
	}
	if len(rd.Advice) > 0 {
		t.printf("  What to move to first:\n")
	}
	for _, ad := range rd.Advice {
		t.printf("    %s (%d): %s\n", clean(ad.ClientApp), len(ad.Accounts), ad.Advice)
	}
	for _, ro := range rd.ReportOnly {
		t.printf("  Report-only %q: would block %d legacy sign-in(s) of %d account(s), would interrupt %d\n",
			clean(ro.Policy), ro.WouldBlock, len(ro.Users), ro.WouldInterrupt)
	}
	if len(r.BlocksByDay) > 0 {
		t.printf("  Legacy sign-ins and blocks per day (UTC):\n")
		for _, d := range r.BlocksByDay {
			t.printf("    %s  %7d legacy  %6d blocked\n", d.Day, d.Legacy, d.Blocked)
		}
	}
}

// codeText names the error codes a compromise shows.
func codeText(code int) string {
	switch signins.ClassifyCode(code) {
	case signins.OutcomeSuccess:
		return "signed in"
	case signins.OutcomeBlocked:
		return fmt.Sprintf("%d: password right, blocked by Conditional Access", code)
	}
	return fmt.Sprintf("%d: password right, stopped after it", code)
}
