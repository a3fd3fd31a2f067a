package cli

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/authlens/authlens/internal/textsafe"
	"github.com/authlens/authlens/spf"
)

const spfUsage = `Check SPF (RFC 7208) for a client, over DNS, and explain the result.

Usage:
  authlens spf --ip IP (--mail-from ADDR | --helo NAME) [flags]

Every record evaluated, every term tried and every DNS query is shown, with
the lookup count against the limit of 10.

Examples:
  authlens spf --ip 203.0.113.7 --mail-from bounce@example.com --helo mail.example.com
  authlens spf --ip 2001:db8::25 --helo mail.example.com          # null sender: checks the HELO
  authlens spf --ip 192.0.2.10 --mail-from a@example.com --dns-zone testdata/online.zone

Flags:
%s`

// spfJSON is the JSON form of an SPF check.
type spfJSON struct {
	Result      string          `json:"result"`
	Domain      string          `json:"domain"`
	Sender      string          `json:"sender"`
	Summary     string          `json:"summary"`
	Explanation string          `json:"explanation,omitempty"`
	Error       string          `json:"error,omitempty"`
	Lookups     int             `json:"lookups"`
	VoidLookups int             `json:"void_lookups"`
	Records     []spfRecordJSON `json:"records"`
	Queries     []spfQueryJSON  `json:"queries"`
}

type spfRecordJSON struct {
	Domain string        `json:"domain"`
	Via    string        `json:"via,omitempty"`
	Record string        `json:"record"`
	Result string        `json:"result"`
	Terms  []spfTermJSON `json:"terms"`
}

type spfTermJSON struct {
	Term    string `json:"term"`
	Outcome string `json:"outcome"`
	Detail  string `json:"detail,omitempty"`
}

type spfQueryJSON struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Class   string `json:"class"`
	Answers int    `json:"answers"`
}

func runSPF(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	sf := newSubFlags("spf", stderr, true)
	ipFlag := sf.fs.String("ip", "", "the SMTP client's IP address")
	mailFrom := sf.fs.String("mail-from", "", "the MAIL FROM address (empty: null sender, postmaster@HELO is checked)")
	helo := sf.fs.String("helo", "", "the HELO/EHLO name")
	if len(args) == 0 {
		// Nothing to check: show how, as --help does, on stderr.
		fmt.Fprintf(stderr, spfUsage, sf.fs.FlagUsages())
		return &exitError{code: exitUsage}
	}
	if done, err := sf.parse(args, spfUsage, stdout); done || err != nil {
		return err
	}
	if *ipFlag == "" {
		return usageError("name the SMTP client's address with --ip (see authlens spf --help)")
	}
	ip, err := netip.ParseAddr(*ipFlag)
	if err != nil {
		return usageError(fmt.Sprintf("--ip must be an IPv4 or IPv6 address, not %q", *ipFlag))
	}
	if *mailFrom == "" && *helo == "" {
		return usageError("name --mail-from or --helo")
	}
	if sf.fs.NArg() > 0 {
		return usageError(fmt.Sprintf("unexpected argument %q (see authlens spf --help)", sf.fs.Arg(0)))
	}
	if err := sf.resolver(); err != nil {
		return err
	}
	res := spf.Check(ctx, sf.dns.resolver, spf.Args{IP: ip, MailFrom: *mailFrom, HELO: *helo})
	out := spfJSON{Result: string(res.Status), Domain: res.Domain, Sender: res.Sender, Summary: res.Explain(),
		Explanation: res.Explanation, Lookups: res.Trace.Lookups, VoidLookups: res.Trace.VoidLookups,
		Records: []spfRecordJSON{}, Queries: []spfQueryJSON{}}
	if res.Err != nil {
		out.Error = res.Err.Error()
	}
	for _, r := range res.Trace.Records {
		rj := spfRecordJSON{Domain: r.Domain, Via: r.Via, Record: r.Record, Result: string(r.Status), Terms: []spfTermJSON{}}
		for _, t := range r.Terms {
			rj.Terms = append(rj.Terms, spfTermJSON{Term: t.Term, Outcome: string(t.Outcome), Detail: t.Detail})
		}
		out.Records = append(out.Records, rj)
	}
	for _, q := range res.Trace.Queries {
		out.Queries = append(out.Queries, spfQueryJSON{Name: q.Name, Type: q.Type, Class: string(q.Class), Answers: q.Answers})
	}
	if sf.format == formatJSON {
		return writeJSON(stdout, out)
	}
	fmt.Fprintf(stdout, "%s\n", textsafe.Clean(out.Summary))
	if out.Explanation != "" {
		fmt.Fprintf(stdout, "  The domain explains: %s\n", textsafe.Clean(out.Explanation))
	}
	for _, r := range out.Records {
		via := ""
		if r.Via != "" {
			via = " (via " + textsafe.Clean(r.Via) + ")"
		}
		fmt.Fprintf(stdout, "\n  %s%s: %s\n", textsafe.Clean(r.Domain), via, textsafe.Clean(orNone(r.Record)))
		for _, t := range r.Terms {
			detail := ""
			if t.Detail != "" {
				detail = "  " + textsafe.Clean(t.Detail)
			}
			fmt.Fprintf(stdout, "    %-10s %s%s\n", t.Outcome, textsafe.Clean(t.Term), detail)
		}
	}
	if len(out.Queries) > 0 {
		fmt.Fprintf(stdout, "\n  DNS queries (%d of 10 lookups, %d void):\n", out.Lookups, out.VoidLookups)
		for _, q := range out.Queries {
			fmt.Fprintf(stdout, "    %-5s %-40s %s\n", q.Type, textsafe.Clean(q.Name), strings.ToUpper(q.Class))
		}
	}
	return nil
}
