// Package received reads the Received trace fields of a message: the
// time-stamp lines that every SMTP server prepends when it accepts a
// message ([RFC 5321], section 4.4; syntax in [RFC 5322], section 3.6.7).
//
// [Parse] reads one field value into a [Hop]: the "from" part (the name
// the client gave in HELO/EHLO, the reverse-DNS name and the IP address
// the receiving server recorded), "by", "via", "with" (the transmission
// type registered by [RFC 3848] and [RFC 6531], such as ESMTPSA),
// "id", "for" and the date after the final ";". Real servers write many
// variants (Postfix, Exim, Sendmail, qmail, Microsoft Exchange, Gmail);
// the parser is lenient and keeps the raw text, so nothing is lost when
// a field does not follow the grammar.
//
// [ParseChain] reads all Received fields of a message into a [Chain] in
// delivery order, computes the delay between hops, finds the hop where
// the message entered the receiving organization and summarizes the
// evidence of authenticated submission (the "A" suffix of RFC 3848).
//
// Received fields are written by each server about its own view, and a
// sender can prepend forged ones before the first real hop. Everything
// below the hop where the message entered the receiving organization is
// the sender's (or an intermediary's) claim, not a verified fact.
//
// [RFC 5321]: https://www.rfc-editor.org/rfc/rfc5321
// [RFC 5322]: https://www.rfc-editor.org/rfc/rfc5322
// [RFC 3848]: https://www.rfc-editor.org/rfc/rfc3848
// [RFC 6531]: https://www.rfc-editor.org/rfc/rfc6531
package received

import "errors"

// Errors returned by [Parse] and [ParseDate]. They are wrapped with
// detail; test for them with [errors.Is].
var (
	// ErrEmpty is returned for a field value with no content.
	ErrEmpty = errors.New("received: empty field")
	// ErrSyntax is returned for text that does not fit the grammar, such
	// as an unclosed comment or words before the first clause.
	ErrSyntax = errors.New("received: unreadable text")
	// ErrNoDate is returned when the field has no date after ";".
	ErrNoDate = errors.New("received: no date")
	// ErrDate is returned when the date after ";" cannot be read.
	ErrDate = errors.New("received: unreadable date")
)
