package cli

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/compauth"
	"github.com/authlens/authlens/internal/textsafe"
)

// compauthDetail prints how the recorded compauth compares with the
// estimate from explicit authentication.
func (t *textReporter) compauthDetail(r *authlens.Report) {
	c := r.Compauth
	if c == nil {
		return
	}
	if c.Estimate != nil && c.Estimate.Result != "" {
		t.printf("  %-10s estimated %s/%s from SPF, DKIM and DMARC: %s\n", "", c.Estimate.Result, c.Estimate.Reason, textsafe.Clean(c.Comparison.Message))
	}
	for _, s := range c.NextSteps {
		t.printf("  %-10s - %s\n", "", textsafe.Clean(s))
	}
}

// antispam prints the Microsoft 365 antispam fields: the named ones a
// person scans first, then any key the tables do not know, flagged.
func (t *textReporter) antispam(r *authlens.Report) {
	as := r.Antispam
	if as == nil {
		return
	}
	t.printf("\n  Microsoft 365 antispam\n")
	// Keys Microsoft does not document are listed on one line, not one
	// line each: they say nothing an analyst can act on.
	var unknown []string
	if f := as.Forefront; f != nil {
		for _, fl := range f.Fields {
			switch {
			case undocumented(fl):
				unknown = append(unknown, fl.Key+"="+fl.Value)
			case fl.Value != "":
				t.field(fl)
			}
		}
	}
	if m := as.Microsoft; m != nil {
		for _, fl := range m.Fields {
			switch {
			case undocumented(fl):
				unknown = append(unknown, fl.Key+"="+fl.Value)
			case fl.Key == "BCL":
				t.field(fl)
			}
		}
	}
	if as.SCL != nil {
		t.printf("  %-10s %d  %s\n", "org SCL", as.SCL.Value, textsafe.Clean(as.SCL.Meaning))
	}
	if as.PCL != nil {
		t.printf("  %-10s %d  %s\n", "org PCL", as.PCL.Value, textsafe.Clean(as.PCL.Meaning))
	}
	if d := as.MailboxDelivery; d != nil {
		for _, fl := range d.Fields {
			if undocumented(fl) {
				unknown = append(unknown, fl.Key+"="+fl.Value)
				continue
			}
			t.field(fl)
		}
	}
	if len(unknown) > 0 {
		t.printf("  %-10s %s\n", "other", t.paint(sgrDim, textsafe.Clean(strings.Join(unknown, " "))+" (keys Microsoft does not document)"))
	}
}

// undocumented reports whether Microsoft documents nothing about a key.
func undocumented(f compauth.Field) bool {
	return !f.Known || f.Confidence == compauth.ConfidenceUnknown
}

func (t *textReporter) field(f compauth.Field) {
	what := f.Name
	if f.Meaning != "" {
		what += ": " + f.Meaning
	}
	if !f.Known {
		what = t.paint(sgrYellow, "unknown key")
	} else if f.Confidence != compauth.ConfidenceDocumented && f.Confidence != "" {
		what += " [" + string(f.Confidence) + "]"
	}
	t.printf("  %-10s %-22s %s\n", textsafe.Clean(f.Key), textsafe.Clean(f.Value), textsafe.Clean(what))
}

