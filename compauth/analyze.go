package compauth

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/finding"
)

// Headers returns the values of all header fields named name, top to
// bottom, unfolded. Name matching should be case-insensitive, as field
// names are (RFC 5322, section 1.2.2).
type Headers func(name string) []string

// Options adjusts [Analyze]. The zero value is valid.
type Options struct {
	// Inputs, when set, are the authentication results the compauth
	// estimate is computed from (typically the caller's own SPF, DKIM,
	// DMARC and ARC evaluation). When nil, the estimate uses the spf=,
	// dkim=, dmarc= and action= results Microsoft recorded next to
	// compauth.
	Inputs *Inputs
}

// Report is the Microsoft section of a message analysis.
type Report struct {
	// Compauth is the composite authentication verdict; nil when no
	// Authentication-Results field carries "compauth=".
	Compauth *CompauthReport `json:"compauth,omitempty"`
	// Antispam holds the antispam fields; nil when none is present.
	Antispam *Antispam `json:"antispam,omitempty"`
	// Submission is the Exchange submission classification; nil when
	// none of its fields is present.
	Submission *Submission `json:"submission,omitempty"`
	// Findings lists observations from all of the above.
	Findings []finding.Finding `json:"findings"`
	// Problems lists fields that could not be fully read.
	Problems []string `json:"problems,omitempty"`
}

// CompauthReport is the recorded compauth verdict, explained, with the
// estimate from explicit authentication and how the two compare.
type CompauthReport struct {
	// Recorded explains the recorded verdict.
	Recorded Explanation `json:"recorded"`
	// Estimate is the verdict explicit authentication would give.
	Estimate Estimate `json:"estimate"`
	// EstimateFrom says what the estimate was computed from: "inputs"
	// (the caller's results) or "authentication-results" (Microsoft's).
	EstimateFrom string `json:"estimate_from"`
	// Comparison compares Recorded with Estimate.
	Comparison Comparison `json:"comparison"`
}

// Antispam groups the antispam fields.
type Antispam struct {
	// Forefront is X-Forefront-Antispam-Report.
	Forefront *ForefrontReport `json:"forefront,omitempty"`
	// Microsoft is X-Microsoft-Antispam.
	Microsoft *MicrosoftAntispam `json:"microsoft,omitempty"`
	// SCL is X-MS-Exchange-Organization-SCL.
	SCL *Level `json:"scl,omitempty"`
	// PCL is X-MS-Exchange-Organization-PCL.
	PCL *Level `json:"pcl,omitempty"`
	// MailboxDelivery is X-Microsoft-Antispam-Mailbox-Delivery.
	MailboxDelivery *MailboxDelivery `json:"mailbox_delivery,omitempty"`
}

// Analyze reads the Microsoft verdict fields of one message. For each
// field it uses the top-most occurrence, the one written last, which is
// the receiving tenant's own; Microsoft's Authentication-Results has no
// authserv-id, so the top-most one carrying "compauth=" is used. That
// field is trustworthy only when the message was read from the
// recipient's Microsoft 365 mailbox.
func Analyze(h Headers, opts Options) *Report {
	r := &Report{Findings: []finding.Finding{}}
	first := func(name string) string {
		if v := h(name); len(v) > 0 {
			return v[0]
		}
		return ""
	}
	problem := func(err error) {
		if err != nil {
			r.Problems = append(r.Problems, err.Error())
		}
	}

	for _, v := range h("Authentication-Results") {
		if !mentionsCompauth(v) {
			continue // spare parsing the other receivers' fields
		}
		ar := parseAuthResults(v)
		if ar.compauth == "" {
			continue
		}
		c := &CompauthReport{Recorded: Explain(ar.compauth, ar.reason)}
		if opts.Inputs != nil {
			c.Estimate, c.EstimateFrom = opts.Inputs.Estimate(), "inputs"
		} else {
			c.Estimate, c.EstimateFrom = ar.inputs().Estimate(), "authentication-results"
		}
		c.Comparison = Compare(c.Recorded, c.Estimate)
		r.Compauth = c
		r.Findings = append(r.Findings, explanationFindings(c.Recorded)...)
		if c.Comparison.Agreement == AgreementDiffers {
			r.Findings = append(r.Findings, finding.Finding{Severity: finding.Info, Code: CodeImplicitVerdict, Message: c.Comparison.Message})
		}
		break
	}

	var a Antispam
	var err error
	if v := first("X-Forefront-Antispam-Report"); strings.TrimSpace(v) != "" {
		a.Forefront, err = ParseForefront(v)
		problem(err)
	}
	if v := first("X-Microsoft-Antispam"); strings.TrimSpace(v) != "" {
		a.Microsoft, err = ParseMicrosoftAntispam(v)
		problem(err)
	}
	if v := first("X-MS-Exchange-Organization-SCL"); strings.TrimSpace(v) != "" {
		a.SCL, err = ParseSCL(v)
		problem(err)
	}
	if v := first("X-MS-Exchange-Organization-PCL"); strings.TrimSpace(v) != "" {
		a.PCL, err = ParsePCL(v)
		problem(err)
	}
	if v := first("X-Microsoft-Antispam-Mailbox-Delivery"); strings.TrimSpace(v) != "" {
		a.MailboxDelivery, err = ParseMailboxDelivery(v)
		problem(err)
	}
	if a != (Antispam{}) {
		r.Antispam = &a
		r.Findings = append(r.Findings, a.findings()...)
	}

	r.Submission = NewSubmission(SubmissionFields{
		AuthAs:                first("X-MS-Exchange-Organization-AuthAs"),
		AuthSource:            first("X-MS-Exchange-Organization-AuthSource"),
		AuthMechanism:         first("X-MS-Exchange-Organization-AuthMechanism"),
		AuthDomain:            first("X-MS-Exchange-Organization-AuthDomain"),
		CrossTenantAuthAs:     first("X-MS-Exchange-CrossTenant-AuthAs"),
		CrossTenantAuthSource: first("X-MS-Exchange-CrossTenant-AuthSource"),
	})
	r.Findings = append(r.Findings, r.Submission.Findings()...)
	return r
}

// String returns a one-line summary, for logs.
func (r *Report) String() string {
	var parts []string
	if r.Compauth != nil {
		parts = append(parts, fmt.Sprintf("compauth=%s reason=%s", r.Compauth.Recorded.Result, r.Compauth.Recorded.Reason))
	}
	if r.Submission != nil && r.Submission.AuthAs != "" {
		parts = append(parts, "auth_as="+string(r.Submission.AuthAs))
	}
	parts = append(parts, fmt.Sprintf("%d findings", len(r.Findings)))
	return strings.Join(parts, " ")
}

// mentionsCompauth reports whether an Authentication-Results value has the
// word "compauth" in any letter case: fields without it have no composite
// authentication result.
func mentionsCompauth(v string) bool {
	const word = "compauth"
	for i := 0; i+len(word) <= len(v); i++ {
		if v[i]|0x20 == 'c' && strings.EqualFold(v[i:i+len(word)], word) {
			return true
		}
	}
	return false
}
