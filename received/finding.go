package received

import "github.com/authlens/authlens/finding"

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
