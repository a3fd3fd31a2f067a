package authlens

import (
	"net/netip"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/compauth"
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
// recorded it, and where it was read: the trusted Received-SPF client-ip=,
// the trusted Authentication-Results (iprev's smtp.remote-ip, client-ip=
// or an address in an spf comment: "sender IP is …", "designates … as
// permitted sender"), then, when Microsoft 365 or Outlook.com received the
// message, X-Sender-IP and the Forefront report's CIP:. These name the
// address the receiver saw, which the Received chain alone may hide
// behind internal hops.
func (a *analysis) recordedClientIP() (netip.Addr, string) {
	hdrs, spfs := a.trusted()
	for _, s := range spfs {
		if ip, ok := parseIP(s.Get("client-ip")); ok {
			return ip, ipFromReceivedSPF
		}
	}
	for _, h := range hdrs {
		for _, r := range h.Results {
			if ip, ok := parseIP(r.Prop("smtp.remote-ip")); ok {
				return ip, ipFromAuthResults
			}
			if r.Method != authres.MethodSPF && r.Method != authres.MethodIPRev {
				continue
			}
			for _, c := range r.Comments {
				if ip, ok := ipInText(c); ok {
					return ip, ipFromAuthResults
				}
			}
		}
	}
	if a.boundary.Receiver != trust.MicrosoftReceiver {
		return netip.Addr{}, ""
	}
	if v := header.Values(a.msg.Fields, "X-Sender-IP"); len(v) > 0 {
		if ip, ok := parseIP(v[0]); ok {
			return ip, ipFromSenderIP
		}
	}
	if v := header.Values(a.msg.Fields, "X-Forefront-Antispam-Report"); len(v) > 0 {
		if r, err := compauth.ParseForefront(v[0]); err == nil && r != nil && !strings.EqualFold(r.Direction, "OUT") {
			if ip, ok := parseIP(r.ConnectingIP); ok && ip != netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
				return ip, ipFromForefront
			}
		}
	}
	return netip.Addr{}, ""
}

// ipInText returns the first IP address among the words of a comment.
func ipInText(s string) (netip.Addr, bool) {
	for _, tok := range strings.FieldsFunc(s, func(c rune) bool {
		return c == ' ' || c == '(' || c == ')' || c == ',' || c == ';' || c == '=' || c == '\t'
	}) {
		if ip, ok := parseIP(strings.Trim(tok, "[].")); ok {
			return ip, true
		}
	}
	return netip.Addr{}, false
}

// parseIP parses an IPv4 or IPv6 address, unmapping IPv4-mapped IPv6.
func parseIP(s string) (netip.Addr, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "IPv6:")
	if !strings.ContainsAny(s, ".:") {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(s)
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	return ip.Unmap(), true
}

// reconcileEntry makes the Received chain's entry hop agree with the
// client address the receiver recorded: the hop whose client is that
// address is where the message entered, whatever internal hops follow
// (Microsoft's own relays, IPv6 link-local addresses, content filters).
// When no hop shows it, the recorded address is still the entry client,
// and the chain's own guess is reported beside it.
func (a *analysis) reconcileEntry(ch *received.Chain) {
	ip, from := a.recordedClientIP()
	if !ip.IsValid() {
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
		if hip := h.Addr(); hip.IsValid() && hip.Unmap() == ip {
			ch.Entry, ch.EntryClientIP, ch.EntryClientIPFrom = i, ip.String(), from
			return
		}
	}
	guess := ch.EntryClientIP
	ch.EntryClientIP, ch.EntryClientIPFrom = ip.String(), from
	if guess != "" && guess != ip.String() {
		a.add(SeverityInfo, CodeEntryNotInChain, "The receiver recorded the client %s (%s), which no Received field shows; the Received chain alone would point at %s.", ip, from, guess)
	}
}
