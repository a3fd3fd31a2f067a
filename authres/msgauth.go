package authres

import (
	"strconv"
	"strings"

	msgauth "github.com/emersion/go-msgauth/authres"
)

// ToMsgauth converts h to the types of github.com/emersion/go-msgauth/authres,
// for code that already consumes them: the authserv-id and one result per
// method, typed for the methods that package knows (auth, dkim, domainkeys,
// iprev, sender-id, spf, dmarc, arc) and a GenericResult, keyed by
// "ptype.property" plus "reason", for the others. Comments and property order
// are lost in the conversion.
func (h *Header) ToMsgauth() (identifier string, results []msgauth.Result) {
	results = make([]msgauth.Result, 0, len(h.Results))
	for i := range h.Results {
		results = append(results, h.Results[i].toMsgauth())
	}
	return h.AuthServID, results
}

func (r *Result) toMsgauth() msgauth.Result {
	v := msgauth.ResultValue(r.Value)
	switch r.Method {
	case MethodAuth:
		return &msgauth.AuthResult{Value: v, Reason: r.Reason, Auth: r.Prop("smtp.auth")}
	case MethodDKIM:
		return &msgauth.DKIMResult{Value: v, Reason: r.Reason,
			Domain: r.Prop("header.d"), Identifier: r.Prop("header.i")}
	case MethodDomainKeys:
		return &msgauth.DomainKeysResult{Value: v, Reason: r.Reason, Domain: r.Prop("header.d"),
			From: r.Prop("header.from"), Sender: r.Prop("header.sender")}
	case MethodIPRev:
		ip := r.Prop("policy.iprev")
		if ip == "" {
			ip = r.Prop("smtp.remote-ip")
		}
		return &msgauth.IPRevResult{Value: v, Reason: r.Reason, IP: ip}
	case MethodSenderID:
		res := &msgauth.SenderIDResult{Value: v, Reason: r.Reason}
		for _, p := range r.Props {
			if p.Type == "header" {
				res.HeaderKey, res.HeaderValue = p.Property, p.Value
				break
			}
		}
		return res
	case MethodSPF:
		from := r.Prop("smtp.mailfrom")
		if from == "" {
			from = r.Prop("smtp.mail") // legacy Gmail spelling
		}
		return &msgauth.SPFResult{Value: v, Reason: r.Reason, From: from, Helo: r.Prop("smtp.helo")}
	case MethodDMARC:
		return &msgauth.DMARCResult{Value: v, Reason: r.Reason, From: r.Prop("header.from")}
	case MethodARC:
		res := &msgauth.ARCResult{Value: v, RemoteIP: r.Prop("smtp.remote-ip")}
		if res.RemoteIP == "" {
			res.RemoteIP = r.Prop("smtp.client-ip")
		}
		// RFC 8617, section 4.1.3: header.oldest-pass counts from 1.
		if n, err := strconv.Atoi(r.Prop("header.oldest-pass")); err == nil && n > 0 {
			res.OldestPass = n
		}
		return res
	}
	params := make(map[string]string, len(r.Props)+1)
	if r.Reason != "" {
		params["reason"] = r.Reason
	}
	for _, p := range r.Props {
		k := strings.ToLower(p.Key())
		if _, dup := params[k]; !dup {
			params[k] = p.Value
		}
	}
	return &msgauth.GenericResult{Method: string(r.Method), Value: v, Params: params}
}
