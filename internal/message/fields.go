package message

import (
	"mime"
	"net/mail"
	"strings"

	"github.com/emersion/go-message/charset"

	"github.com/authlens/authlens/internal/header"
)

// Summary is what a mail client shows of a message besides its author:
// the fields an analyst reads first (RFC 5322, section 3.6).
type Summary struct {
	// Subject is the Subject field with RFC 2047 encoded words decoded.
	Subject string
	// Date is the Date field as written.
	Date string
	// MessageID is the Message-ID field, angle brackets kept.
	MessageID string
	// To and ReplyTo are the addresses of the To and Reply-To fields.
	To      []Address
	ReplyTo []Address
}

// Summarize reads the Subject, Date, Message-ID, To and Reply-To fields
// (the first of each) of a header block. An address list that cannot be
// read whole is read leniently, as From is.
func Summarize(fields []header.Field) Summary {
	const (
		subject uint8 = 1 << iota
		date
		messageID
		to
		replyTo
	)
	dec := &mime.WordDecoder{CharsetReader: charset.Reader}
	parser := mail.AddressParser{WordDecoder: dec}
	var s Summary
	var seen uint8 // the kinds of field already read: the first of each counts
	for _, f := range fields {
		var kind uint8
		switch {
		case f.Is("Subject"):
			kind = subject
		case f.Is("Date"):
			kind = date
		case f.Is("Message-ID"):
			kind = messageID
		case f.Is("To"):
			kind = to
		case f.Is("Reply-To"):
			kind = replyTo
		default:
			continue
		}
		if seen&kind != 0 {
			continue
		}
		seen |= kind
		v := strings.TrimSpace(f.Value())
		switch kind {
		case subject:
			s.Subject = v
			if d, err := dec.DecodeHeader(v); err == nil {
				s.Subject = d
			}
		case date:
			s.Date = v
		case messageID:
			s.MessageID = v
		case to:
			s.To, _ = parseAddressList(&parser, v)
		case replyTo:
			s.ReplyTo, _ = parseAddressList(&parser, v)
		}
	}
	return s
}
