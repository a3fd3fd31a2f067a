package authlens

import (
	"bytes"
	"context"
	"strings"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/arc"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/trust"
)

// arcChain validates the ARC chain, offline or over DNS, and says when a
// passing chain vouches for an aligned pass the final receiver lacks: the
// forwarding case ARC exists for.
func (a *analysis) arcChain(ctx context.Context) {
	if !hasField(a.msg, "ARC-Seal") && !hasField(a.msg, "ARC-Message-Signature") && !hasField(a.msg, "ARC-Authentication-Results") {
		return
	}
	opts := arc.Options{Offline: a.opts.Resolver == nil, NoBody: a.noBody, TrustedSealers: a.opts.ARCTrustedSealers, Now: a.opts.Now, Keys: a.opts.Cache.dkimKeys(), Bodies: a.bodyChecks}
	var r arc.Resolver
	if a.opts.Resolver != nil {
		r = a.opts.Resolver
	}
	res, err := arc.ValidateMessage(ctx, r, a.signedMessage(), a.parsedARCResults(), opts)
	if err != nil || res == nil {
		return
	}
	rep := &ARCReport{Result: string(res.Status), Checked: "online", FailedInstance: res.FailedInstance,
		Reason: string(res.Reason), Explanation: res.Explanation, OldestPass: res.OldestPass, Trusted: res.Trusted, Sets: []ARCHop{}}
	if res.Offline {
		rep.Checked = "offline"
	}
	for _, s := range res.Sets {
		h := ARCHop{Instance: s.Instance, Sealer: s.Sealer, Selector: s.Selector, CV: string(s.ChainValidation),
			Saw: ARCSaw{AuthservID: s.Saw.AuthServID, SPF: string(s.Saw.SPF), MailFrom: s.Saw.MailFrom, DKIM: string(s.Saw.DKIM),
				DKIMDomains: s.Saw.DKIMDomains, DMARC: string(s.Saw.DMARC), HeaderFrom: s.Saw.HeaderFrom, ARC: string(s.Saw.ARC)}}
		if s.BodyChecked {
			intact := s.BodyIntact
			h.BodyIntact = &intact
		}
		if !res.Offline {
			seal, ams := s.SealVerified, s.AMSVerified
			h.SealVerified, h.SignatureVerified = &seal, &ams
		}
		rep.Sets = append(rep.Sets, h)
	}
	a.rep.ARC = rep
	spfOK, dkimOK := a.alignedPass()
	// Sets the final receiver sealed itself are its own word: it trusts
	// them as it trusts its own Authentication-Results, and a chain of
	// only such sets that no longer verifies was changed after delivery,
	// not on a forwarding path.
	self := a.selfSealed(res)
	judged := *res
	judged.Trusted = res.Trusted || self
	f := arc.ForwardingFinding(&judged, a.fromDomain, spfOK || dkimOK != "")
	if f == nil {
		return
	}
	msg := sentence(f.Message)
	if self && f.Code == arc.CodeChainBroken {
		f.Severity = finding.Low
		msg += "; every set was sealed by the final receiver itself, so the copy at hand was changed after delivery"
	}
	a.add(f.Severity, f.Code, "%s", msg)
}

// selfSealed reports whether every ARC set was sealed at the trusted
// receiver: its ARC-Authentication-Results name the receiver, or a host
// of the receiver's organization.
func (a *analysis) selfSealed(res *arc.Result) bool {
	id := a.boundary.Receiver
	if id == "" || len(res.Sets) == 0 {
		return false
	}
	org := align.PublicOrgDomain(id)
	for _, s := range res.Sets {
		sid := s.Saw.AuthServID
		if sid == "" || !strings.EqualFold(sid, id) && (org == "" || align.PublicOrgDomain(sid) != org) {
			return false
		}
	}
	return true
}

// signedMessage returns the message as dkim and arc take it once it is
// parsed: its header fields, and a new reader over its body, so that the
// header block is not read again.
func (a *analysis) signedMessage() *dkim.Message {
	fields := make([]dkim.Field, len(a.msg.Fields))
	for i, f := range a.msg.Fields {
		fields[i] = dkim.Field{Name: f.Name, Raw: f.Raw}
	}
	return &dkim.Message{Header: fields, Body: bytes.NewReader(a.msg.Body)}
}

// parsedARCResults returns the ARC-Authentication-Results fields that
// authResults parsed already, so that ARC validation does not parse them
// again.
func (a *analysis) parsedARCResults() []arc.ParsedResults {
	var out []arc.ParsedResults
	for _, f := range a.boundary.Fields {
		if f.Kind == trust.KindARC {
			out = append(out, arc.ParsedResults{Field: f.Index, Header: f.Results, Err: f.Err})
		}
	}
	return out
}
