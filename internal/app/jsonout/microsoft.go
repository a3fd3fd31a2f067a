package jsonout

import (
	"github.com/authlens/authlens"
	"github.com/authlens/authlens/compauth"
)

// This file writes Microsoft 365's verdict fields: compauth with its
// estimate and comparison, the antispam fields, and Exchange's submission
// classification.

// appendCompauthVerdict writes a CompauthVerdict.
func appendCompauthVerdict(dst []byte, v *authlens.CompauthVerdict) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "result", string(v.Result))
	dst = str(dst, o, "reason", v.Reason)
	dst = str(dst, o, "meaning", v.Meaning)
	dst = str(dst, o, "confidence", v.Confidence)
	dst = strsOmit(dst, o, "next_steps", v.NextSteps)
	dst = ptrOmit(dst, o, "estimate", v.Estimate, appendEstimate)
	dst = ptrOmit(dst, o, "comparison", v.Comparison, appendComparison)
	return append(dst, '}')
}

// appendEstimate writes a compauth.Estimate.
func appendEstimate(dst []byte, v *compauth.Estimate) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = strOmit(dst, o, "result", string(v.Result))
	dst = strOmit(dst, o, "reason", v.Reason)
	dst = str(dst, o, "confidence", string(v.Confidence))
	dst = str(dst, o, "basis", v.Basis)
	return append(dst, '}')
}

// appendComparison writes a compauth.Comparison.
func appendComparison(dst []byte, v *compauth.Comparison) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "agreement", string(v.Agreement))
	dst = boolean(dst, o, "explainable", v.Explainable)
	dst = str(dst, o, "message", v.Message)
	return append(dst, '}')
}

// appendAntispam writes a compauth.Antispam.
func appendAntispam(dst []byte, v *compauth.Antispam) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = ptrOmit(dst, o, "forefront", v.Forefront, appendForefront)
	dst = ptrOmit(dst, o, "microsoft", v.Microsoft, appendMicrosoftAntispam)
	dst = ptrOmit(dst, o, "scl", v.SCL, appendLevel)
	dst = ptrOmit(dst, o, "pcl", v.PCL, appendLevel)
	dst = ptrOmit(dst, o, "mailbox_delivery", v.MailboxDelivery, appendMailboxDelivery)
	return append(dst, '}')
}

// appendForefront writes a compauth.ForefrontReport.
func appendForefront(dst []byte, v *compauth.ForefrontReport) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = strOmit(dst, o, "connecting_ip", v.ConnectingIP)
	dst = strOmit(dst, o, "country", v.Country)
	dst = strOmit(dst, o, "language", v.Language)
	dst = intPtrOmit(dst, o, "scl", v.SCL)
	dst = strOmit(dst, o, "srv", v.Service)
	dst = strOmit(dst, o, "ipv", v.IPFilter)
	dst = strOmit(dst, o, "sfv", v.Verdict)
	dst = strOmit(dst, o, "helo", v.HELO)
	dst = strOmit(dst, o, "ptr", v.PTR)
	dst = strOmit(dst, o, "cat", v.Category)
	dst = strOmit(dst, o, "sfty", v.SafetyTip)
	dst = strOmit(dst, o, "sfs", v.Rules)
	dst = strOmit(dst, o, "dir", v.Direction)
	dst = array(dst, o, "fields", v.Fields, appendField)
	return append(dst, '}')
}

// appendMicrosoftAntispam writes a compauth.MicrosoftAntispam.
func appendMicrosoftAntispam(dst []byte, v *compauth.MicrosoftAntispam) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = intPtrOmit(dst, o, "bcl", v.BCL)
	dst = array(dst, o, "fields", v.Fields, appendField)
	return append(dst, '}')
}

// appendLevel writes a compauth.Level.
func appendLevel(dst []byte, v *compauth.Level) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = integer(dst, o, "value", v.Value)
	dst = str(dst, o, "meaning", v.Meaning)
	dst = str(dst, o, "confidence", string(v.Confidence))
	return append(dst, '}')
}

// appendMailboxDelivery writes a compauth.MailboxDelivery.
func appendMailboxDelivery(dst []byte, v *compauth.MailboxDelivery) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = strOmit(dst, o, "dest", v.Destination)
	dst = strOmit(dst, o, "ofr", v.OverrideReason)
	dst = array(dst, o, "fields", v.Fields, appendField)
	return append(dst, '}')
}

// appendField writes a compauth.Field.
func appendField(dst []byte, v *compauth.Field) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "key", v.Key)
	dst = str(dst, o, "value", v.Value)
	dst = str(dst, o, "name", v.Name)
	dst = strOmit(dst, o, "meaning", v.Meaning)
	dst = str(dst, o, "confidence", string(v.Confidence))
	dst = boolean(dst, o, "known", v.Known)
	return append(dst, '}')
}

// appendExchangeSubmission writes a compauth.Submission.
func appendExchangeSubmission(dst []byte, v *compauth.Submission) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = strOmit(dst, o, "auth_as", string(v.AuthAs))
	dst = strOmit(dst, o, "auth_as_meaning", v.AuthAsMeaning)
	dst = strOmit(dst, o, "auth_source", v.AuthSource)
	dst = ptrOmit(dst, o, "mechanism", v.Mechanism, appendMechanism)
	dst = strOmit(dst, o, "auth_domain", v.AuthDomain)
	dst = strOmit(dst, o, "cross_tenant_auth_as", string(v.CrossTenantAuthAs))
	dst = strOmit(dst, o, "cross_tenant_auth_source", v.CrossTenantAuthSource)
	return append(dst, '}')
}

// appendMechanism writes a compauth.Mechanism.
func appendMechanism(dst []byte, v *compauth.Mechanism) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "code", v.Code)
	dst = integer(dst, o, "value", v.Value)
	dst = strOmit(dst, o, "name", v.Name)
	dst = str(dst, o, "meaning", v.Meaning)
	dst = str(dst, o, "confidence", string(v.Confidence))
	dst = boolean(dst, o, "smtp_auth", v.SMTPAuth)
	return append(dst, '}')
}
