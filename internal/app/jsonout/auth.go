package jsonout

import "github.com/authlens/authlens"

// This file writes the authentication results: the parsed
// Authentication-Results fields, the SPF, DKIM and DMARC verdicts as
// recorded and as evaluated, and the DNS queries behind the evaluation.

// appendAuthResultsField writes an AuthResultsField.
func appendAuthResultsField(dst []byte, v *authlens.AuthResultsField) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "field", v.Field)
	dst = integer(dst, o, "instance", v.Instance)
	dst = str(dst, o, "authserv_id", v.AuthservID)
	dst = boolean(dst, o, "trusted", v.Trusted)
	dst = strOmit(dst, o, "error", v.Error)
	dst = array(dst, o, "results", v.Results, appendResultJSON)
	return append(dst, '}')
}

// appendResultJSON writes a ResultJSON.
func appendResultJSON(dst []byte, v *authlens.ResultJSON) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "method", v.Method)
	dst = str(dst, o, "result", v.Result)
	dst = strOmit(dst, o, "reason", v.Reason)
	dst = appendStringMap(field(dst, o, "props"), v.Props)
	dst = strsOmit(dst, o, "comments", v.Comments)
	return append(dst, '}')
}

// appendSPFVerdict writes an SPFVerdict.
func appendSPFVerdict(dst []byte, v *authlens.SPFVerdict) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = spfVerdictMembers(dst, o, v)
	return append(dst, '}')
}

// spfVerdictMembers writes the members of an SPFVerdict into the object
// at open: on its own, or promoted into an SPFEvaluated, which embeds it.
func spfVerdictMembers(dst []byte, open int, v *authlens.SPFVerdict) []byte {
	dst = str(dst, open, "result", string(v.Result))
	dst = str(dst, open, "domain", v.Domain)
	dst = boolean(dst, open, "aligned", v.Aligned)
	return str(dst, open, "origin", string(v.Origin))
}

// appendSPFEvaluated writes an SPFEvaluated: the embedded SPFVerdict's
// members first, flattened, as encoding/json promotes them.
func appendSPFEvaluated(dst []byte, v *authlens.SPFEvaluated) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = spfVerdictMembers(dst, o, &v.SPFVerdict)
	dst = str(dst, o, "client_ip", v.ClientIP)
	dst = str(dst, o, "client_ip_from", v.ClientIPFrom)
	dst = str(dst, o, "explanation", v.Explanation)
	dst = integer(dst, o, "lookups", v.Lookups)
	dst = strOmit(dst, o, "error", v.Error)
	return append(dst, '}')
}

// appendDKIMVerdict writes a DKIMVerdict.
func appendDKIMVerdict(dst []byte, v *authlens.DKIMVerdict) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "domain", v.Domain)
	dst = str(dst, o, "selector", v.Selector)
	dst = str(dst, o, "result", string(v.Result))
	dst = boolean(dst, o, "aligned", v.Aligned)
	dst = strOmit(dst, o, "reason", v.Reason)
	dst = str(dst, o, "origin", string(v.Origin))
	dst = boolPtrOmit(dst, o, "body_intact", v.BodyIntact)
	dst = strsOmit(dst, o, "warnings", v.Warnings)
	return append(dst, '}')
}

// appendDMARCVerdict writes a DMARCVerdict.
func appendDMARCVerdict(dst []byte, v *authlens.DMARCVerdict) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = dmarcVerdictMembers(dst, o, v)
	return append(dst, '}')
}

// dmarcVerdictMembers writes the members of a DMARCVerdict into the
// object at open: on its own, or promoted into a DMARCEvaluated.
func dmarcVerdictMembers(dst []byte, open int, v *authlens.DMARCVerdict) []byte {
	dst = str(dst, open, "result", string(v.Result))
	dst = str(dst, open, "domain", v.Domain)
	dst = str(dst, open, "policy", v.Policy)
	dst = str(dst, open, "disposition", v.Disposition)
	dst = str(dst, open, "origin", string(v.Origin))
	return strOmit(dst, open, "action", v.Action)
}

// appendDMARCEvaluated writes a DMARCEvaluated: the embedded
// DMARCVerdict's members first, flattened.
func appendDMARCEvaluated(dst []byte, v *authlens.DMARCEvaluated) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = dmarcVerdictMembers(dst, o, &v.DMARCVerdict)
	dst = str(dst, o, "policy_domain", v.PolicyDomain)
	dst = str(dst, o, "org_domain", v.OrgDomain)
	dst = str(dst, o, "reason", v.Reason)
	dst = strOmit(dst, o, "error", v.Error)
	return append(dst, '}')
}

// appendDNSQuery writes a DNSQuery.
func appendDNSQuery(dst []byte, v *authlens.DNSQuery) []byte {
	o := len(dst)
	dst = append(dst, '{')
	dst = str(dst, o, "name", v.Name)
	dst = str(dst, o, "type", v.Type)
	dst = str(dst, o, "class", v.Class)
	dst = strsOmit(dst, o, "records", v.Records)
	dst = boolean(dst, o, "cached", v.Cached)
	dst = strOmit(dst, o, "error", v.Error)
	return append(dst, '}')
}