// received prints the Received chain, oldest hop first, with delays and
// the hop where the message entered the receiving organization.
func (t *textReporter) received(r *authlens.Report) {
	ch := r.Received
	if ch == nil || len(ch.Hops) == 0 {
		return
	}
	t.printf("\n  Received chain, oldest first")
	if ch.TotalKnown {
		t.printf(" (total %s)", seconds(ch.TotalSeconds))
	}
	t.printf("\n")
	for i, st := range ch.Hops {
		mark := " "
		if i == ch.Entry && ch.ReceiverOrg != "" {
			mark = t.paint(sgrBold, ">")
		}
		if st.Hop == nil {
			t.printf("  %s %-2d %s\n", mark, i+1, t.paint(sgrRed, "unreadable: "+textsafe.Clean(st.Error)))
			continue
		}
		h := st.Hop
		from := h.From
		if h.IP != "" {
			from = strings.TrimSpace(from + " [" + h.IP + "]")
		}
		delay := "    "
		if st.DelayKnown {
			delay = seconds(st.DelaySeconds)
			if st.DelaySeconds >= 0 {
				delay = "+" + delay
			}
		}
		with := ""
		if h.With != "" {
			with = " with " + h.With
		}
		when := "-"
		if !h.Date.IsZero() {
			when = h.Date.UTC().Format("2006-01-02 15:04:05Z")
		}
		t.printf("  %s %-2d %-20s %-7s %s -> %s%s\n", mark, i+1, when, delay, textsafe.Clean(orNone(from)), textsafe.Clean(orNone(h.By)), textsafe.Clean(with))
	}
	switch {
	case ch.ReceiverOrg != "":
		t.printf("  (> entered %s", textsafe.Clean(ch.ReceiverOrg))
		if ch.EntryClientIP != "" {
			t.printf(" from %s", textsafe.Clean(ch.EntryClientIP))
		}
		if from := ch.EntryClientIPFrom; from != "" && from != "received" {
			t.printf(", the client the receiver recorded in %s", from)
		}
		t.printf(")\n")
	case ch.EntryClientIP != "":
		t.printf("  (entered from %s, the client the receiver recorded in %s)\n", textsafe.Clean(ch.EntryClientIP), ch.EntryClientIPFrom)
	}
}

// submission prints the evidence of how the message was submitted.
func (t *textReporter) submission(r *authlens.Report) {
	s := r.Submission
	if s == nil {
		return
	}
	t.printf("\n  Submission\n")
	if e := s.Exchange; e != nil {
		line := "AuthAs " + textsafe.Clean(orNone(string(e.AuthAs)))
		if e.AuthAsMeaning != "" {
			line += ": " + textsafe.Clean(e.AuthAsMeaning)
		}
		if e.Mechanism != nil {
			line += fmt.Sprintf("; mechanism %s (%s)", textsafe.Clean(e.Mechanism.Code), textsafe.Clean(e.Mechanism.Meaning))
		}
		t.printf("  %-10s %s\n", "Exchange", line)
	}
	if rs := s.Received; rs != nil {
		for _, h := range rs.Hops {
			t.printf("  %-10s hop %d with %s (%s) from %s\n", "Received", h.Index+1, textsafe.Clean(h.With), h.Role, textsafe.Clean(orNone(h.ClientIP)))
		}
	}
	for _, a := range s.SMTPAuth {
		t.printf("  %-10s %s: auth=pass smtp.auth=%s %s\n", "SMTP AUTH", textsafe.Clean(orNone(a.AuthservID)), textsafe.Clean(orNone(a.User)), textsafe.Clean(a.Mechanism))
	}
}

// seconds formats a delay.
func seconds(s float64) string {
	switch {
	case s < 0:
		return fmt.Sprintf("-%s", seconds(-s))
	case s < 120:
		return fmt.Sprintf("%.0fs", s)
	case s < 7200:
		return fmt.Sprintf("%.0fm", s/60)
	}
	return fmt.Sprintf("%.1fh", s/3600)
}

// arc prints the ARC chain: each sealer and what its hop saw.
func (t *textReporter) arc(r *authlens.Report) {
	a := r.ARC
	if a == nil {
		return
	}
	t.printf("\n  ARC chain %s (checked %s)", t.result(a.Result), a.Checked)
	if a.Result == "fail" && a.Explanation != "" {
		t.printf(": %s", textsafe.Clean(a.Explanation))
	}
	t.printf("\n")
	for _, s := range a.Sets {
		body := "body not checked"
		switch {
		case s.BodyIntact == nil:
		case *s.BodyIntact:
			body = "body intact"
		default:
			body = t.paint(sgrYellow, "body changed since")
		}
		t.printf("  i=%-2d %-28s cv=%-5s %s; saw spf=%s dkim=%s dmarc=%s", s.Instance, clip(textsafe.Clean(s.Sealer), 28), s.CV, body,
			t.result(s.Saw.SPF), t.result(s.Saw.DKIM), t.result(s.Saw.DMARC))
		if s.Saw.HeaderFrom != "" {
			t.printf(" for %s", textsafe.Clean(s.Saw.HeaderFrom))
		}
		t.printf("\n")
	}
}
