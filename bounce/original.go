package bounce

import (
	"strings"

	"github.com/authlens/authlens/authres"
)

// readOriginal reads the header of the returned message (or the header
// part alone): the identity fields, and the authentication results the
// rejecting system or one before it recorded. It returns nil when the
// text holds no header field.
func readOriginal(text string) *Original {
	if len(text) > maxPartBytes {
		text = text[:maxPartBytes]
	}
	b := readHeaderBlock(text)
	if len(b) == 0 {
		return nil
	}
	o := &Original{
		From:       b.get("From"),
		To:         b.get("To"),
		Subject:    b.get("Subject"),
		Date:       b.get("Date"),
		MessageID:  b.get("Message-ID"),
		ReturnPath: b.get("Return-Path"),
	}
	for _, f := range b {
		switch {
		case strings.EqualFold(f.name, "Authentication-Results"), strings.EqualFold(f.name, "Authentication-Results-Original"):
			if len(o.AuthResults) < 16 {
				o.AuthResults = append(o.AuthResults, f.value)
			}
		}
	}
	if len(o.AuthResults) > 0 {
		o.Recorded = recorded(o.AuthResults[0])
	}
	if o.From == "" && o.To == "" && o.Subject == "" && o.Date == "" && o.MessageID == "" && o.ReturnPath == "" && len(o.AuthResults) == 0 {
		return nil
	}
	return o
}

// recorded sums up an Authentication-Results value (RFC 8601): the SPF,
// DKIM and DMARC results with the property naming what each checked.
func recorded(v string) string {
	h, err := authres.Parse(v)
	if err != nil || h == nil {
		return ""
	}
	var parts []string
	for _, r := range h.Results {
		var key string
		switch r.Method {
		case authres.MethodSPF:
			key = "smtp.mailfrom"
		case authres.MethodDKIM:
			key = "header.d"
		case authres.MethodDMARC:
			key = "header.from"
		default:
			continue
		}
		p := string(r.Method) + "=" + string(r.Value)
		if id := r.Prop(key); id != "" {
			p += " " + key + "=" + id
		}
		parts = append(parts, p)
		if len(parts) == 8 {
			break
		}
	}
	return strings.Join(parts, "; ")
}
