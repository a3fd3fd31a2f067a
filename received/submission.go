package received

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/finding"
)

// Role says what an authenticated hop most likely was.
type Role string

// Roles of an authenticated hop.
const (
	// RoleClientSubmission: the first network hop of the chain (only
	// local hops before it), so the authenticated client is most likely
	// the sender's mail program.
	RoleClientSubmission Role = "client-submission"
	// RoleRelay: an authenticated hop between two servers, usually a
	// smarthost or filtering relay with its own credential, not an end
	// user.
	RoleRelay Role = "relay"
	// RoleLocalDelivery: an LMTP-family hop, delivery into a message
	// store inside the receiver, not a client.
	RoleLocalDelivery Role = "local-delivery"
)

// Submission summarizes what the Received chain shows about
// authenticated submission (RFC 3848 "A" types). The Authentication-
// Results "auth" method (RFC 8601, section 2.7.4: "auth=pass
// smtp.auth=user") is the other, more explicit record of SMTP AUTH; it
// is not read here, and callers that have it should report it alongside.
type Submission struct {
	// Authenticated reports whether a client hop (not local delivery)
	// used an authenticated transmission type.
	Authenticated bool `json:"authenticated"`
	// Hops lists every authenticated hop in delivery order.
	Hops []AuthHop `json:"hops,omitempty"`
}

// AuthHop is one hop whose transmission type says the client
// authenticated.
type AuthHop struct {
	// Index is the hop's index in [Chain].Hops.
	Index int `json:"index"`
	// With is the hop's "with" clause as written.
	With string `json:"with"`
	// Role is the likely role of the hop.
	Role Role `json:"role"`
	// ClientIP, HELO and ReverseDNS describe the authenticated client.
	ClientIP   string `json:"client_ip,omitempty"`
	HELO       string `json:"helo,omitempty"`
	ReverseDNS string `json:"reverse_dns,omitempty"`
	// By is the server the client authenticated to.
	By string `json:"by,omitempty"`
}

// summarize collects the authenticated hops of a chain.
func summarize(hops []Step) Submission {
	var s Submission
	networkBefore := false
	for i, st := range hops {
		h := st.Hop
		if h.Authenticated() {
			ah := AuthHop{Index: i, With: h.With, ClientIP: h.IP, HELO: h.HELO, ReverseDNS: h.ReverseDNS, By: h.By}
			switch {
			case h.Local():
				ah.Role = RoleLocalDelivery
			case networkBefore:
				ah.Role = RoleRelay
			default:
				ah.Role = RoleClientSubmission
			}
			if ah.Role != RoleLocalDelivery {
				s.Authenticated = true
			}
			s.Hops = append(s.Hops, ah)
		}
		if !h.loopbackOrNone() {
			networkBefore = true
		}
	}
	return s
}

// findings reports the authenticated hops.
func (s Submission) findings(hops []Step) []finding.Finding {
	var out []finding.Finding
	for _, ah := range s.Hops {
		n := ah.Index + 1
		client := ah.ClientIP
		if client == "" {
			client = orUnknown(ah.HELO)
		}
		switch ah.Role {
		case RoleClientSubmission:
			out = append(out, finding.Finding{Severity: finding.Info, Code: CodeAuthSubmission, Message: fmt.Sprintf("Hop %d (%s to %s, with %s) records an authenticated SMTP submission; the type does not say whether a password, app password or OAuth token was used.",
				n, client, orUnknown(ah.By), ah.With)})
			if strings.EqualFold(ah.HELO, "User") {
				out = append(out, finding.Finding{Severity: finding.Low, Code: CodeHELOUser, Message: fmt.Sprintf("The authenticated client at hop %d greeted with HELO \"User\", a pattern observed from bulk-mailing tools that use stolen credentials (a pattern, not proof).", n)})
			}
		case RoleRelay:
			out = append(out, finding.Finding{Severity: finding.Info, Code: CodeAuthRelay, Message: fmt.Sprintf("Hop %d (%s to %s, with %s) is an authenticated relay between servers, likely a smarthost credential rather than an end user.",
				n, client, orUnknown(ah.By), ah.With)})
		}
	}
	return out
}
