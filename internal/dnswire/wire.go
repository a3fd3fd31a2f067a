// Package dnswire holds the DNS presentation-form helpers that the DNS
// client (package dnsclient) and the test DNS server and fake resolver
// (internal/dnstest) share, so that both read names and TXT data from
// github.com/miekg/dns the same way.
package dnswire

import (
	"strings"

	"github.com/miekg/dns"
)

// TXTString returns the data of a TXT record as raw bytes: its
// character-strings unescaped and concatenated (RFC 7208, section 3.3 and
// RFC 6376, section 3.6.2.2 both read multi-string records this way).
func TXTString(rr *dns.TXT) string {
	var b strings.Builder
	for _, s := range rr.Txt {
		b.WriteString(Unescape(s))
	}
	return b.String()
}

// Unescape turns text in DNS presentation form (RFC 1035, section 5.1) —
// as github.com/miekg/dns keeps names and TXT character-strings, with
// "\c" and "\DDD" escapes — back into raw bytes.
func Unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		if i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
			b.WriteByte((s[i]-'0')*100 + (s[i+1]-'0')*10 + (s[i+2] - '0'))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// NetworkTypes returns the record types a LookupNetIP network asks for, in
// order: A for "ip4", AAAA for "ip6", both for "ip". ok is false for any
// other network.
func NetworkTypes(network string) (types []uint16, ok bool) {
	switch network {
	case "ip":
		return []uint16{dns.TypeA, dns.TypeAAAA}, true
	case "ip4":
		return []uint16{dns.TypeA}, true
	case "ip6":
		return []uint16{dns.TypeAAAA}, true
	}
	return nil, false
}
