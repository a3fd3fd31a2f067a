package received

// Severity ranks a [Finding] by how much it should draw an analyst's
// attention.
type Severity string

// Severities, from least to most important.
const (
	SeverityInfo   Severity = "info"   // context, nothing wrong by itself
	SeverityLow    Severity = "low"    // unusual, worth a look
	SeverityMedium Severity = "medium" // likely relevant to the verdict
	SeverityHigh   Severity = "high"   // strong signal of abuse or spoofing
)

// Finding is one observation about the Received chain.
type Finding struct {
	// Severity ranks the finding.
	Severity Severity `json:"severity"`
	// Code is a stable kebab-case identifier, such as
	// "received-future-date", for filtering and tests.
	Code string `json:"code"`
	// Message is one plain sentence for the analyst.
	Message string `json:"message"`
}

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
