package jsonout

import (
	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
)

// AppendReport appends the JSON form of r to dst, byte for byte what
// encoding/json's Encoder with SetEscapeHTML(false) writes for r,
// including the trailing newline. A nil r is written as null. It
// allocates nothing beyond growing dst (and, for an Authentication-Results
// result with more than 32 properties, the list of their keys to sort).
func AppendReport(dst []byte, r *authlens.Report) []byte {
	if r == nil {
		return append(dst, "null\n"...)
	}
	return append(appendReport(dst, r), '\n')
}

// appendReport writes a Report, members in struct order.
func appendReport(dst []byte, r *authlens.Report) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "source", r.Source)
	dst = strOmit(dst, o, "error", r.Error)
	dst = ptrOmit(dst, o, "verdict", r.Verdict, appendVerdict)
	dst = ptrOmit(dst, o, "from", r.From, appendIdentity)
	dst = ptrOmit(dst, o, "mail_from", r.MailFrom, appendMailFrom)
	dst = ptrOmit(dst, o, "message", r.Message, appendMessageInfo)
	dst = array(dst, o, "auth_results", r.AuthResults, appendAuthResultsField)
	dst = ptrOmit(dst, o, "spf", r.SPF, appendSPFVerdict)
	dst = array(dst, o, "dkim", r.DKIM, appendDKIMVerdict)
	dst = ptrOmit(dst, o, "dmarc", r.DMARC, appendDMARCVerdict)
	dst = ptrOmit(dst, o, "spf_evaluated", r.SPFEvaluated, appendSPFEvaluated)
	dst = ptrOmit(dst, o, "dmarc_evaluated", r.DMARCEvaluated, appendDMARCEvaluated)
	dst = arrayOmit(dst, o, "dns", r.DNS, appendDNSQuery)
	dst = ptrOmit(dst, o, "arc", r.ARC, appendARCReport)
	dst = ptrOmit(dst, o, "compauth", r.Compauth, appendCompauthVerdict)
	dst = ptrOmit(dst, o, "antispam", r.Antispam, appendAntispam)
	dst = ptrOmit(dst, o, "received", r.Received, appendChain)
	dst = ptrOmit(dst, o, "submission", r.Submission, appendSubmission)
	dst = ptrOmit(dst, o, "bounce", r.Bounce, appendBounce)
	dst = array(dst, o, "findings", r.Findings, appendFinding)
	return append(dst, '}')
}

// appendVerdict writes a Verdict.
func appendVerdict(dst []byte, v *authlens.Verdict) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "status", string(v.Status))
	dst = str(dst, o, "summary", v.Summary)
	dst = str(dst, o, "basis", v.Basis)
	return append(dst, '}')
}

// appendIdentity writes an Identity.
func appendIdentity(dst []byte, v *authlens.Identity) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "address", v.Address)
	dst = str(dst, o, "domain", v.Domain)
	dst = strOmit(dst, o, "name", v.Name)
	return append(dst, '}')
}

// appendMessageInfo writes a MessageInfo.
func appendMessageInfo(dst []byte, v *authlens.MessageInfo) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "subject", v.Subject)
	dst = str(dst, o, "date", v.Date)
	dst = str(dst, o, "message_id", v.MessageID)
	dst = strs(dst, o, "to", v.To)
	dst = arrayOmit(dst, o, "reply_to", v.ReplyTo, appendIdentity)
	return append(dst, '}')
}

// appendMailFrom writes a MailFrom.
func appendMailFrom(dst []byte, v *authlens.MailFrom) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "address", v.Address)
	dst = str(dst, o, "domain", v.Domain)
	dst = str(dst, o, "origin", v.Origin)
	return append(dst, '}')
}

// appendSubmission writes a Submission.
func appendSubmission(dst []byte, v *authlens.Submission) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = ptrOmit(dst, o, "exchange", v.Exchange, appendExchangeSubmission)
	dst = ptrOmit(dst, o, "received", v.Received, appendReceivedSubmission)
	dst = arrayOmit(dst, o, "smtp_auth", v.SMTPAuth, appendSMTPAuth)
	return append(dst, '}')
}

// appendSMTPAuth writes an SMTPAuth.
func appendSMTPAuth(dst []byte, v *authlens.SMTPAuth) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "field", v.Field)
	dst = str(dst, o, "authserv_id", v.AuthservID)
	dst = str(dst, o, "user", v.User)
	dst = strOmit(dst, o, "mechanism", v.Mechanism)
	return append(dst, '}')
}

// appendFinding writes a finding.Finding; authlens, compauth and received
// all alias it.
func appendFinding(dst []byte, v *finding.Finding) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "severity", string(v.Severity))
	dst = str(dst, o, "code", string(v.Code))
	dst = str(dst, o, "message", v.Message)
	return append(dst, '}')
}
