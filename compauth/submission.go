package compauth

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authlens/authlens/finding"
)

// AuthAs is how the first Exchange transport server that accepted a
// message classified its submitter (X-MS-Exchange-Organization-AuthAs
// and X-MS-Exchange-CrossTenant-AuthAs).
type AuthAs string

// The classifications Exchange writes (read from Exchange transport code).
const (
	AuthAsAnonymous AuthAs = "Anonymous" // not authenticated, such as internet inbound mail
	AuthAsInternal  AuthAs = "Internal"  // authenticated as inside the organisation
	AuthAsExternal  AuthAs = "External"  // authenticated, but not as part of the organisation
	AuthAsPartner   AuthAs = "Partner"   // a partner server, domain-secured (mutual TLS)
)

// authAsMeanings explains the AuthAs values.
var authAsMeanings = map[AuthAs]valueInfo{
	AuthAsAnonymous: {"The submitter did not authenticate (for example mail from the internet).", ConfidenceCode},
	AuthAsInternal:  {"The submitter authenticated as part of the organisation (tenant users, or relays the organisation trusts).", ConfidenceCode},
	AuthAsExternal:  {"The submitter authenticated but not as part of the organisation.", ConfidenceInferred},
	AuthAsPartner:   {"The submitter is a partner server, likely authenticated by domain-secured (mutual) TLS.", ConfidenceInferred},
}

// Mechanism is a decoded X-MS-Exchange-Organization-AuthMechanism value.
type Mechanism struct {
	// Code is the value as written: two lower-case hexadecimal digits.
	Code string `json:"code"`
	// Value is Code read as hexadecimal ("10" is 16); -1 when unreadable.
	Value int `json:"value"`
	// Name is the name of the mechanism in Exchange's code, such as
	// "TLSAuthLogin".
	Name string `json:"name,omitempty"`
	// Meaning explains what the mechanism indicates.
	Meaning string `json:"meaning"`
	// Confidence says where Meaning comes from.
	Confidence Confidence `json:"confidence"`
	// SMTPAuth reports whether the mechanism is SMTP AUTH by a client
	// (06, 07, 0a, 0b).
	SMTPAuth bool `json:"smtp_auth"`
}

// mechanisms holds the AuthMechanism values, keyed by numeric value
// (read from Exchange Server transport code; Exchange Online values
// observed to match).
var mechanisms = map[int]struct {
	name, meaning string
	confidence    Confidence
	smtpAuth      bool
}{
	0x00: {"None", "No mechanism.", ConfidenceCode, false},
	0x01: {"SenderId", "Sender ID.", ConfidenceCode, false},
	0x02: {"MutualTLS", "Partner or domain-secured server-to-server TLS.", ConfidenceCode, false},
	0x03: {"MapiSubmit", "MAPI submission from a mailbox.", ConfidenceCode, false},
	0x04: {"SecureMapiSubmit", "Submission from the mailbox store: Outlook, Outlook on the web and similar first-party clients; the normal value when a user sends from Outlook.", ConfidenceCode, false},
	0x05: {"SecureInternalSubmit", "Generated inside Exchange (agents, moderation, system messages such as non-delivery reports).", ConfidenceCode, false},
	0x06: {"TLSAuthLogin", "SMTP AUTH with a username and password type mechanism over TLS: client submission (port 587 or 25 with STARTTLS).", ConfidenceCode, true},
	0x07: {"Login", "SMTP AUTH LOGIN without TLS: client submission with credentials sent in clear text.", ConfidenceCode, true},
	0x08: {"Pickup", "Pickup-directory submission.", ConfidenceCode, false},
	0x0a: {"NTLM", "SMTP AUTH with NTLM.", ConfidenceCode, true},
	0x0b: {"GSSAPI", "SMTP AUTH with Kerberos (GSSAPI).", ConfidenceCode, true},
	0x0c: {"MUTUALGSSAPI", "Likely Exchange server-to-server authentication (mutual Kerberos) between transport servers.", ConfidenceInferred, false},
	0x0d: {"Custom", "Custom or third-party authentication.", ConfidenceCode, false},
	0x10: {"SecureExternalSubmit", "Accepted on an externally secured receive connector: the remote IP address is trusted, and no user credential was checked.", ConfidenceCode, false},
	0x11: {"DirectTrustTLS", "Authenticated by a DirectTrust TLS client certificate; where Microsoft uses it is not known.", ConfidenceCode, false},
	0x12: {"Replay", "Replay-directory submission.", ConfidenceCode, false},
}

// ParseMechanism decodes an AuthMechanism value. Exchange writes it as
// two lower-case hexadecimal digits, so "10" means decimal 16.
func ParseMechanism(value string) Mechanism {
	code := strings.TrimSpace(value)
	m := Mechanism{Code: code, Value: -1}
	n, err := strconv.ParseUint(code, 16, 8)
	if err != nil || code == "" {
		m.Meaning = fmt.Sprintf("AuthMechanism %q is not a hexadecimal number; meaning unknown.", code)
		m.Confidence = ConfidenceUnknown
		return m
	}
	m.Value = int(n)
	info, ok := mechanisms[m.Value]
	if !ok {
		m.Meaning = fmt.Sprintf("AuthMechanism %s (decimal %d) is not a known value; meaning unknown.", code, m.Value)
		m.Confidence = ConfidenceUnknown
		return m
	}
	m.Name, m.Meaning, m.Confidence, m.SMTPAuth = info.name, info.meaning, info.confidence, info.smtpAuth
	return m
}

