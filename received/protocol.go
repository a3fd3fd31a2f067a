package received

import "strings"

// Protocol is a mail transmission type as written in the "with" clause,
// normalized to upper case. The registered values are listed in the
// IANA "Mail Transmission Types" registry (RFC 3848, RFC 6531).
type Protocol string

// Registered transmission types (RFC 5321, RFC 3848, RFC 6531) and
// values real servers write that are not registered.
const (
	ProtocolSMTP       Protocol = "SMTP"       // RFC 5321: plain SMTP
	ProtocolESMTP      Protocol = "ESMTP"      // RFC 5321: extended SMTP
	ProtocolESMTPA     Protocol = "ESMTPA"     // RFC 3848: ESMTP with SMTP AUTH
	ProtocolESMTPS     Protocol = "ESMTPS"     // RFC 3848: ESMTP with STARTTLS
	ProtocolESMTPSA    Protocol = "ESMTPSA"    // RFC 3848: ESMTP with STARTTLS and SMTP AUTH
	ProtocolLMTP       Protocol = "LMTP"       // RFC 3848: LMTP (local delivery)
	ProtocolLMTPA      Protocol = "LMTPA"      // RFC 3848: LMTP with SMTP AUTH
	ProtocolLMTPS      Protocol = "LMTPS"      // RFC 3848: LMTP with STARTTLS
	ProtocolLMTPSA     Protocol = "LMTPSA"     // RFC 3848: LMTP with STARTTLS and SMTP AUTH
	ProtocolUTF8SMTP   Protocol = "UTF8SMTP"   // RFC 6531: ESMTP with SMTPUTF8
	ProtocolUTF8SMTPA  Protocol = "UTF8SMTPA"  // RFC 6531: UTF8SMTP with SMTP AUTH
	ProtocolUTF8SMTPS  Protocol = "UTF8SMTPS"  // RFC 6531: UTF8SMTP with STARTTLS
	ProtocolUTF8SMTPSA Protocol = "UTF8SMTPSA" // RFC 6531: UTF8SMTP with STARTTLS and SMTP AUTH
	ProtocolUTF8LMTP   Protocol = "UTF8LMTP"   // RFC 6531: LMTP with SMTPUTF8
	ProtocolUTF8LMTPA  Protocol = "UTF8LMTPA"  // RFC 6531: UTF8LMTP with SMTP AUTH
	ProtocolUTF8LMTPS  Protocol = "UTF8LMTPS"  // RFC 6531: UTF8LMTP with STARTTLS
	ProtocolUTF8LMTPSA Protocol = "UTF8LMTPSA" // RFC 6531: UTF8LMTP with STARTTLS and SMTP AUTH

	// ProtocolSMTPS is observed from Google ("with SMTPS", between its
	// own servers); not registered.
	ProtocolSMTPS Protocol = "SMTPS"
	// ProtocolSMTPSA is observed from Gmail's submission servers; not
	// registered, but it reads as SMTP with TLS and AUTH.
	ProtocolSMTPSA Protocol = "SMTPSA"
	// ProtocolExchange is Microsoft Exchange's "with Microsoft SMTP
	// Server (version=…, cipher=…)"; it does not say whether the client
	// authenticated.
	ProtocolExchange Protocol = "MICROSOFT SMTP SERVER"
	// ProtocolMAPI is Exchange's "with mapi", observed on submission
	// from a mailbox (Outlook, Outlook on the web).
	ProtocolMAPI Protocol = "MAPI"
	// ProtocolHTTPS is Exchange Online's "with HTTPS", observed on
	// internal delivery to the mailbox store.
	ProtocolHTTPS Protocol = "HTTPS"
)

// protocolInfo describes one transmission type.
type protocolInfo struct {
	meaning       string
	registered    bool // in the IANA registry
	authenticated bool // the client authenticated with SMTP AUTH
	tls           bool
	local         bool // LMTP family: delivery to a message store
}

