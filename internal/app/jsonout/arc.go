package jsonout

import "github.com/authlens/authlens"

// appendARCReport writes an ARCReport.
func appendARCReport(dst []byte, v *authlens.ARCReport) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "result", v.Result)
	dst = str(dst, o, "checked", v.Checked)
	dst = intOmit(dst, o, "failed_instance", v.FailedInstance)
	dst = strOmit(dst, o, "reason", v.Reason)
	dst = strOmit(dst, o, "explanation", v.Explanation)
	dst = integer(dst, o, "oldest_pass", v.OldestPass)
	dst = boolean(dst, o, "trusted", v.Trusted)
	dst = array(dst, o, "sets", v.Sets, appendARCHop)
	return append(dst, '}')
}

// appendARCHop writes an ARCHop.
func appendARCHop(dst []byte, v *authlens.ARCHop) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = integer(dst, o, "instance", v.Instance)
	dst = str(dst, o, "sealer", v.Sealer)
	dst = str(dst, o, "selector", v.Selector)
	dst = str(dst, o, "cv", v.CV)
	dst = boolPtrOmit(dst, o, "seal_verified", v.SealVerified)
	dst = boolPtrOmit(dst, o, "signature_verified", v.SignatureVerified)
	dst = boolPtrOmit(dst, o, "body_intact", v.BodyIntact)
	dst = object(dst, o, "saw", &v.Saw, appendARCSaw)
	return append(dst, '}')
}

// appendARCSaw writes an ARCSaw.
func appendARCSaw(dst []byte, v *authlens.ARCSaw) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "authserv_id", v.AuthservID)
	dst = str(dst, o, "spf", v.SPF)
	dst = str(dst, o, "mail_from", v.MailFrom)
	dst = str(dst, o, "dkim", v.DKIM)
	dst = strs(dst, o, "dkim_domains", v.DKIMDomains)
	dst = str(dst, o, "dmarc", v.DMARC)
	dst = str(dst, o, "header_from", v.HeaderFrom)
	dst = str(dst, o, "arc", v.ARC)
	return append(dst, '}')
}
