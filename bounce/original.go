package bounce

import "strings"

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
	if o.From == "" && o.To == "" && o.Subject == "" && o.Date == "" && o.MessageID == "" && o.ReturnPath == "" && len(o.AuthResults) == 0 {
		return nil
	}
	return o
}
