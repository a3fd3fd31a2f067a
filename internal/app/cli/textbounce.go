package cli

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/bounce"
	"github.com/authlens/authlens/internal/textsafe"
)

// maxDiagnostic bounds how much of a server's reply the text report shows.
const maxDiagnostic = 400

// bounceReport prints a delivery failure report: each recipient with its
// codes, the server's reply, what the failure means and what to do, then
// the returned message's identity. Everything from the report passes
// through textsafe.Clean: a remote server wrote it.
func (t *textReporter) bounceReport(r *authlens.Report) {
	b := r.Bounce
	if b == nil {
		return
	}
	head := "Delivery failure report (" + string(b.Kind)
	if b.Generator != bounce.GeneratorUnknown {
		head += ", " + string(b.Generator)
	}
	head += ")"
	if b.ReportingMTA != "" {
		head += " from " + textsafe.Clean(b.ReportingMTA)
	}
	t.printf("\n  %s\n", head)
	if b.Error != "" {
		t.printf("  %-10s %s\n", "", t.paint(sgrYellow, textsafe.Clean(b.Error)))
	}
	for _, rc := range b.Recipients {
		e := rc.Explanation
		codes := strings.TrimSpace(fmt.Sprintf("%s %s", replyText(rc.ReplyCode), rc.Status))
		if codes == "" {
			codes = "no code"
		}
		label := "other"
		colour := sgrDim
		if e.Auth {
			label, colour = "auth: "+string(e.Category), sgrRed
			if e.Temporary {
				colour = sgrYellow
			}
		}
		if !e.Known {
			label = "unknown code"
		}
		t.printf("  %-10s %s  %s  %s  [%s]\n", "recipient", textsafe.Clean(orNone(rc.Address)), textsafe.Clean(orNone(rc.Action)), codes, t.paint(colour, label))
		if rc.RemoteMTA != "" {
			t.printf("  %-10s remote server %s\n", "", textsafe.Clean(rc.RemoteMTA))
		}
		if rc.Diagnostic != "" {
			t.printf("  %-10s server said: %s\n", "", clip(textsafe.Clean(rc.Diagnostic), maxDiagnostic))
		}
		t.printf("  %-10s %s\n", "", t.paint(sgrBold, e.Summary))
		t.printf("  %-10s %s\n", "", e.Meaning)
		for _, a := range e.Actions {
			t.printf("  %-10s - %s\n", "", a)
		}
	}
	if o := b.Original; o != nil {
		line := fmt.Sprintf("From %s, To %s, Subject %s", textsafe.Clean(orNone(o.From)), textsafe.Clean(orNone(o.To)), textsafe.Clean(orNone(o.Subject)))
		t.printf("  %-10s %s\n", "original", line)
		if o.Recorded != "" {
			t.printf("  %-10s recorded %s\n", "", clip(textsafe.Clean(o.Recorded), maxDiagnostic))
		}
	}
}

// replyText writes a reply code, "" for none.
func replyText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}
