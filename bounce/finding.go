package bounce

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/textsafe"
)

// Finding codes reported by [Findings].
const (
	// CodeBounce: the message is a delivery failure report.
	CodeBounce finding.Code = "bounce-report"
	// CodeSMTPAuth: a recipient failed because the sending client's SMTP
	// AUTH login failed or was missing.
	CodeSMTPAuth finding.Code = "bounce-smtp-auth-failure"
	// CodeAuth: a receiver rejected the message for failing SPF, DKIM,
	// DMARC or reverse DNS.
	CodeAuth finding.Code = "bounce-auth-failure"
	// CodeUnknownStatus: a status code the explanation table does not
	// know; it is reported, with its generic meaning.
	CodeUnknownStatus finding.Code = "bounce-unknown-status"
)

// maxQuoted bounds how much of a server's reply a finding quotes.
const maxQuoted = 300

// Findings lists what a bounce report says about authentication: one
// finding per authentication failure (medium when permanent, low when
// temporary), one per status the table does not know (info), and one
// summary (info). Text from the report is cleaned of control characters
// and escape sequences.
func Findings(rep *Report) []finding.Finding {
	if rep == nil {
		return nil
	}
	var out []finding.Finding
	auth, unknownStatus := 0, map[string]bool{}
	for _, r := range rep.Recipients {
		e := r.Explanation
		switch {
		case e.Auth:
			auth++
			sev, code := finding.Medium, CodeAuth
			if e.Category == CategorySMTPAuth {
				code = CodeSMTPAuth
			}
			if e.Temporary {
				sev = finding.Low
			}
			msg := fmt.Sprintf("Delivery to %s failed%s: %s. %s", orUnknown(r.Address), codeText(r), e.Summary, e.Meaning)
			if e.Temporary {
				msg += " The failure is temporary: the sending system retries, and gives up only after its queue lifetime."
			}
			if len(e.Actions) > 0 {
				msg += " What to do: " + e.Actions[0]
			}
			if r.Diagnostic != "" {
				msg += fmt.Sprintf(" The server said: %q.", clip(r.Diagnostic, maxQuoted))
			}
			if o := rep.Original; o != nil && o.Recorded != "" && e.Category != CategorySMTPAuth {
				msg += fmt.Sprintf(" The returned header's Authentication-Results record: %s.", clip(o.Recorded, maxQuoted))
			}
			out = append(out, finding.Finding{Severity: sev, Code: code, Message: textsafe.Clean(msg)})
		case !e.Known && r.Status != "" && !unknownStatus[r.Status]:
			unknownStatus[r.Status] = true
			out = append(out, finding.Finding{Severity: finding.Info, Code: CodeUnknownStatus,
				Message: textsafe.Clean(fmt.Sprintf("Delivery to %s failed with status %s, which authlens does not know: %s", orUnknown(r.Address), r.Status, e.Meaning))})
		}
	}
	summary := fmt.Sprintf("The message is a delivery failure report (%s", rep.Kind)
	if rep.Generator != GeneratorUnknown {
		summary += ", written by " + string(rep.Generator)
	}
	if rep.ReportingMTA != "" {
		summary += ", from " + rep.ReportingMTA
	}
	summary += fmt.Sprintf(") for %d recipient%s", len(rep.Recipients), plural(len(rep.Recipients)))
	if auth > 0 {
		summary += fmt.Sprintf(", %d of them failing on authentication", auth)
	} else {
		summary += ", none failing on authentication"
	}
	out = append(out, finding.Finding{Severity: finding.Info, Code: CodeBounce, Message: textsafe.Clean(summary + ".")})
	return out
}

// codeText writes " with 550 5.7.26" for a recipient's codes.
func codeText(r Recipient) string {
	var parts []string
	if r.ReplyCode != 0 {
		parts = append(parts, fmt.Sprint(r.ReplyCode))
	}
	if r.Status != "" {
		parts = append(parts, r.Status)
	}
	if len(parts) == 0 {
		return ""
	}
	return " with " + strings.Join(parts, " ")
}

func orUnknown(s string) string {
	if s == "" {
		return "an unnamed recipient"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// clip shortens s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
