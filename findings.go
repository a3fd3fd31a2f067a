package authlens

import (
	"sort"

	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/trust"
)

// Severity ranks a [Finding]; it is [finding.Severity].
type Severity = finding.Severity

// Severities, from least to most serious.
const (
	SeverityInfo   = finding.Info
	SeverityLow    = finding.Low
	SeverityMedium = finding.Medium
	SeverityHigh   = finding.High
)

// Finding is one observation: a stable code, a severity and a sentence;
// it is [finding.Finding].
type Finding = finding.Finding

// Finding codes the root analysis emits. Packages add their own (DKIM,
// DMARC, compauth, Received); all are listed in README.md.
const (
	CodeNoFrom                  = "no-from"
	CodeFromUnreadable          = "from-unreadable"
	CodeMultipleFromFields      = "multiple-from-fields"
	CodeMultipleFromAddrs       = "multiple-from-addresses"
	CodeNoAuthResults           = trust.CodeNoAuthResults
	CodeAuthResultsBroken       = trust.CodeAuthResultsBroken
	CodeUntrustedBelow          = trust.CodeUntrustedBelow
	CodeForgedAuthservID        = trust.CodeForgedAuthservID
	CodeNoTrustedMatch          = trust.CodeNoTrustedMatch
	CodeUpstream                = trust.CodeUpstream
	CodeSPFNotAligned           = "spf-not-aligned"
	CodeSPFFail                 = "spf-fail"
	CodeDKIMNone                = "dkim-none"
	CodeDKIMThirdParty          = "dkim-third-party-only"
	CodeDKIMFail                = "dkim-fail"
	CodeDMARCFail               = "dmarc-fail"
	CodeDMARCNoPolicy           = "dmarc-no-policy"
	CodeDMARCBestGuess          = "dmarc-bestguesspass"
	CodeDMARCOtherDomain        = "dmarc-other-domain"
	CodeDMARCActionUndocumented = "dmarc-action-undocumented"
	CodeCompauthFail            = "compauth-fail"
	CodeNullSender              = "null-sender"
	CodeMailFromMismatch        = "mailfrom-mismatch"
	CodeBodyTruncatedAtRead     = "body-truncated"
	CodeBodyAbsent              = "body-absent"
	CodeEntryNotInChain         = "entry-ip-not-in-chain"
	CodeReplyToForeign          = "reply-to-foreign"
	CodeFromLookalike           = "from-lookalike"
	CodeFromDomainUnreadable    = "from-domain-unreadable"
	CodeSMTPAuthSubmission      = "smtp-auth-submission"
	CodeDKIMBodyChanged         = "dkim-body-changed"
	CodeDKIMBodyIntact          = "dkim-body-intact"
	CodeSPFChanged              = "spf-changed"
	CodeDKIMChanged             = "dkim-changed"
	CodeDMARCChanged            = "dmarc-changed"
	CodeNoClientIP              = "spf-no-client-ip"
	CodeDMARCModes              = "dmarc-modes-disagree"
)

// sortFindings orders findings most severe first, keeping insertion order
// within a severity.
func sortFindings(f []Finding) {
	sort.SliceStable(f, func(i, j int) bool { return f[i].Severity.Rank() > f[j].Severity.Rank() })
}
