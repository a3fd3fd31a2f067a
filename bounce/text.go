package bounce

import "strings"

// Non-standard notices: the recipients and the server's reply read from
// the prose a mail system writes, where no message/delivery-status part
// says them.

// textResult is what a notice's text says.
type textResult struct {
	recipients   []Recipient
	reportingMTA string
}

// parseText reads a bounce that may have no delivery-status part. It
// returns false when no failed recipient or reply can be found in it.
func parseText(h Header, body []byte) (*Report, bool) {
	p := walk(h, body)
	if len(p.status) > 0 {
		// A delivery-status part inside another multipart type.
		rep := parseDSN(h, body)
		if len(rep.Recipients) > 0 {
			return rep, true
		}
	}
	text := p.notice()
	if len(text) > maxTextBytes {
		text = text[:maxTextBytes]
	}
	gen := detectGenerator(h, text)
	tr := textRecipients(gen, text)
	if len(tr.recipients) == 0 {
		return nil, false
	}
	rep := &Report{Kind: KindText, Generator: gen, ReportingMTA: tr.reportingMTA, Recipients: tr.recipients}
	if act := textAction(text); act != "" {
		for i := range rep.Recipients {
			rep.Recipients[i].Action = act
		}
	}
	if p.err != nil {
		rep.Error = "the notice's MIME structure could not be fully read: " + p.err.Error()
	}
	if p.hasOrigHdr {
		rep.Original = readOriginal(p.original)
	} else if _, orig, ok := splitOriginal(text); ok {
		rep.Original = readOriginal(orig)
	}
	finish(rep)
	if gen == GeneratorUnknown && !anyCode(rep.Recipients) {
		return nil, false // a message that only looks like a bounce
	}
	return rep, true
}

// textAction reads from a notice's wording whether delivery failed or is
// only delayed (RFC 3464, section 2.3.3), "" when it does not say.
func textAction(text string) string {
	lower := lowerASCII(text)
	switch {
	case containsAny(lower, []string{"permanent error", "failed permanently", "permanent fatal error", "delivery has failed", "could not be delivered", "wasn't delivered", "was not delivered", "failed:", "undeliverable", "rejected"}):
		return "failed"
	case containsAny(lower, []string{"will retry", "still trying", "will keep trying", "has been delayed", "temporary failure", "not yet been delivered", "delivery delayed"}):
		return "delayed"
	}
	return ""
}

// anyCode reports whether some recipient has a status or reply code.
func anyCode(rs []Recipient) bool {
	for _, r := range rs {
		if r.Status != "" || r.ReplyCode != 0 {
			return true
		}
	}
	return false
}

// textRecipients reads the failed recipients from a notice.
func textRecipients(gen Generator, text string) textResult {
	notice, _, _ := splitOriginal(text)
	if gen == GeneratorMicrosoft {
		if tr := microsoftRecipients(notice); len(tr.recipients) > 0 {
			return tr
		}
	}
	rs := lineRecipients(notice)
	if len(rs) == 0 {
		if r, ok := sentenceRecipient(notice); ok {
			rs = []Recipient{r}
		}
	} else if len(rs) == 1 && !hasCode(rs[0].Diagnostic) {
		// "Delivery to the following recipient failed permanently:" with
		// the address alone and the reply further down.
		if r, ok := sentenceRecipient(notice); ok && r.Diagnostic != "" {
			rs[0].Diagnostic = r.Diagnostic
		}
	}
	return textResult{recipients: rs}
}

func hasCode(s string) bool {
	st, reply := codes(s)
	return st != "" || reply != 0
}

// originalMarkers are lines (lower case) after which notices quote the
// returned message or its header.
var originalMarkers = []string{
	"original message headers",                   // Microsoft
	"below this line is a copy of the message",   // qmail
	"this is a copy of the message",              // Exim
	"this is a copy of the headers",              // Exim, some versions
	"message headers follow",                     // DragonFly Mail Agent
	"----- original message -----",               // Gmail
	"returned message",                           // sendmail text
	"unsent message follows",                     // sendmail text
	"original message follows",                   // various
	"header of the original message",             // various
	"the headers of the original message follow", // various
}

