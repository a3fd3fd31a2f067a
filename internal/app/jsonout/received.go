package jsonout

import "github.com/authlens/authlens/received"

// This file writes the Received trace chain.

// appendChain writes a received.Chain. TotalDelay is tagged "-" and left
// out; TotalSeconds carries it.
func appendChain(dst []byte, v *received.Chain) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = array(dst, o, "hops", v.Hops, appendStep)
	dst = float(dst, o, "total_delay_seconds", v.TotalSeconds)
	dst = boolean(dst, o, "total_delay_known", v.TotalKnown)
	dst = strOmit(dst, o, "receiver_org", v.ReceiverOrg)
	dst = integer(dst, o, "entry", v.Entry)
	dst = strOmit(dst, o, "entry_client_ip", v.EntryClientIP)
	dst = strOmit(dst, o, "entry_client_ip_from", v.EntryClientIPFrom)
	dst = object(dst, o, "submission", &v.Submission, appendReceivedSubmission)
	dst = array(dst, o, "findings", v.Findings, appendFinding)
	return append(dst, '}')
}

// appendStep writes a received.Step. Err and Delay are tagged "-"; Error
// and DelaySeconds carry them.
func appendStep(dst []byte, v *received.Step) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = ptr(dst, o, "hop", v.Hop, appendHop)
	dst = strOmit(dst, o, "error", v.Error)
	dst = float(dst, o, "delay_seconds", v.DelaySeconds)
	dst = boolean(dst, o, "delay_known", v.DelayKnown)
	return append(dst, '}')
}

// appendHop writes a received.Hop.
func appendHop(dst []byte, v *received.Hop) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "raw", v.Raw)
	dst = strOmit(dst, o, "from", v.From)
	dst = strOmit(dst, o, "helo", v.HELO)
	dst = strOmit(dst, o, "reverse_dns", v.ReverseDNS)
	dst = strOmit(dst, o, "ip", v.IP)
	dst = strOmit(dst, o, "by", v.By)
	dst = strOmit(dst, o, "via", v.Via)
	dst = strOmit(dst, o, "with", v.With)
	dst = strOmit(dst, o, "id", v.ID)
	dst = strOmit(dst, o, "for", v.For)
	dst = arrayOmit(dst, o, "comments", v.Comments, appendComment)
	dst = strOmit(dst, o, "date_text", v.DateText)
	dst = timeOmitZero(dst, o, "date", v.Date)
	return append(dst, '}')
}

// appendComment writes a received.Comment.
func appendComment(dst []byte, v *received.Comment) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "clause", v.Clause)
	dst = str(dst, o, "text", v.Text)
	return append(dst, '}')
}

// appendReceivedSubmission writes a received.Submission: the Chain's
// summary, and the Report's submission evidence.
func appendReceivedSubmission(dst []byte, v *received.Submission) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = boolean(dst, o, "authenticated", v.Authenticated)
	dst = arrayOmit(dst, o, "hops", v.Hops, appendAuthHop)
	return append(dst, '}')
}

// appendAuthHop writes a received.AuthHop.
func appendAuthHop(dst []byte, v *received.AuthHop) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = integer(dst, o, "index", v.Index)
	dst = str(dst, o, "with", v.With)
	dst = str(dst, o, "role", string(v.Role))
	dst = strOmit(dst, o, "client_ip", v.ClientIP)
	dst = strOmit(dst, o, "helo", v.HELO)
	dst = strOmit(dst, o, "reverse_dns", v.ReverseDNS)
	dst = strOmit(dst, o, "by", v.By)
	return append(dst, '}')
}
