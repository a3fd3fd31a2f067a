package bounce

import (
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode the charsets notices are written in
)

// parts is what a walk over a bounce's MIME tree collected.
type parts struct {
	text       []string // notification text: text/plain, else text/html made plain
	html       []string
	status     []string // message/delivery-status bodies
	original   string   // the returned message or its header
	hasOrigHdr bool
	err        error
}

// parseContentType returns the lower-case media type and its parameters;
// a value mime cannot parse yields its bare type and no parameters.
func parseContentType(v string) (string, map[string]string) {
	if v == "" {
		return "", nil
	}
	t, params, err := mime.ParseMediaType(v)
	if err != nil {
		t, _, _ = strings.Cut(v, ";")
		t = strings.ToLower(strings.TrimSpace(t))
	}
	return t, params
}

// walk collects the parts of a bounce that matter: the notification
// text, the delivery-status fields and the original message.
func walk(h Header, body []byte) parts {
	var p parts
	e, err := newEntity(h, body)
	if e == nil {
		p.err = err
		return p
	}
	n := 0
	err = e.Walk(func(path []int, part *message.Entity, err error) error {
		n++
		if n > maxParts {
			return fmt.Errorf("more than %d MIME parts", maxParts)
		}
		t, _, _ := part.Header.ContentType()
		t = strings.ToLower(t)
		if strings.HasPrefix(t, "multipart/") {
			return nil
		}
		read := func() string {
			b, _ := io.ReadAll(io.LimitReader(part.Body, maxPartBytes))
			return string(b)
		}
		switch t {
		case "message/delivery-status", "message/global-delivery-status":
			p.status = append(p.status, read())
		case "text/rfc822-headers", "message/global-headers", "message/rfc822", "message/global":
			if !p.hasOrigHdr {
				p.original, p.hasOrigHdr = read(), true
			}
		case "text/plain", "":
			if len(path) <= 2 || len(p.text) == 0 {
				p.text = append(p.text, read())
			}
		case "text/html":
			p.html = append(p.html, read())
		}
		return nil
	})
	if err != nil {
		p.err = err
	}
	return p
}

// notice returns the notification text: the plain parts, or the HTML
// parts made plain when there is no plain one.
func (p parts) notice() string {
	if len(p.text) > 0 {
		return strings.Join(p.text, "\n\n")
	}
	var b strings.Builder
	for _, h := range p.html {
		b.WriteString(htmlText(h))
		b.WriteString("\n\n")
	}
	return b.String()
}

// parseDSN reads a multipart/report; report-type=delivery-status
// (RFC 6522, section 3; RFC 3464, section 2).
func parseDSN(h Header, body []byte) *Report {
	p := walk(h, body)
	rep := &Report{Kind: KindDSN, Recipients: []Recipient{}}
	if p.err != nil {
		rep.Error = "the report's MIME structure could not be fully read: " + p.err.Error()
	}
	text := p.notice()
	rep.Generator = detectGenerator(h, text)
	for _, s := range p.status {
		readStatus(rep, s)
	}
	if len(rep.Recipients) == 0 {
		// A report whose delivery-status part is missing or empty: read
		// the notice as a text bounce would be.
		if tr := textRecipients(rep.Generator, text); len(tr.recipients) > 0 {
			rep.Recipients = tr.recipients
			for i := range rep.Recipients {
				rep.Recipients[i].Action = textAction(text)
			}
			if rep.ReportingMTA == "" {
				rep.ReportingMTA = tr.reportingMTA
			}
		}
	} else {
		fillFromText(rep, text)
	}
	if p.hasOrigHdr {
		rep.Original = readOriginal(p.original)
	} else if _, orig, ok := splitOriginal(text); ok {
		rep.Original = readOriginal(orig)
	}
	finish(rep)
	return rep
}

// readStatus adds the fields of one message/delivery-status body to rep.
func readStatus(rep *Report, s string) {
	for _, b := range readBlocks(s, maxRecipients+1) {
		if v := b.get("Reporting-MTA"); v != "" && rep.ReportingMTA == "" {
			_, rep.ReportingMTA = typed(v)
		}
		if v := b.get("Arrival-Date"); v != "" && rep.ArrivalDate == "" {
			rep.ArrivalDate = v
		}
		final, orig := b.get("Final-Recipient"), b.get("Original-Recipient")
		if final == "" && orig == "" {
			continue // the per-message block (RFC 3464, section 2.2)
		}
		if len(rep.Recipients) >= maxRecipients {
			return
		}
		r := Recipient{Action: strings.ToLower(b.get("Action")), LastAttemptDate: b.get("Last-Attempt-Date")}
		_, r.Address = typed(final)
		r.Address = bareAddress(r.Address)
		if orig != "" {
			_, r.OriginalAddress = typed(orig)
			r.OriginalAddress = bareAddress(r.OriginalAddress)
		}
		if r.Address == "" {
			r.Address = r.OriginalAddress
		}
		if v := b.get("Remote-MTA"); v != "" {
			_, r.RemoteMTA = typed(v)
		}
		if v := b.get("Diagnostic-Code"); v != "" {
			r.DiagnosticType, r.Diagnostic = typed(v)
		}
		st := strings.TrimSpace(b.get("Status"))
		if i := strings.IndexAny(st, " \t("); i > 0 {
			st = st[:i] // "5.0.0 (permanent failure)"
		}
		r.StatusField = st
		rep.Recipients = append(rep.Recipients, r)
	}
}

// fillFromText gives a recipient with no diagnostic the reason the notice
// states for it, when the notice names it (some systems write the
// server's reply in the text only).
func fillFromText(rep *Report, text string) {
	need := false
	for _, r := range rep.Recipients {
		if r.Diagnostic == "" {
			need = true
		}
	}
	if !need {
		return
	}
	tr := textRecipients(rep.Generator, text)
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if r.Diagnostic != "" {
			continue
		}
		for _, t := range tr.recipients {
			if strings.EqualFold(t.Address, r.Address) || len(tr.recipients) == 1 && len(rep.Recipients) == 1 {
				r.Diagnostic = t.Diagnostic
				if r.RemoteMTA == "" {
					r.RemoteMTA = t.RemoteMTA
				}
				break
			}
		}
	}
}

// finish cleans each recipient's diagnostic, settles its status and reply
// codes and explains it.
func finish(rep *Report) {
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		r.Diagnostic = cleanDiagnostic(r.Diagnostic)
		diagStatus, reply := codes(r.Diagnostic)
		r.ReplyCode = reply
		field := r.StatusField
		if !validStatus(field) {
			field = ""
		}
		switch {
		case diagStatus != "" && (field == "" || moreSpecific(diagStatus, field)):
			r.Status = diagStatus
		case field != "":
			r.Status = field
		default:
			r.Status = ""
		}
		if r.StatusField == r.Status {
			r.StatusField = ""
		}
		r.Explanation = Explain(r.Status, r.ReplyCode, r.Diagnostic)
	}
}

// moreSpecific reports whether the status in a server's reply should win
// over the Status field: when it says more, that is when more of its
// subject and detail are not the catch-all 0 (many systems write 5.0.0
// in the field whatever the reply said).
func moreSpecific(reply, field string) bool {
	return specificity(reply) > specificity(field)
}

// specificity counts the parts of a valid status code other than 0.
func specificity(s string) int {
	subject, detail, _ := strings.Cut(s[2:], ".")
	n := 0
	if strings.TrimLeft(subject, "0") != "" {
		n++
	}
	if strings.TrimLeft(detail, "0") != "" {
		n++
	}
	return n
}
