package bounce

import "strings"

// microsoftRecipients reads the "Diagnostic information for
// administrators" section of an Exchange or Microsoft 365 non-delivery
// report:
//
//	Generating server: BN8PR12MB1234.namprd12.prod.outlook.com
//
//	user@example.com
//	mx.example.com
//	Remote Server returned '550 5.7.509 Access denied, …'
//
// or, in older reports, "mx.example.com #<mx.example.com #5.7.1
// smtp;530 5.7.1 Client was not authenticated> #SMTP#".
func microsoftRecipients(notice string) textResult {
	var tr textResult
	lower := lowerASCII(notice)
	i := strings.Index(lower, "diagnostic information for administrators")
	if i < 0 {
		return tr
	}
	sec := notice[i:]
	if nl := strings.IndexByte(sec, '\n'); nl >= 0 {
		sec = sec[nl+1:]
	} else {
		sec = ""
	}
	cur := -1
	var quoted []string
	inQuote := false
	for line := range strings.Lines(sec) {
		t := strings.TrimSpace(line)
		lt := lowerASCII(t)
		if inQuote {
			quoted = append(quoted, t)
			if strings.HasSuffix(t, "'") {
				inQuote = false
				tr.recipients[cur].Diagnostic = strings.TrimSuffix(strings.Join(quoted, " "), "'")
			}
			continue
		}
		switch {
		case t == "":
			continue
		case strings.HasPrefix(lt, "generating server:"):
			if v := strings.TrimSpace(t[len("generating server:"):]); v != "" {
				tr.reportingMTA = v
			} else {
				tr.reportingMTA = "?" // on the next line
			}
			continue
		case tr.reportingMTA == "?":
			tr.reportingMTA = t
			continue
		}
		if addr, _, rest, ok := recipientLine(t); ok && rest == "" {
			if len(tr.recipients) >= maxRecipients {
				break
			}
			tr.recipients = append(tr.recipients, Recipient{Address: addr})
			cur = len(tr.recipients) - 1
			continue
		}
		if cur < 0 {
			continue
		}
		r := &tr.recipients[cur]
		switch {
		case strings.HasPrefix(lt, "remote server returned"):
			q := strings.TrimSpace(t[len("remote server returned"):])
			q = strings.TrimPrefix(q, "'")
			if strings.HasSuffix(q, "'") {
				r.Diagnostic = strings.TrimSuffix(q, "'")
			} else {
				quoted, inQuote = []string{q}, true
			}
		case strings.Contains(lt, "smtp;"):
			j := strings.Index(lt, "smtp;")
			d := t[j+len("smtp;"):]
			if end := strings.IndexByte(d, '>'); end >= 0 {
				d = d[:end]
			}
			r.Diagnostic = strings.TrimSpace(d)
			if k := strings.Index(t, " #"); k > 0 && r.RemoteMTA == "" {
				r.RemoteMTA = strings.TrimSpace(t[:k])
			}
		case r.Diagnostic == "" && r.RemoteMTA == "" && !strings.ContainsAny(t, " \t") && strings.Contains(t, "."):
			r.RemoteMTA = t
		}
	}
	if inQuote && cur >= 0 {
		tr.recipients[cur].Diagnostic = strings.Join(quoted, " ")
	}
	if tr.reportingMTA == "?" {
		tr.reportingMTA = ""
	}
	return tr
}
