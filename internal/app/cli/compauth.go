package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/authlens/authlens/compauth"
)

const compauthUsage = `Explain a Microsoft 365 composite authentication (compauth) reason code.

Usage:
  authlens compauth [--result pass|fail|softpass|none] [--format text|json] REASON...

REASON is the three-digit code after "reason=" in Microsoft's
Authentication-Results field, e.g. "compauth=fail reason=001". Each answer
says how sure it is: documented by Microsoft, observed in real headers,
inferred, or unknown.

Examples:
  authlens compauth 001
  authlens compauth --result pass 130 109

Flags:
%s`

func runCompauth(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("authlens compauth", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	result := fs.String("result", "", "the compauth= result written beside the reason")
	format := fs.String("format", "text", "output format: text or json")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error() + " (see authlens compauth --help)")
	}
	if *help {
		fmt.Fprintf(stdout, compauthUsage, fs.FlagUsages())
		return nil
	}
	if *format != "text" && *format != "json" {
		return usageError(fmt.Sprintf("--format must be text or json, not %q", *format))
	}
	if fs.NArg() == 0 {
		return usageError("name a reason code, e.g. authlens compauth 001")
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i, reason := range fs.Args() {
		ex := compauth.Explain(*result, strings.TrimSpace(reason))
		if *format == "json" {
			if err := enc.Encode(ex); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		res := string(ex.Result)
		if res == "" {
			res = "(result not given)"
		}
		fmt.Fprintf(stdout, "compauth=%s reason=%s  [%s]\n", res, ex.Reason, ex.Confidence)
		fmt.Fprintf(stdout, "  %s\n", ex.Meaning)
		if ex.ClassMeaning != "" && ex.ClassMeaning != ex.Meaning {
			fmt.Fprintf(stdout, "  Class %s: %s\n", ex.Class, ex.ClassMeaning)
		}
		if ex.Note != "" {
			fmt.Fprintf(stdout, "  Note: %s\n", ex.Note)
		}
		if len(ex.NextSteps) > 0 {
			fmt.Fprintln(stdout, "  Next steps:")
			for _, s := range ex.NextSteps {
				fmt.Fprintf(stdout, "  - %s\n", s)
			}
		}
	}
	return nil
}
