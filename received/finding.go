package received

import "github.com/authlens/authlens/finding"

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

// Finding codes reported by [ParseChain].
const (
	CodeUnreadable        finding.Code = "received-unreadable"
	CodeMissingDate       finding.Code = "received-missing-date"
	CodeOutOfOrder        finding.Code = "received-out-of-order"
	CodeFutureDate        finding.Code = "received-future-date"
	CodeLongDelay         finding.Code = "received-long-delay"
	CodeAuthSubmission    finding.Code = "received-authenticated-submission"
	CodeAuthRelay         finding.Code = "received-authenticated-relay"
	CodeHELOUser          finding.Code = "received-helo-user"
	CodeNoEntry           finding.Code = "received-no-entry-hop"
	CodeNoReceivedHeaders finding.Code = "received-none"
)
