package jsonout

import "github.com/authlens/authlens/bounce"

// This file writes a delivery failure report: package bounce's Report,
// its recipients with their explanations, and the returned message's
// header fields.

// appendBounce writes a bounce.Report.
func appendBounce(dst []byte, v *bounce.Report) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "kind", string(v.Kind))
	dst = strOmit(dst, o, "generator", string(v.Generator))
	dst = strOmit(dst, o, "reporting_mta", v.ReportingMTA)
	dst = strOmit(dst, o, "arrival_date", v.ArrivalDate)
	dst = array(dst, o, "recipients", v.Recipients, appendBounceRecipient)
	dst = ptrOmit(dst, o, "original", v.Original, appendBounceOriginal)
	dst = strOmit(dst, o, "error", v.Error)
	return append(dst, '}')
}

// appendBounceRecipient writes a bounce.Recipient.
func appendBounceRecipient(dst []byte, v *bounce.Recipient) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "address", v.Address)
	dst = strOmit(dst, o, "original_address", v.OriginalAddress)
	dst = strOmit(dst, o, "action", v.Action)
	dst = strOmit(dst, o, "status", v.Status)
	dst = strOmit(dst, o, "status_field", v.StatusField)
	dst = intOmit(dst, o, "reply_code", v.ReplyCode)
	dst = strOmit(dst, o, "diagnostic_type", v.DiagnosticType)
	dst = strOmit(dst, o, "diagnostic", v.Diagnostic)
	dst = strOmit(dst, o, "remote_mta", v.RemoteMTA)
	dst = strOmit(dst, o, "last_attempt_date", v.LastAttemptDate)
	dst = object(dst, o, "explanation", &v.Explanation, appendBounceExplanation)
	return append(dst, '}')
}

// appendBounceExplanation writes a bounce.Explanation.
func appendBounceExplanation(dst []byte, v *bounce.Explanation) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "rule", v.Rule)
	dst = str(dst, o, "category", string(v.Category))
	dst = boolean(dst, o, "auth", v.Auth)
	dst = boolean(dst, o, "known", v.Known)
	dst = boolean(dst, o, "temporary", v.Temporary)
	dst = str(dst, o, "summary", v.Summary)
	dst = str(dst, o, "meaning", v.Meaning)
	dst = strsOmit(dst, o, "actions", v.Actions)
	dst = strsOmit(dst, o, "sources", v.Sources)
	return append(dst, '}')
}

// appendBounceOriginal writes a bounce.Original.
func appendBounceOriginal(dst []byte, v *bounce.Original) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = strOmit(dst, o, "from", v.From)
	dst = strOmit(dst, o, "to", v.To)
	dst = strOmit(dst, o, "subject", v.Subject)
	dst = strOmit(dst, o, "date", v.Date)
	dst = strOmit(dst, o, "message_id", v.MessageID)
	dst = strOmit(dst, o, "return_path", v.ReturnPath)
	dst = strsOmit(dst, o, "auth_results", v.AuthResults)
	dst = strOmit(dst, o, "recorded", v.Recorded)
	return append(dst, '}')
}