// splitOriginal splits a notice into its own text and the returned
// message quoted after a marker line.
func splitOriginal(text string) (notice, original string, ok bool) {
	off := 0
	for line := range strings.Lines(text) {
		l := lowerASCII(line)
		for _, m := range originalMarkers {
			if strings.Contains(l, m) && len(strings.TrimSpace(l)) < len(m)+60 {
				return text[:off], text[off+len(line):], true
			}
		}
		off += len(line)
	}
	return text, "", false
}

// recipientLine reads a line that names a failed recipient on its own:
// "<user@example.com>: reason" (Postfix, qmail), "  user@example.com"
// (Exim, Gmail), "user@example.com<mailto:user@example.com>" (Microsoft),
// "<user@example.com> (expanded from <list@example.com>): reason".
func recipientLine(line string) (addr, expandedFrom, rest string, ok bool) {
	t := strings.TrimSpace(line)
	if t == "" {
		return "", "", "", false
	}
	var tok string
	if t[0] == '<' {
		end := strings.IndexByte(t, '>')
		if end < 0 {
			return "", "", "", false
		}
		tok, t = t[1:end], t[end+1:]
	} else {
		end := strings.IndexAny(t, " \t:<")
		if end < 0 {
			end = len(t)
		}
		tok, t = t[:end], t[end:]
	}
	if !looksLikeAddress(tok) {
		return "", "", "", false
	}
	t = strings.TrimSpace(t)
	if strings.HasPrefix(t, "<mailto:") {
		if end := strings.IndexByte(t, '>'); end >= 0 {
			t = strings.TrimSpace(t[end+1:])
		}
	}
	if strings.HasPrefix(t, "(expanded from") {
		end := strings.IndexByte(t, ')')
		if end < 0 {
			return "", "", "", false
		}
		expandedFrom = bareAddress(strings.TrimSpace(t[len("(expanded from"):end]))
		t = strings.TrimSpace(t[end+1:])
	}
	switch {
	case t == "":
		return tok, expandedFrom, "", true
	case t[0] == ':':
		return tok, expandedFrom, strings.TrimSpace(t[1:]), true
	}
	return "", "", "", false
}

// looksLikeAddress reports whether s is local@domain with no spaces.
func looksLikeAddress(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > 320 {
		return false
	}
	return !strings.ContainsAny(s, " \t<>()[],;:\"'")
}

// lineRecipients reads notices that name each recipient on a line of its
// own followed by the reason (Postfix, qmail, Exim, sendmail, Gmail).
func lineRecipients(notice string) []Recipient {
	var out []Recipient
	var details []string
	cur := -1
	closeCur := func() {
		if cur >= 0 {
			remote, diag := readDetails(strings.Join(details, "\n"))
			out[cur].RemoteMTA, out[cur].Diagnostic = remote, diag
		}
		cur, details = -1, nil
	}
	for line := range strings.Lines(notice) {
		line = strings.TrimRight(line, "\r\n")
		if addr, from, rest, ok := recipientLine(line); ok {
			closeCur()
			if len(out) >= maxRecipients {
				break
			}
			out = append(out, Recipient{Address: addr, OriginalAddress: from})
			cur = len(out) - 1
			if rest != "" {
				details = append(details, rest)
			}
			continue
		}
		if cur < 0 {
			continue
		}
		if strings.TrimSpace(line) == "" {
			if len(details) > 0 {
				closeCur()
			}
			continue
		}
		details = append(details, line)
	}
	closeCur()
	return out
}

