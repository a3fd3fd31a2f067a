package authlens

import (
	"slices"
	"strings"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/received"
)

// trace reads the Received chain (RFC 5321, section 4.4) and the evidence
// of authenticated submission: Received "with" types ending in A
// (RFC 3848) and auth=pass results with smtp.auth (RFC 8601, section
// 2.7.4) in any Authentication-Results-like field.
func (a *analysis) trace() {
	if hops := a.receivedFields(); len(hops) > 0 {
		ch := received.BuildChain(hops, a.now())
		a.reconcileEntry(ch)
		a.rep.Received = ch
		if ch.Submission.Authenticated {
			a.submission().Received = &ch.Submission
		}
		for _, f := range ch.Findings {
			a.add(finding.Severity(f.Severity), f.Code, "%s", f.Message)
		}
	}
	trustedAuth := false
	for _, f := range a.boundary.Fields {
		if f.Results == nil {
			continue
		}
		for r := range f.Results.Each(authres.MethodAuth) {
			if r.Value != authres.ResultPass {
				continue
			}
			trustedAuth = trustedAuth || f.Trusted
			au := SMTPAuth{
				Field:      f.Name,
				AuthservID: f.Results.AuthServID,
				User:       r.Prop("smtp.auth"),
				Mechanism:  strings.Join(r.Comments, " "),
			}
			// An ARC-Authentication-Results copy repeats the receiver's own
			// Authentication-Results; list each receiver's login once.
			if !slices.ContainsFunc(a.submission().SMTPAuth, func(o SMTPAuth) bool { return o.AuthservID == au.AuthservID && o.User == au.User }) {
				a.submission().SMTPAuth = append(a.submission().SMTPAuth, au)
			}
		}
	}
	if s := a.rep.Submission; s != nil && len(s.SMTPAuth) > 0 {
		au := s.SMTPAuth[len(s.SMTPAuth)-1] // the oldest: where the message entered
		if a.fromDaemon() {
			// A bounce the receiving server wrote itself and handed to
			// its own submission service.
			a.add(finding.Info, CodeSMTPAuthSubmission, "%s recorded auth=pass%s for a message written by a mail system (%s): the server submitted its own report; no person's password was used.", orDash(au.AuthservID), userNote(au.User), a.msg.From[0].Address)
			return
		}
		if !trustedAuth {
			// The sender's own provider logged its user in: how a person's
			// mail leaves.
			a.add(finding.Info, CodeSMTPAuthSubmission, "%s, the sender's side, recorded that the message was submitted with SMTP AUTH (auth=pass%s): the account that sent it logged in to its provider, as mail clients do.", orDash(au.AuthservID), userNote(au.User))
			return
		}
		a.add(finding.Medium, CodeSMTPAuthSubmission, "%s recorded that the message was submitted with SMTP AUTH (auth=pass%s): it came from a mail client or device holding a password for that account, not from another mail server. If the account did not send it, its password may be compromised; where the provider allows, block legacy (basic) authentication for SMTP.", orDash(au.AuthservID), userNote(au.User))
	}
}

// fromDaemon reports whether the author is a mail system rather than a
// person (MAILER-DAEMON, postmaster): a bounce its own server wrote.
func (a *analysis) fromDaemon() bool {
	if len(a.msg.From) == 0 {
		return false
	}
	local, _, _ := strings.Cut(strings.ToLower(a.msg.From[0].Address), "@")
	return local == "mailer-daemon" || local == "postmaster"
}

func userNote(u string) string {
	if u == "" {
		return ""
	}
	return " smtp.auth=" + u
}
