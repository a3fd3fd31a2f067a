package authlens

import "sort"

// Severity ranks a finding.
type Severity string

// Severities, from least to most serious.
const (
	SeverityInfo   Severity = "info"
	SeverityLow    Severity = "low"
	SeverityMedium Severity = "medium"
	SeverityHigh   Severity = "high"
)

func (s Severity) rank() int {
	switch s {
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

// Finding is one observation about a message: a stable kebab-case code
// programs can match on, a severity, and one plain sentence for a person.
type Finding struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}

// Finding codes the root analysis emits. Packages add their own (DKIM,
// DMARC, compauth, Received); all are listed in README.md.
const (
	CodeNoFrom              = "no-from"
	CodeFromUnreadable      = "from-unreadable"
	CodeMultipleFromFields  = "multiple-from-fields"
	CodeMultipleFromAddrs   = "multiple-from-addresses"
	CodeNoAuthResults       = "no-auth-results"
	CodeAuthResultsBroken   = "auth-results-unreadable"
	CodeUntrustedBelow      = "untrusted-auth-results"
	CodeForgedAuthservID    = "forged-authserv-id"
	CodeNoTrustedMatch      = "trusted-receiver-not-found"
	CodeSPFNotAligned       = "spf-not-aligned"
	CodeSPFFail             = "spf-fail"
	CodeDKIMNone            = "dkim-none"
	CodeDKIMThirdParty      = "dkim-third-party-only"
	CodeDKIMFail            = "dkim-fail"
	CodeDMARCFail           = "dmarc-fail"
	CodeDMARCNoPolicy       = "dmarc-no-policy"
	CodeDMARCBestGuess      = "dmarc-bestguesspass"
	CodeDMARCMismatch       = "dmarc-disagrees"
	CodeCompauthFail        = "compauth-fail"
	CodeNullSender          = "null-sender"
	CodeMailFromMismatch    = "mailfrom-mismatch"
	CodeBodyTruncatedAtRead = "body-truncated"
	CodeSMTPAuthSubmission  = "smtp-auth-submission"
	CodeDKIMBodyChanged     = "dkim-body-changed"
	CodeDKIMBodyIntact      = "dkim-body-intact"
	CodeSPFChanged          = "spf-changed"
	CodeDKIMChanged         = "dkim-changed"
	CodeDMARCChanged        = "dmarc-changed"
	CodeNoClientIP          = "spf-no-client-ip"
)

// sortFindings orders findings most severe first, keeping insertion order
// within a severity.
func sortFindings(f []Finding) {
	sort.SliceStable(f, func(i, j int) bool { return f[i].Severity.rank() > f[j].Severity.rank() })
}