// readDetails reads the remote server and its reply from the lines that
// follow a recipient: "host mx.example.com[192.0.2.1] said: 550 …
// (in reply to RCPT TO command)" (Postfix), "host mx.example.com
// [192.0.2.1]" then "SMTP error from remote mail server after …: 550 …"
// (Exim), "Remote host said: 550 …" (qmail), "(reason: 550 …)"
// (sendmail).
func readDetails(d string) (remote, diag string) {
	flat := unfold(d)
	if i := strings.Index(flat, "host "); i >= 0 && (i == 0 || flat[i-1] == ' ') {
		h := flat[i+len("host "):]
		if end := strings.IndexAny(h, " [:"); end >= 0 {
			h = h[:end]
		}
		if strings.Contains(h, ".") {
			remote = h
		}
	}
	diag = flat
	lower := lowerASCII(flat)
	marked := false
	for _, m := range []string{" said:", "smtp error from remote mail server after", "(reason:"} {
		if i := strings.Index(lower, m); i >= 0 {
			diag, marked = flat[i+len(m):], true
			if m == "smtp error from remote mail server after" {
				if j := codeStart(diag); j >= 0 {
					diag = diag[j:]
				}
			}
			break
		}
	}
	if j := codeStart(diag); !marked && j > 0 {
		diag = diag[j:] // prose before the reply
	}
	diag = strings.TrimSpace(diag)
	if i := strings.LastIndex(diag, "(in reply to"); i > 0 {
		diag = strings.TrimSpace(diag[:i])
	}
	diag = strings.TrimSuffix(diag, ")")
	return remote, strings.TrimSpace(diag)
}

// codeStart returns the offset of the first reply code or enhanced
// status code in s, -1 when there is none.
func codeStart(s string) int {
	best := -1
	if _, at := findStatus(s); at >= 0 {
		best = at
		if replyBefore(s, at) != 0 {
			best = at - 4
		}
	}
	for i := 0; i+3 <= len(s); i++ {
		if best >= 0 && i >= best {
			break
		}
		if i > 0 && (isNumChar(s[i-1]) || isWordChar(s[i-1]) || s[i-1] == '-' || s[i-1] == ':' || s[i-1] == '<') {
			continue
		}
		if replyCode(s[i:i+3]) != 0 && (i+3 == len(s) || s[i+3] == ' ' || s[i+3] == '-') {
			return i
		}
	}
	return best
}

// sentenceRecipient reads a notice that names the recipient in a
// sentence ("There was an error delivering your mail to <…>", "Your
// message wasn't delivered to … because …") and quotes the server's reply
// on lines of its own.
func sentenceRecipient(notice string) (Recipient, bool) {
	lower := lowerASCII(notice)
	var diag string
	for _, m := range []string{"the response from the remote server was:", "the response was:", "the error that the other server returned was:", "remote server returned"} {
		if i := strings.Index(lower, m); i >= 0 {
			diag = paragraph(notice[i+len(m):])
			break
		}
	}
	if diag == "" {
		off := 0
		for line := range strings.Lines(notice) {
			t := strings.TrimSpace(line)
			if st, _ := findStatus(t); st != "" || (len(t) > 3 && replyCode(t[:3]) != 0 && (t[3] == ' ' || t[3] == '-')) {
				diag = paragraph(notice[off:])
				break
			}
			off += len(line)
		}
	}
	diag = strings.Trim(strings.TrimSpace(diag), "'")
	if diag == "" {
		return Recipient{}, false
	}
	if j := codeStart(diag); j > 0 {
		diag = diag[j:]
	}
	return Recipient{Address: sentenceAddress(notice), Diagnostic: diag}, true
}

// paragraph returns s from its first non-blank line up to the next blank
// line.
func paragraph(s string) string {
	var lines []string
	for line := range strings.Lines(s) {
		t := strings.TrimSpace(line)
		if t == "" {
			if len(lines) > 0 {
				break
			}
			continue
		}
		lines = append(lines, t)
	}
	return strings.Join(lines, "\n")
}

// sentenceAddress returns the first address a notice names: in angle
// brackets, or after "delivered to".
func sentenceAddress(notice string) string {
	for i := 0; i < len(notice); {
		end := strings.IndexByte(notice[i:], '>')
		if end < 0 {
			break
		}
		// The candidate runs from the last '<' before this '>', so each
		// byte is looked at once however many brackets there are.
		if open := strings.LastIndexByte(notice[i:i+end], '<'); open >= 0 {
			if a := notice[i+open+1 : i+end]; looksLikeAddress(a) && !strings.HasPrefix(a, "mailto:") {
				return a
			}
		}
		i += end + 1
	}
	lower := lowerASCII(notice)
	if i := strings.Index(lower, "delivered to "); i >= 0 {
		w := strings.Fields(notice[i+len("delivered to "):])
		if len(w) > 0 && looksLikeAddress(strings.Trim(w[0], ".,")) {
			return strings.Trim(w[0], ".,")
		}
	}
	return ""
}
