package authlens

import (
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/lookalike"
	"github.com/authlens/authlens/internal/message"
	"golang.org/x/net/idna"
)

// summary fills the report's message section.
func (a *analysis) summary() {
	s := message.Summarize(a.msg.Fields)
	info := &MessageInfo{Subject: s.Subject, Date: s.Date, MessageID: s.MessageID, To: []string{}}
	for _, t := range s.To {
		info.To = append(info.To, t.Address)
	}
	for _, r := range s.ReplyTo {
		info.ReplyTo = append(info.ReplyTo, Identity{Address: r.Address, Domain: r.Domain, Name: r.Name})
	}
	a.rep.Message = info
}

// authorFindings says what makes the author look like someone else: a
// Reply-To in another organization, a display name or local part that
// names another domain, a From domain or display name written in letters
// that imitate Latin ones. Each weighs more when the From domain failed to
// authenticate, since then nothing vouches for the author at all.
func (a *analysis) authorFindings() {
	if len(a.msg.From) == 0 || a.fromDomain == "" {
		return
	}
	from := a.msg.From[0]
	sev := finding.Low
	if v := a.rep.Verdict; v != nil && (v.Status == VerdictFail || v.Status == VerdictWeak) {
		sev = finding.Medium
	}
	fromOrg, err := align.OrgDomain(a.fromDomain)
	if err != nil {
		return
	}
	if info := a.rep.Message; info != nil {
		for _, r := range info.ReplyTo {
			if org, err := align.OrgDomain(r.Domain); err == nil && r.Domain != "" && org != fromOrg {
				a.add(sev, CodeReplyToForeign, "Replies go to %s, in another organization (%s) than the From domain %s: answers would not reach the author's domain.", r.Address, org, a.fromDomain)
				break
			}
		}
	}
	local := from.Address
	if at := strings.LastIndexByte(local, '@'); at >= 0 {
		local = local[:at]
	}
	for _, part := range []struct{ what, text string }{{"display name", from.Name}, {"local part", local}} {
		if part.what == "local part" && strings.Contains(part.text, "=") {
			// A list's or forwarder's rewrite of the original address
			// ("alice=40example.com@lists.example.org", SRS): not an
			// imitation.
			continue
		}
		for _, d := range lookalike.Domains(part.text) {
			if org, err := align.OrgDomain(d); err == nil && org != fromOrg {
				a.add(sev, CodeFromLookalike, "The From %s %q names %s, but the address is in %s: a mail client that shows only the name shows a domain that did not send the message.", part.what, part.text, d, a.fromDomain)
				break
			}
		}
	}
	if u, err := idna.ToUnicode(a.fromDomain); err == nil && u != a.fromDomain {
		if w := lookalike.Homograph(u); w != "" {
			a.add(finding.High, CodeFromLookalike, "The From domain %s is written %s, and its label %q uses letters of another script that look like Latin ones: it imitates a different domain.", a.fromDomain, u, w)
		}
	}
	if w := lookalike.Homograph(from.Name); w != "" {
		a.add(sev, CodeFromLookalike, "The From display name %q mixes letters of scripts that look alike (%q): it may imitate another name.", from.Name, w)
	}
}
