package cli

import (
	"io"

	"github.com/authlens/authlens/internal/app/batch"
)

// pasteHint is shown on stderr when "-" reads a terminal, which otherwise
// waits without a word.
const pasteHint = "authlens: paste the message or its headers, then press Ctrl-D"

// terminalInput reads standard input from a terminal so that one Ctrl-D
// ends it. In canonical mode a terminal hands over input a line at a
// time; Ctrl-D hands over the line typed so far without a line end, or
// nothing (end of input) at the start of a line. A paste usually leaves
// the cursor at the end of its last line, where a first Ctrl-D would only
// hand that line over and a second be needed: so a read that does not end
// in a line end is taken as the end of input too. No read follows the end
// of input, which would wait for another Ctrl-D.
type terminalInput struct {
	r    io.Reader
	done bool
}

func (t *terminalInput) Read(p []byte) (int, error) {
	if t.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := t.r.Read(p)
	if n == 0 || err != nil || p[n-1] != '\n' {
		t.done = true
	}
	if n == 0 && err == nil {
		err = io.EOF
	}
	return n, err
}

// screenWriter is standard output when it shares a terminal with the
// progress line: the line is erased before report text is written, so
// the two do not run together.
type screenWriter struct {
	w        io.Writer
	progress *batch.Progress // nil until the progress line exists
}

func (s *screenWriter) Write(p []byte) (int, error) {
	if s.progress != nil {
		s.progress.Done()
	}
	return s.w.Write(p)
}
