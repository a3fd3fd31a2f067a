package authres

import (
	"errors"
	"strconv"
)

// Syntax errors. Every *SyntaxError matches ErrSyntax; most also match one of
// the more specific sentinels below.
var (
	// ErrSyntax matches every error this package returns.
	ErrSyntax = errors.New("authres: syntax error")
	// ErrEmpty reports a value that is empty or holds only white space and
	// comments.
	ErrEmpty = errors.New("authres: empty value")
	// ErrUnterminated reports a comment or quoted string that never ends.
	ErrUnterminated = errors.New("authres: unterminated comment or quoted string")
	// ErrNesting reports comments nested deeper than the parser accepts.
	ErrNesting = errors.New("authres: comments nested too deeply")
	// ErrInstance reports a missing or malformed ARC instance tag (i=).
	ErrInstance = errors.New("authres: bad ARC instance tag")
	// ErrNoResult reports a Received-SPF value without a result keyword, or an
	// Authentication-Results value with neither results nor "none".
	ErrNoResult = errors.New("authres: no result")
)

// SyntaxError describes where and why a value could not be read.
type SyntaxError struct {
	// Offset is the byte offset in the parsed value.
	Offset int
	// Msg says what was wrong, in lower case.
	Msg string
	// Err is the sentinel that classifies the error, or nil.
	Err error
}

// Error returns "authres: at byte N: msg".
func (e *SyntaxError) Error() string {
	return "authres: at byte " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns ErrSyntax and the classifying sentinel, for errors.Is.
func (e *SyntaxError) Unwrap() []error {
	if e.Err == nil || e.Err == ErrSyntax {
		return []error{ErrSyntax}
	}
	return []error{ErrSyntax, e.Err}
}

func syntaxErr(off int, sentinel error, msg string) *SyntaxError {
	return &SyntaxError{Offset: off, Msg: msg, Err: sentinel}
}
