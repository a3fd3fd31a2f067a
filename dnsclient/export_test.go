package dnsclient

// The client's own error constructors, for the external tests that hold
// package dnsclienttest to them.
var (
	NewErrorForTest      = newError
	CombineErrorsForTest = combineErrors
)
