package trust

import (
	"slices"
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/compauth"
)

// microsoftOrgs are the organizational domains of the servers of
// Microsoft 365 and Outlook.com, whose Authentication-Results fields carry
// no authserv-id: a Received field by one of them is Microsoft's own hop.
var microsoftOrgs = []string{"outlook.com", "office365.com", "microsoft.com", "hotmail.com", "live.com", "office.com", "exchangelabs.com", "outlook.cn"}

// upstream returns what shows that field f, the topmost trusted
// Authentication-Results field, was not written by the final receiver, or
// nil. Two kinds of evidence count, both positive, so that an
// organization's internal hops (private names, local delivery, address
// literals) never make its own verdict look foreign:
//
//   - Microsoft 365 stamped the field in the sender's tenant on the way
//     out: the message's X-Forefront-Antispam-Report says DIR:OUT;
//   - a Received field above f records a hand-off from a server of the
//     field's receiver to a server of another organization (both named by
//     public domain names), which added no field of its own.
func upstream(h Header, index int, id string) *Upstream {
	orgs := receiverOrgs(id)
	if len(orgs) > 0 && orgs[0] == microsoftOrgs[0] && outbound(h) {
		return &Upstream{Receiver: DisplayID(id), Outbound: true}
	}
	if len(orgs) == 0 {
		return nil
	}
	for i := index - 1; i >= 0; i-- {
		if !strings.EqualFold(h.Name(i), "Received") {
			continue
		}
		hop, err := hopAt(h, i)
		if err != nil || hop == nil || hop.Local() {
			continue
		}
		by := align.PublicOrgDomain(hop.By)
		if by == "" || slices.Contains(orgs, by) {
			continue
		}
		from := align.PublicOrgDomain(hop.ReverseDNS)
		if from == "" {
			from = align.PublicOrgDomain(hop.HELO)
		}
		if slices.Contains(orgs, from) {
			return &Upstream{Receiver: DisplayID(id), FinalReceiver: hop.By}
		}
	}
	return nil
}

// receiverOrgs returns the organizational domains of the servers of the
// receiver named id, or nil when id is not a public domain name.
func receiverOrgs(id string) []string {
	if id == MicrosoftReceiver {
		return microsoftOrgs
	}
	org := align.PublicOrgDomain(id)
	switch {
	case org == "":
		return nil
	case slices.Contains(microsoftOrgs, org):
		return microsoftOrgs
	}
	return []string{org}
}

// outbound reports whether the message's X-Forefront-Antispam-Report
// records the outbound direction (DIR:OUT). Microsoft 365 stamps
// Authentication-Results on the mail its tenants send, before the message
// is signed and leaves; the field keeps its name only in the last tenant
// that handled the message (a receiving tenant renames the sender's copy
// X-Forefront-Antispam-Report-Untrusted), so DIR:OUT there means that no
// Microsoft 365 tenant received the message after the sender's.
func outbound(h Header) bool {
	for i := range h.Len() {
		if !strings.EqualFold(h.Name(i), "X-Forefront-Antispam-Report") {
			continue
		}
		r, err := compauth.ParseForefront(h.Value(i))
		return err == nil && r != nil && strings.EqualFold(r.Direction, "OUT")
	}
	return false
}
