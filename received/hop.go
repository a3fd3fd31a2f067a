package received

import (
	"net/netip"
	"strings"
	"time"
)

// Hop is one Received field: what one server recorded when it accepted
// the message.
//
// Example (Postfix):
//
//	Received: from mail.example.org (mail.example.org [192.0.2.25])
//		by mx.example.net (Postfix) with ESMTPS id 4F1A2C0092
//		for <bob@example.net>; Tue, 24 Oct 2023 00:25:13 -0400 (EDT)
//
// Every string field except Raw is a substring of the unfolded field
// value (line breaks removed), exactly as written; nothing is
// normalized, so values can be traced back to the header.
type Hop struct {
	// Raw is the field value as given to [Parse].
	Raw string `json:"raw"`
	// From is the word after "from". RFC 5321 says it is the name the
	// client gave in HELO/EHLO (or an address literal); Exim writes the
	// verified reverse-DNS name there instead and the HELO name in the
	// comment ("helo=…"), qmail writes the reverse-DNS name or "unknown".
	From string `json:"from,omitempty"`
	// HELO is the name the client gave in HELO/EHLO, as far as the
	// server's format tells it: from "helo=" or "HELO" in the comment,
	// otherwise From.
	HELO string `json:"helo,omitempty"`
	// ReverseDNS is the reverse-DNS name of the client's IP address the
	// receiving server recorded; empty when it wrote "unknown" or none.
	ReverseDNS string `json:"reverse_dns,omitempty"`
	// IP is the client's IP address, from "[…]" or "(…)" in the "from"
	// part (without an "IPv6:" prefix or port); empty when none was
	// readable. Use [Hop.Addr] for the parsed form.
	IP string `json:"ip,omitempty"`
	// By is the name of the server that wrote the field.
	By string `json:"by,omitempty"`
	// Via is the "via" clause: the link type (RFC 5321) or, for
	// Microsoft Exchange, the transport ("Frontend Transport").
	Via string `json:"via,omitempty"`
	// With is the "with" clause: the protocol, such as "ESMTPSA", or
	// Exchange's "Microsoft SMTP Server". See [Hop.Protocol].
	With string `json:"with,omitempty"`
	// ID is the "id" clause, the server's queue or message identifier.
	ID string `json:"id,omitempty"`
	// For is the "for" clause, the recipient the server accepted the
	// message for, angle brackets removed.
	For string `json:"for,omitempty"`
	// Comments holds every comment, in order, with the clause it
	// followed, such as {"by", "Postfix"} or {"with", "version=TLS1_2, …"}.
	Comments []Comment `json:"comments,omitempty"`
	// DateText is the text after the final ";".
	DateText string `json:"date_text,omitempty"`
	// Date is DateText read by [ParseDate]; zero when it was unreadable.
	Date time.Time `json:"date,omitzero"`
}

// Comment is one parenthesised comment of a Received field, outer
// parentheses removed.
type Comment struct {
	// Clause is the clause the comment followed: "from", "by", "via",
	// "with", "id", "for", or "" before the first one.
	Clause string `json:"clause"`
	// Text is the comment's content.
	Text string `json:"text"`
}

// Addr returns IP parsed, or the zero [netip.Addr] when there is none.
func (h *Hop) Addr() netip.Addr {
	if !mayBeAddr(h.IP) {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(h.IP)
	if err != nil {
		return netip.Addr{}
	}
	return a
}

// Internal reports whether the client address is one that does not come
// from the public Internet: loopback (127.0.0.0/8, ::1), private (RFC 1918;
// RFC 4193 unique local fc00::/7), link-local (169.254.0.0/16, fe80::/10),
// shared address space behind carrier-grade NAT (RFC 6598, 100.64.0.0/10)
// or unspecified. Such a hop is inside an organisation or a host (content
// filters, submission from a private network, Exchange's internal hops)
// and cannot be where the message entered from the Internet. It is false
// when there is no address.
func (h *Hop) Internal() bool {
	a := h.Addr()
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() || isShared(a)
}

// isShared reports whether a is in 100.64.0.0/10, the shared address
// space behind carrier-grade NAT (RFC 6598).
func isShared(a netip.Addr) bool {
	b := a.As16()
	return a.Is4() && b[12] == 100 && b[13]&0xc0 == 64
}

// Public reports whether the client address is a global unicast address
// that is not [Hop.Internal]: a client on the public Internet. It is false
// when there is no address.
func (h *Hop) Public() bool {
	a := h.Addr()
	return a.IsValid() && a.Unmap().IsGlobalUnicast() && !h.Internal()
}

// Authenticated reports whether the "with" clause names a transmission
// type with the "A" suffix of RFC 3848 / RFC 6531 (ESMTPA, ESMTPSA,
// LMTPA, UTF8SMTPSA, …), meaning the client authenticated with SMTP
// AUTH (RFC 4954), or Gmail's unregistered but observed "SMTPSA". It
// says nothing about the credential type (password, app password,
// OAuth). Microsoft Exchange never writes these types; see package
// compauth for its AuthAs/AuthMechanism fields.
func (h *Hop) Authenticated() bool {
	info, ok := h.protocolInfo()
	return ok && info.authenticated
}

// Local reports whether the hop is a local delivery (an LMTP type), in
// which "authenticated" is between the delivery agent and the message
// store, not a client.
func (h *Hop) Local() bool {
	info, ok := h.protocolInfo()
	return ok && info.local
}

// CommentsFor returns the texts of the comments that followed clause.
func (h *Hop) CommentsFor(clause string) []string {
	var out []string
	for _, c := range h.Comments {
		if c.Clause == clause {
			out = append(out, c.Text)
		}
	}
	return out
}

// software returns the first "by" comment, which most servers use to
// name their software ("Postfix", "Exim 4.98", "Halon").
func (h *Hop) software() string {
	if c := h.CommentsFor("by"); len(c) > 0 {
		return c[0]
	}
	return ""
}

// loopbackOrNone reports whether the hop has no network client: no IP,
// or a loopback one (local submission, content filters).
func (h *Hop) loopbackOrNone() bool {
	a := h.Addr()
	return !a.IsValid() || a.IsLoopback()
}

// upperFirstWord returns the first word of s, split at space or "/",
// in upper case.
func upperFirstWord(s string) string {
	return strings.ToUpper(firstProtocolWord(s))
}

// firstProtocolWord returns the first word of s, split at space or "/".
func firstProtocolWord(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c == '\t' || c == '/' {
			return s[:i]
		}
	}
	return s
}
