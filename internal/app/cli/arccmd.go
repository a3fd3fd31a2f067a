package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/textsafe"
)

const arcUsage = `Show and validate a message's ARC chain (RFC 8617).

Usage:
  authlens arc [flags] FILE|DIR|- ...

Inputs are read as by the main command: message files, folders, mbox
files, Maildirs, gzip files, or - for standard input; one result per
message.

Each ARC set is shown with its sealer and what that hop saw (its
ARC-Authentication-Results: SPF, DKIM, DMARC), and the chain's validity:
instance numbering, the cv= progression, body hashes. --online also
verifies every seal and message signature over DNS.

Examples:
  authlens arc forwarded.eml
  authlens arc --online --arc-trust google.com forwarded.eml

Flags:
%s`

// arcMessageJSON is the JSON form of one message's ARC chain.
type arcMessageJSON struct {
	Source   string              `json:"source"`
	Error    string              `json:"error,omitempty"`
	ARC      *authlens.ARCReport `json:"arc"`
	Findings []finding.Finding   `json:"findings"`
}

func runARC(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sf := newSubFlags("arc", stderr, true)
	online := sf.fs.Bool("online", false, "verify seals and message signatures over DNS")
	trust := sf.fs.StringSlice("arc-trust", nil, "ARC sealers (d= domains) trusted to vouch for forwarded mail")
	if done, err := sf.parse(args, arcUsage, stdout); done || err != nil {
		return err
	}
	if sf.fs.NArg() == 0 {
		return usageError("name a message FILE, or - for standard input")
	}
	opts := authlens.Options{ARCTrustedSealers: *trust}
	if *online {
		if err := sf.resolver(); err != nil {
			return err
		}
		opts.Resolver = sf.dns.resolver
	}
	failed, total := 0, 0
	err := eachMessage(ctx, sf.fs.Args(), stdin, func(source string, data []byte, err error) error {
		total++
		out := arcMessageJSON{Source: source, Findings: []finding.Finding{}}
		if err == nil {
			var rep *authlens.Report
			opts.Source = source
			rep, err = authlens.AnalyzeBytes(ctx, data, opts)
			if err == nil {
				out.ARC = rep.ARC
				for _, f := range rep.Findings {
					if strings.HasPrefix(string(f.Code), "arc-") {
						out.Findings = append(out.Findings, f)
					}
				}
			}
		}
		if err != nil {
			out.Error = err.Error()
			failed++
		}
		if sf.format == formatJSON {
			return writeJSON(stdout, out)
		}
		printARC(stdout, out)
		return nil
	})
	if err != nil {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("stopped after %d message(s): %v", total, err)}
	}
	if failed > 0 {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("%d of %d message(s) could not be read", failed, total)}
	}
	return nil
}

func printARC(w io.Writer, m arcMessageJSON) {
	fmt.Fprintf(w, "%s\n", textsafe.Clean(m.Source))
	switch {
	case m.Error != "":
		fmt.Fprintf(w, "  ERROR %s\n", textsafe.Clean(m.Error))
		return
	case m.ARC == nil:
		fmt.Fprintf(w, "  no ARC set\n")
		return
	}
	a := m.ARC
	fmt.Fprintf(w, "  chain %s (checked %s)", a.Result, a.Checked)
	if a.Explanation != "" {
		fmt.Fprintf(w, ": %s", textsafe.Clean(a.Explanation))
	}
	fmt.Fprintln(w)
	for _, s := range a.Sets {
		seal := ""
		if s.SealVerified != nil {
			seal = fmt.Sprintf(", seal %s, signature %s", okText(*s.SealVerified), okText(*s.SignatureVerified))
		}
		body := "not checked"
		if s.BodyIntact != nil {
			body = map[bool]string{true: "intact", false: "changed since"}[*s.BodyIntact]
		}
		fmt.Fprintf(w, "  i=%d sealed by %s (s=%s) cv=%s, body %s%s\n", s.Instance, textsafe.Clean(s.Sealer), textsafe.Clean(s.Selector), s.CV, body, seal)
		fmt.Fprintf(w, "      %s saw: spf=%s (%s) dkim=%s (%s) dmarc=%s (%s) arc=%s\n", textsafe.Clean(orNone(s.Saw.AuthservID)),
			orNone(s.Saw.SPF), textsafe.Clean(orNone(s.Saw.MailFrom)), orNone(s.Saw.DKIM), textsafe.Clean(orNone(joinList(s.Saw.DKIMDomains))),
			orNone(s.Saw.DMARC), textsafe.Clean(orNone(s.Saw.HeaderFrom)), orNone(s.Saw.ARC))
	}
	for _, f := range m.Findings {
		fmt.Fprintf(w, "  [%s] %s  %s\n", f.Severity, f.Code, textsafe.Clean(f.Message))
	}
}

func okText(ok bool) string {
	if ok {
		return "verified"
	}
	return "NOT verified"
}
