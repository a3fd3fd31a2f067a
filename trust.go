package authlens

import (
	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/internal/header"
	"github.com/authlens/authlens/received"
	"github.com/authlens/authlens/trust"
)

// authResults reads every Authentication-Results-like field and the trust
// boundary (package trust), and lists the fields in the report, top to
// bottom, marking the ones the trusted receiver wrote.
func (a *analysis) authResults() {
	b := trust.Read(a.fields(), trust.Options{TrustedAuthServIDs: a.opts.TrustedAuthServIDs})
	a.boundary = b
	a.rep.AuthResults = make([]AuthResultsField, 0, len(b.Fields))
	for i := range b.Fields {
		f := &b.Fields[i]
		out := AuthResultsField{Field: f.Name, Trusted: f.Trusted, Results: []ResultJSON{}}
		switch {
		case f.SPF != nil:
			out.Results = append(out.Results, receivedSPFJSON(f.SPF))
		case f.Results != nil:
			out.AuthservID = f.Results.AuthServID
			out.Instance = f.Results.Instance
			out.Results = make([]ResultJSON, 0, len(f.Results.Results))
			for _, r := range f.Results.Results {
				out.Results = append(out.Results, resultJSON(r))
			}
			if f.Err == nil && len(f.Results.Problems) > 0 {
				out.Error = f.Results.Problems[0].Error()
			}
		}
		if f.Err != nil {
			out.Error = f.Err.Error()
		}
		a.rep.AuthResults = append(a.rep.AuthResults, out)
	}
	a.rep.Findings = append(a.rep.Findings, b.Findings...)
}

// trusted returns the trusted receiver's Authentication-Results and
// Received-SPF fields.
func (a *analysis) trusted() (hdrs []*authres.Header, spfs []*authres.ReceivedSPF) {
	return a.boundary.Trusted()
}

// headerFields presents a header block to package trust.
type headerFields []header.Field

func (h headerFields) Len() int           { return len(h) }
func (h headerFields) Name(i int) string  { return h[i].Name }
func (h headerFields) Value(i int) string { return h[i].Value() }
func (h headerFields) Line(i int) int     { return h[i].Line }

// fields returns the message's header block as package trust reads it,
// with each Received field parsed at most once for trust and the trace
// alike.
func (a *analysis) fields() trust.ReceivedHeader {
	if a.hdr == nil {
		a.hdr = trust.WithReceived(headerFields(a.msg.Fields))
	}
	return a.hdr
}

// receivedFields returns every Received field, parsed, top to bottom.
func (a *analysis) receivedFields() []received.Parsed {
	h := a.fields()
	var out []received.Parsed
	for i, f := range a.msg.Fields {
		if f.Is("Received") {
			out = append(out, h.Received(i))
		}
	}
	return out
}

func resultJSON(r authres.Result) ResultJSON {
	out := ResultJSON{Method: string(r.Method), Result: string(r.Value), Reason: r.Reason, Props: make(map[string]string, len(r.Props)), Comments: r.Comments}
	for _, p := range r.Props {
		k := p.Key()
		if _, dup := out.Props[k]; !dup {
			out.Props[k] = p.Value
		}
	}
	return out
}

// receivedSPFJSON shows a Received-SPF field as one "spf" result whose
// props are its key=value pairs.
func receivedSPFJSON(s *authres.ReceivedSPF) ResultJSON {
	out := ResultJSON{Method: string(authres.MethodSPF), Result: string(s.Result), Props: make(map[string]string, len(s.Params))}
	for _, p := range s.Params {
		if _, dup := out.Props[p.Key]; !dup {
			out.Props[p.Key] = p.Value
		}
	}
	if s.Comment != "" {
		out.Comments = []string{s.Comment}
	}
	return out
}
