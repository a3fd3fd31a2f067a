package header

import (
	"bufio"
	"io"
)

// Parsed is a reader over a whole message whose header block has already
// been read. The signature checks (DKIM, ARC) take the fields from a reader
// that implements it and read only the body, instead of reading and
// splitting the header block again.
type Parsed interface {
	io.Reader
	// HeaderFields returns the header fields, top to bottom, as Read
	// returns them. Callers must not modify them.
	HeaderFields() []Field
	// BodyReader returns a new reader over the body alone.
	BodyReader() io.Reader
}

// Split returns the header fields of the message read from r and a reader
// positioned at its body. When r implements [Parsed], the fields are taken
// from it; otherwise br, which Split resets to r, reads the header block
// within lim.
func Split(r io.Reader, br *bufio.Reader, lim Limits) ([]Field, io.Reader, error) {
	if p, ok := r.(Parsed); ok {
		return p.HeaderFields(), p.BodyReader(), nil
	}
	br.Reset(r)
	fields, err := Read(br, lim)
	return fields, br, err
}
