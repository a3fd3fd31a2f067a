package authlens

import (
	"net/netip"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/compauth"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/header"
	"github.com/authlens/authlens/received"
	"github.com/authlens/authlens/trust"
)

// Where a client address was read (received.Chain.EntryClientIPFrom).
const (
	ipFromReceivedSPF = "received-spf"           // Received-SPF client-ip= (RFC 7208, section 9.1)
	ipFromAuthResults = "authentication-results" // smtp.remote-ip, or an address in an spf comment
	ipFromSenderIP    = "x-sender-ip"            // Outlook.com's X-Sender-IP
	ipFromForefront   = "forefront-cip"          // Microsoft 365's X-Forefront-Antispam-Report CIP:
	ipFromReceived    = "received"               // the Received field of the entry hop
)

// recordedClientIP returns the SMTP client's address as the receiver itself
// recorded it, and where it was read, wherever receivers write it:
// Received-SPF client-ip= (RFC 7208, section 9.1) or an address in its
// comment; iprev's smtp.remote-ip or smtp.client-ip (RFC 8601, section
// 2.7.3); a client-ip= or bare address in the comment of an spf or iprev
// result ("sender IP is …", "designates … as permitted sender"), IPv6
// included; then, when Microsoft 365 or Outlook.com received the message,
// X-Sender-IP and the Forefront report's CIP:. These name the address the
// receiver saw, which the Received chain alone may hide behind internal
// hops.
func (a *analysis) recordedClientIP() (netip.Addr, string) {
	hdrs, spfs := a.trusted()
	for _, s := range spfs {
		if ip, ok := parseClientIP(s.Get("client-ip")); ok {
			return ip, ipFromReceivedSPF
		}
	}
	for _, s := range spfs {
		if ip, ok := ipInComment(s.Comment); ok {
			return ip, ipFromReceivedSPF
		}
	}
	for _, h := range hdrs {
		for _, r := range h.Results {
			if r.Method != authres.MethodSPF && r.Method != authres.MethodIPRev {
				continue
			}
			for _, k := range []string{"smtp.remote-ip", "smtp.client-ip", "policy.iprev"} {
				if ip, ok := parseClientIP(r.Prop(k)); ok {
					return ip, ipFromAuthResults
				}
			}
			for _, c := range r.Comments {
				if ip, ok := ipInComment(c); ok {
					return ip, ipFromAuthResults
				}
			}
		}
	}
	if a.boundary.Receiver != trust.MicrosoftReceiver {
		return netip.Addr{}, ""
	}
	if v := header.Values(a.msg.Fields, "X-Sender-IP"); len(v) > 0 {
		if ip, ok := parseClientIP(v[0]); ok {
			return ip, ipFromSenderIP
		}
	}
	if v := header.Values(a.msg.Fields, "X-Forefront-Antispam-Report"); len(v) > 0 {
		if r, err := compauth.ParseForefront(v[0]); err == nil && r != nil && !strings.EqualFold(r.Direction, "OUT") {
			if ip, ok := parseClientIP(r.ConnectingIP); ok && ip != netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
				return ip, ipFromForefront
			}
		}
	}
	return netip.Addr{}, ""
}

// ipInComment returns the first client address in a comment: the value of
// a client-ip= (or ip=) pair, else the first token that is an address.
func ipInComment(c string) (netip.Addr, bool) {
	toks := strings.FieldsFunc(c, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '(' || r == ')' || r == ',' || r == ';' || r == '"'
	})
	for _, tok := range toks {
		if k, v, ok := strings.Cut(tok, "="); ok && (strings.EqualFold(k, "client-ip") || strings.EqualFold(k, "ip")) {
			if ip, ok := parseClientIP(v); ok {
				return ip, true
			}
		}
	}
	for _, tok := range toks {
		if ip, ok := parseClientIP(tok); ok {
			return ip, true
		}
	}
	return netip.Addr{}, false
}

// parseClientIP parses an address as receivers write it: bracketed, with
// an "IPv6:" tag (RFC 5321, section 4.1.3), or followed by punctuation;
// IPv4-mapped IPv6 is unmapped. Zoned and unspecified addresses are no
// client's.
func parseClientIP(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), "[]<>")
	if len(s) > 5 && strings.EqualFold(s[:5], "ipv6:") {
		s = s[5:]
	}
	if !ipText(strings.TrimRight(s, ".:]")) {
		// Not an address, nor one followed by punctuation (most words of
		// a comment): said without netip.ParseAddr, which allocates an
		// error for each.
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		ip, err = netip.ParseAddr(strings.TrimRight(s, ".:]"))
	}
	if err != nil || ip.IsUnspecified() || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	return ip.Unmap(), true
}

// ipText reports whether s is made of the characters of an IPv4 or IPv6
// address without a zone: hexadecimal digits, dots and colons.
func ipText(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// reconcileEntry makes the Received chain's entry hop agree with the
// client address the receiver recorded: the hop whose client is that
// address is where the message entered, whatever internal hops follow
// (Microsoft's own relays, IPv6 link-local addresses, content filters).
// When no hop shows it, the recorded address is still the entry client,
// and the chain's own guess is reported beside it.
func (a *analysis) reconcileEntry(ch *received.Chain) {
	ip, from := a.recordedClientIP()
	if !ip.IsValid() || ip.IsLoopback() {
		// A loopback client is the receiving host itself (a bounce or a
		// message it wrote): no entry from outside.
		if ch.EntryClientIP != "" {
			ch.EntryClientIPFrom = ipFromReceived
		}
		return
	}
	for i := len(ch.Hops) - 1; i >= 0; i-- {
		h := ch.Hops[i].Hop
		if h == nil {
			continue
		}
		if hip := h.Addr(); hip.IsValid() && hip.WithZone("").Unmap() == ip {
			ch.Entry, ch.EntryClientIP, ch.EntryClientIPFrom = i, ip.String(), from
			return
		}
	}
	guess := ch.EntryClientIP
	ch.EntryClientIP, ch.EntryClientIPFrom = ip.String(), from
	if guess != "" && guess != ip.String() {
		a.add(finding.Info, CodeEntryNotInChain, "The receiver recorded the client %s (%s), which no Received field shows; the Received chain alone would point at %s.", ip, from, guess)
	}
}
