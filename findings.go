package authlens

import (
	"sort"

	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/trust"
)

// Finding codes the root analysis emits. Packages add their own (DKIM,
// DMARC, compauth, Received); all are listed in README.md.
const (
	CodeNoFrom                  finding.Code = "no-from"
	CodeFromUnreadable          finding.Code = "from-unreadable"
	CodeMultipleFromFields      finding.Code = "multiple-from-fields"
	CodeMultipleFromAddrs       finding.Code = "multiple-from-addresses"
	CodeNoAuthResults                        = trust.CodeNoAuthResults
	CodeAuthResultsBroken                    = trust.CodeAuthResultsBroken
	CodeUntrustedBelow                       = trust.CodeUntrustedBelow
	CodeForgedAuthservID                     = trust.CodeForgedAuthservID
	CodeNoTrustedMatch                       = trust.CodeNoTrustedMatch
	CodeUpstream                             = trust.CodeUpstream
	CodeSPFNotAligned           finding.Code = "spf-not-aligned"
	CodeSPFFail                 finding.Code = "spf-fail"
	CodeDKIMNone                finding.Code = "dkim-none"
	CodeDKIMThirdParty          finding.Code = "dkim-third-party-only"
	CodeDKIMFail                finding.Code = "dkim-fail"
	CodeDMARCFail               finding.Code = "dmarc-fail"
	CodeDMARCNoPolicy           finding.Code = "dmarc-no-policy"
	CodeDMARCBestGuess                       = dmarc.CodeBestGuessPass
	CodeDMARCOtherDomain        finding.Code = "dmarc-other-domain"
	CodeDMARCActionUndocumented finding.Code = "dmarc-action-undocumented"
	CodeCompauthFail            finding.Code = "compauth-fail"
	CodeNullSender              finding.Code = "null-sender"
	CodeMailFromMismatch        finding.Code = "mailfrom-mismatch"
	CodeBodyTruncatedAtRead     finding.Code = "body-truncated"
	CodeBodyAbsent              finding.Code = "body-absent"
	CodeEntryNotInChain         finding.Code = "entry-ip-not-in-chain"
	CodeReplyToForeign          finding.Code = "reply-to-foreign"
	CodeFromLookalike           finding.Code = "from-lookalike"
	CodeFromDomainUnreadable    finding.Code = "from-domain-unreadable"
	CodeSMTPAuthSubmission      finding.Code = "smtp-auth-submission"
	CodeDKIMBodyChanged         finding.Code = "dkim-body-changed"
	CodeDKIMBodyIntact          finding.Code = "dkim-body-intact"
	CodeSPFChanged              finding.Code = "spf-changed"
	CodeDKIMChanged             finding.Code = "dkim-changed"
	CodeDMARCChanged            finding.Code = "dmarc-changed"
	CodeNoClientIP              finding.Code = "spf-no-client-ip"
	CodeDMARCModes              finding.Code = "dmarc-modes-disagree"
)

// sortFindings orders findings most severe first, keeping insertion order
// within a severity.
func sortFindings(f []finding.Finding) {
	sort.SliceStable(f, func(i, j int) bool { return f[i].Severity.Rank() > f[j].Severity.Rank() })
}
