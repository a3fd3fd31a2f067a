package cli

// Exit codes (documented in cmd/authlens/doc.go and README.md).
const (
	exitOK     = 0 // every input analysed
	exitFailed = 1 // some input could not be analysed (or a runtime error)
	exitUsage  = 2 // bad flags or arguments
)

// exitError carries an exit code to main, which prints msg when it is not
// empty (an empty msg means the problem was already reported).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// ExitCode returns the process exit code.
func (e *exitError) ExitCode() int { return e.code }

func usageError(msg string) error { return &exitError{code: exitUsage, msg: msg} }