// protocols is the table of known transmission types.
var protocols = map[Protocol]protocolInfo{
	ProtocolSMTP:       {meaning: "SMTP", registered: true},
	ProtocolESMTP:      {meaning: "extended SMTP", registered: true},
	ProtocolESMTPA:     {meaning: "extended SMTP, client authenticated with SMTP AUTH", registered: true, authenticated: true},
	ProtocolESMTPS:     {meaning: "extended SMTP over STARTTLS", registered: true, tls: true},
	ProtocolESMTPSA:    {meaning: "extended SMTP over STARTTLS, client authenticated with SMTP AUTH", registered: true, authenticated: true, tls: true},
	ProtocolLMTP:       {meaning: "LMTP local delivery", registered: true, local: true},
	ProtocolLMTPA:      {meaning: "LMTP local delivery, authenticated", registered: true, authenticated: true, local: true},
	ProtocolLMTPS:      {meaning: "LMTP local delivery over STARTTLS", registered: true, tls: true, local: true},
	ProtocolLMTPSA:     {meaning: "LMTP local delivery over STARTTLS, authenticated", registered: true, authenticated: true, tls: true, local: true},
	ProtocolUTF8SMTP:   {meaning: "SMTP with SMTPUTF8", registered: true},
	ProtocolUTF8SMTPA:  {meaning: "SMTP with SMTPUTF8, client authenticated with SMTP AUTH", registered: true, authenticated: true},
	ProtocolUTF8SMTPS:  {meaning: "SMTP with SMTPUTF8 over STARTTLS", registered: true, tls: true},
	ProtocolUTF8SMTPSA: {meaning: "SMTP with SMTPUTF8 over STARTTLS, client authenticated with SMTP AUTH", registered: true, authenticated: true, tls: true},
	ProtocolUTF8LMTP:   {meaning: "LMTP local delivery with SMTPUTF8", registered: true, local: true},
	ProtocolUTF8LMTPA:  {meaning: "LMTP local delivery with SMTPUTF8, authenticated", registered: true, authenticated: true, local: true},
	ProtocolUTF8LMTPS:  {meaning: "LMTP local delivery with SMTPUTF8 over STARTTLS", registered: true, tls: true, local: true},
	ProtocolUTF8LMTPSA: {meaning: "LMTP local delivery with SMTPUTF8 over STARTTLS, authenticated", registered: true, authenticated: true, tls: true, local: true},
	ProtocolSMTPS:      {meaning: "SMTP over TLS (observed from Google; not a registered type)", tls: true},
	ProtocolSMTPSA:     {meaning: "SMTP over TLS, client authenticated (observed from Gmail; not a registered type)", authenticated: true, tls: true},
	ProtocolExchange:   {meaning: "Microsoft Exchange SMTP (does not record whether the client authenticated)"},
	ProtocolMAPI:       {meaning: "Microsoft Exchange submission from a mailbox (observed for Outlook and Outlook on the web)"},
	ProtocolHTTPS:      {meaning: "Microsoft Exchange Online internal delivery (observed)"},
}

// Protocol returns the transmission type of the "with" clause, upper
// case, when it is one this package knows; otherwise the first word of
// the clause, upper case (empty when there is no "with"). Suffixes
// written after a "/" (as in "ESMTP/TLS/…") are ignored.
func (h *Hop) Protocol() Protocol {
	w := strings.TrimSpace(h.With)
	if w == "" {
		return ""
	}
	if isExchange(w) {
		return ProtocolExchange
	}
	return Protocol(upperFirstWord(w))
}

// isExchange reports whether the "with" clause w starts with
// ProtocolExchange, case ignored as [strings.ToUpper] ignores it.
func isExchange(w string) bool {
	const name = string(ProtocolExchange)
	switch {
	case len(w) >= len(name) && isASCII(w[:len(name)]):
		return equalFoldASCII(w[:len(name)], name)
	case isASCII(w):
		return false // too short
	}
	// Unicode upper-casing turns "ı" into "I" and "ſ" into "S", and
	// changes the length of some characters.
	return strings.HasPrefix(strings.ToUpper(w), name)
}

// maxProtocolLen is the longest first word [Hop.protocolInfo] upper-cases
// on the stack; the types in protocols are shorter.
const maxProtocolLen = 16

// protocolInfo returns the entry of protocols for [Hop.Protocol]. For
// the usual short ASCII clause it upper-cases the first word on the
// stack instead of allocating the name.
func (h *Hop) protocolInfo() (protocolInfo, bool) {
	w := strings.TrimSpace(h.With)
	word := firstProtocolWord(w)
	if !isASCII(w) || len(word) > maxProtocolLen || isExchange(w) {
		info, ok := protocols[h.Protocol()]
		return info, ok
	}
	var buf [maxProtocolLen]byte
	upper := buf[:len(word)]
	for i := range len(word) {
		upper[i] = upperASCII(word[i])
	}
	info, ok := protocols[Protocol(upper)]
	return info, ok
}

// Known reports whether p is a registered type or one of the observed
// values listed above.
func (p Protocol) Known() bool {
	_, ok := protocols[p]
	return ok
}

// Registered reports whether p is in the IANA Mail Transmission Types
// registry.
func (p Protocol) Registered() bool { return protocols[p].registered }

// Meaning returns a short description of p, or "" when unknown.
func (p Protocol) Meaning() string { return protocols[p].meaning }
