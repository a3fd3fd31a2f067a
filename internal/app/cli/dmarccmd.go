package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/internal/textsafe"
)

const dmarcUsage = `Find and audit a domain's DMARC policy (RFC 7489 and RFC 9989).

Usage:
  authlens dmarc [flags] DOMAIN...

It shows the record that applies and where it was found, the organizational
domain under both discovery modes (RFC 9989's DNS tree walk and RFC 7489's
Public Suffix List), every tag explained, each query made, and an audit:
monitoring-only policies, missing reports, weaker subdomain policies, pct
below 100, and external report destinations that have not authorized the
domain (RFC 7489, section 7.1).

Examples:
  authlens dmarc example.com
  authlens dmarc --dmarc-mode 7489 mail.example.co.uk
  authlens dmarc --format json example.com example.net

Flags:
%s`

// dmarcAuditJSON is the JSON form of a DMARC audit.
type dmarcAuditJSON struct {
	Domain        string           `json:"domain"`
	Mode          string           `json:"mode"`
	Record        string           `json:"record"`
	PolicyDomain  string           `json:"policy_domain"`
	OrgDomain     string           `json:"org_domain"`
	OrgDomain7489 string           `json:"org_domain_7489"`
	OrgDomainBis  string           `json:"org_domain_bis"`
	Tags          []dmarcTagJSON   `json:"tags"`
	Diagnoses     []findingJSON    `json:"diagnoses"`
	External      []dmarcDestJSON  `json:"external_destinations"`
	Findings      []findingJSON    `json:"findings"`
	Queries       []dmarcQueryJSON `json:"queries"`
	Error         string           `json:"error,omitempty"`
}

type dmarcTagJSON struct {
	Tag     string `json:"tag"`
	Value   string `json:"value"`
	Meaning string `json:"meaning"`
}

type dmarcDestJSON struct {
	URI        string `json:"uri"`
	Tag        string `json:"tag"`
	Domain     string `json:"domain"`
	AuthName   string `json:"auth_name"`
	Authorized bool   `json:"authorized"`
	Error      string `json:"error,omitempty"`
}

type dmarcQueryJSON struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Class string `json:"class"`
	Note  string `json:"note,omitempty"`
}

type findingJSON struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

func runDMARC(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	sf := newSubFlags("dmarc", stderr, true)
	mode := sf.fs.String("dmarc-mode", "bis", "policy discovery: bis (RFC 9989 DNS tree walk) or 7489 (Public Suffix List)")
	if done, err := sf.parse(args, dmarcUsage, stdout); done || err != nil {
		return err
	}
	sf.dns.dmarcMode = *mode
	if err := sf.dns.validate(); err != nil {
		return err
	}
	if sf.fs.NArg() == 0 {
		return usageError("name a DOMAIN, e.g. authlens dmarc example.com")
	}
	if err := sf.resolver(); err != nil {
		return err
	}
	for i, domain := range sf.fs.Args() {
		a := dmarc.Audit(ctx, sf.dns.resolver, domain, sf.dns.mode())
		out := auditJSON(domain, a)
		if sf.format == formatJSON {
			if err := writeJSON(stdout, out); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		printAudit(stdout, out)
	}
	return nil
}

func auditJSON(domain string, a dmarc.AuditReport) dmarcAuditJSON {
	out := dmarcAuditJSON{Domain: domain, Mode: string(a.Mode), PolicyDomain: a.Discovery.PolicyDomain, OrgDomain: a.Discovery.OrgDomain,
		OrgDomain7489: a.OrgDomain7489, OrgDomainBis: a.OrgDomainBis, Record: a.Discovery.RecordText,
		Tags: []dmarcTagJSON{}, Diagnoses: []findingJSON{}, External: []dmarcDestJSON{}, Findings: []findingJSON{}, Queries: []dmarcQueryJSON{}}
	if a.Err != nil {
		out.Error = a.Err.Error()
	}
	for _, t := range a.Tags {
		out.Tags = append(out.Tags, dmarcTagJSON{Tag: t.Tag, Value: t.Value, Meaning: t.Meaning})
	}
	if a.Record != nil {
		for _, d := range a.Record.DiagnosesFor(a.Mode) {
			out.Diagnoses = append(out.Diagnoses, findingJSON{Severity: string(d.Severity), Code: string(d.Code), Message: d.Message})
		}
	}
	for _, d := range a.External {
		dj := dmarcDestJSON{URI: d.URI.String(), Tag: d.Tag, Domain: d.Domain, AuthName: d.AuthName, Authorized: d.Authorized}
		if d.Err != nil {
			dj.Error = d.Err.Error()
		}
		out.External = append(out.External, dj)
	}
	for _, f := range a.Findings {
		out.Findings = append(out.Findings, findingJSON{Severity: string(f.Severity), Code: f.Code, Message: f.Message})
	}
	for _, q := range a.Queries {
		out.Queries = append(out.Queries, dmarcQueryJSON{Name: q.Name, Type: q.Type, Class: string(q.Class), Note: q.Note})
	}
	return out
}

func printAudit(w io.Writer, a dmarcAuditJSON) {
	fmt.Fprintf(w, "%s\n", textsafe.Clean(a.Domain))
	if a.Record == "" {
		fmt.Fprintf(w, "  No DMARC record applies (%s).\n", orNone(textsafe.Clean(a.Error)))
	} else {
		fmt.Fprintf(w, "  Record at _dmarc.%s: %s\n", textsafe.Clean(a.PolicyDomain), textsafe.Clean(a.Record))
	}
	fmt.Fprintf(w, "  Organizational domain: %s (RFC 9989 tree walk), %s (RFC 7489 Public Suffix List)\n", orNone(a.OrgDomainBis), orNone(a.OrgDomain7489))
	if len(a.Tags) > 0 {
		fmt.Fprintf(w, "\n  Tags\n")
		for _, t := range a.Tags {
			fmt.Fprintf(w, "  %-6s %-24s %s\n", textsafe.Clean(t.Tag), clip(textsafe.Clean(t.Value), 24), textsafe.Clean(t.Meaning))
		}
	}
	for _, d := range a.External {
		state := "authorized"
		if !d.Authorized {
			state = "NOT authorized"
		}
		fmt.Fprintf(w, "  %s %s: %s (%s)\n", d.Tag, textsafe.Clean(d.URI), state, textsafe.Clean(d.AuthName))
	}
	if len(a.Diagnoses)+len(a.Findings) > 0 {
		fmt.Fprintf(w, "\n  Audit\n")
		seen := map[findingJSON]bool{} // the audit repeats the record's diagnoses
		for _, f := range append(append([]findingJSON{}, a.Diagnoses...), a.Findings...) {
			if seen[f] {
				continue
			}
			seen[f] = true
			fmt.Fprintf(w, "  %-8s %s  %s\n", "["+f.Severity+"]", f.Code, textsafe.Clean(f.Message))
		}
	}
	fmt.Fprintf(w, "\n  DNS queries\n")
	for _, q := range a.Queries {
		note := ""
		if q.Note != "" {
			note = "  " + textsafe.Clean(q.Note)
		}
		fmt.Fprintf(w, "    %-5s %-40s %s%s\n", q.Type, textsafe.Clean(q.Name), strings.ToUpper(q.Class), note)
	}
}