// Submission is the Exchange classification of how a message was
// submitted. The X-MS-Exchange-Organization-* fields are removed when
// mail leaves the organisation, so they are normally seen only on copies
// inside it; the CrossTenant copies survive but carry no mechanism.
type Submission struct {
	// AuthAs is X-MS-Exchange-Organization-AuthAs.
	AuthAs AuthAs `json:"auth_as,omitempty"`
	// AuthAsMeaning explains AuthAs.
	AuthAsMeaning string `json:"auth_as_meaning,omitempty"`
	// AuthSource is X-MS-Exchange-Organization-AuthSource: the server
	// that made the classification.
	AuthSource string `json:"auth_source,omitempty"`
	// Mechanism is X-MS-Exchange-Organization-AuthMechanism decoded; nil
	// when absent (as it is for Anonymous).
	Mechanism *Mechanism `json:"mechanism,omitempty"`
	// AuthDomain is X-MS-Exchange-Organization-AuthDomain, written for
	// mutual-TLS submissions.
	AuthDomain string `json:"auth_domain,omitempty"`
	// CrossTenantAuthAs is X-MS-Exchange-CrossTenant-AuthAs.
	CrossTenantAuthAs AuthAs `json:"cross_tenant_auth_as,omitempty"`
	// CrossTenantAuthSource is X-MS-Exchange-CrossTenant-AuthSource.
	CrossTenantAuthSource string `json:"cross_tenant_auth_source,omitempty"`
}

// normalizeAuthAs returns the canonical spelling of an AuthAs value, or
// the value as written when it is not one of the known ones.
func normalizeAuthAs(v string) AuthAs {
	v = strings.TrimSpace(v)
	for a := range authAsMeanings {
		if strings.EqualFold(v, string(a)) {
			return a
		}
	}
	return AuthAs(v)
}

// SubmissionFields holds the raw values [NewSubmission] reads; empty
// strings mean the field is absent.
type SubmissionFields struct {
	AuthAs, AuthSource, AuthMechanism, AuthDomain string
	CrossTenantAuthAs, CrossTenantAuthSource      string
}

// NewSubmission decodes the Exchange submission fields. It returns nil
// when all are empty.
func NewSubmission(f SubmissionFields) *Submission {
	if f == (SubmissionFields{}) {
		return nil
	}
	s := &Submission{
		AuthAs:                normalizeAuthAs(f.AuthAs),
		AuthSource:            strings.TrimSpace(f.AuthSource),
		AuthDomain:            strings.TrimSpace(f.AuthDomain),
		CrossTenantAuthAs:     normalizeAuthAs(f.CrossTenantAuthAs),
		CrossTenantAuthSource: strings.TrimSpace(f.CrossTenantAuthSource),
	}
	if s.AuthAs != "" {
		if vi, ok := authAsMeanings[s.AuthAs]; ok {
			s.AuthAsMeaning = vi.meaning
		} else {
			s.AuthAsMeaning = fmt.Sprintf("AuthAs %q is not a known value; meaning unknown.", s.AuthAs)
		}
	}
	if strings.TrimSpace(f.AuthMechanism) != "" {
		m := ParseMechanism(f.AuthMechanism)
		s.Mechanism = &m
	}
	return s
}

// Findings reports what the submission classification says about SMTP
// AUTH client submission and unauthenticated relays.
func (s *Submission) Findings() []finding.Finding {
	if s == nil {
		return nil
	}
	var out []finding.Finding
	if m := s.Mechanism; m != nil {
		switch {
		case m.Value == 0x07:
			out = append(out, finding.Finding{Severity: finding.High, Code: "ms-smtp-auth-cleartext", Message: "Exchange recorded AuthMechanism 07 (SMTP AUTH LOGIN without TLS): the message was submitted by an SMTP AUTH client that sent its credentials in clear text; check the tenant's SMTP AUTH Clients Submission report for the account and block legacy authentication."})
		case m.SMTPAuth:
			out = append(out, finding.Finding{Severity: finding.Medium, Code: "ms-smtp-auth-submission", Message: fmt.Sprintf("Exchange recorded AuthMechanism %s (%s): the message was submitted with SMTP AUTH client submission, so Basic authentication is possible but not proven; the tenant's SMTP AUTH Clients Submission report shows whether Basic or OAuth was used, and blocking legacy authentication prevents the Basic case.", m.Code, m.Name)})
		case m.Value == 0x10:
			out = append(out, finding.Finding{Severity: finding.Low, Code: "ms-externally-secured", Message: "Exchange recorded AuthMechanism 10 (externally secured connector): the sending IP address was trusted as internal without any user credential being checked."})
		}
	}
	if s.Mechanism == nil && s.AuthAs == AuthAsInternal {
		out = append(out, finding.Finding{Severity: finding.Info, Code: "ms-internal-submission", Message: "Exchange classified the submitter as Internal but recorded no mechanism, so how it authenticated is not shown."})
	}
	if s.AuthAs == "" && s.CrossTenantAuthAs == AuthAsInternal {
		out = append(out, finding.Finding{Severity: finding.Info, Code: "ms-cross-tenant-internal", Message: "The sending tenant classified the submission as Internal (authenticated inside its organisation); the mechanism is not visible outside that organisation."})
	}
	return out
}
