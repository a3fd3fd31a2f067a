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
	CodeUnreadable        = "received-unreadable"
	CodeMissingDate       = "received-missing-date"
	CodeOutOfOrder        = "received-out-of-order"
	CodeFutureDate        = "received-future-date"
	CodeLongDelay         = "received-long-delay"
	CodeAuthSubmission    = "received-authenticated-submission"
	CodeAuthRelay         = "received-authenticated-relay"
	CodeHELOUser          = "received-helo-user"
	CodeNoEntry           = "received-no-entry-hop"
	CodeNoReceivedHeaders = "received-none"
)
