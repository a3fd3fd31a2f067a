package dkim

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// Field is one header field of a [Message], as it stands in the message.
type Field struct {
	// Name is the field name as written, without the colon. When empty, it
	// is taken from Raw.
	Name string
	// Raw is the whole field, "Name: value" with its folding, each line
	// ending in CRLF. Signatures are computed over these bytes (RFC 6376,
	// section 3.4), so they must be the field exactly as it crossed the
	// wire: a field whose lines end in bare LF, or that was unfolded, no
	// longer verifies.
	Raw []byte
}

// Message is a message whose header block has already been split from its
// body, for [VerifyMessage] and [CheckMessageBodies]; package arc takes
// it too. Build one from fields parsed elsewhere, or read one with
// [ReadMessage].
type Message struct {
	// Header holds the header fields, top to bottom.
	Header []Field
	// Body reads the body: the bytes after the empty line that ends the
	// header block. Line ends may be CRLF or bare LF. nil means an empty
	// body. A check reads it to the end, so a Message whose Body is a
	// stream serves one check; give each check a fresh Body, such as a new
	// bytes.Reader over the same bytes.
	Body io.Reader
}

// ReadMessage reads the header block of the message read from r (RFC
// 5322, section 2.1) and returns it as a Message whose Body reads the rest
// of r. Bare LF line ends in the header block are read as CRLF. Errors wrap
// [ErrUnreadableMessage] and name the line at fault; a header block that
// is too large (more than 1000 fields, a field over 128 KiB, a block over
// 1 MiB) is an error too.
func ReadMessage(r io.Reader) (*Message, error) {
	br := bufio.NewReader(r)
	fields, err := header.Read(br, header.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadableMessage, err)
	}
	m := &Message{Header: make([]Field, len(fields)), Body: br}
	for i, f := range fields {
		m.Header[i] = Field{Name: f.Name, Raw: f.Raw}
	}
	return m, nil
}

// split returns the header fields of m as this package reads them, and its
// body. A field without a colon is an error wrapping
// [ErrUnreadableMessage].
func (m *Message) split() ([]header.Field, io.Reader, error) {
	fields := make([]header.Field, len(m.Header))
	for i, f := range m.Header {
		hf, ok := dkimcore.Field(f.Name, f.Raw)
		if !ok {
			return nil, nil, fmt.Errorf("%w: header field %d (%.40q) has no colon", ErrUnreadableMessage, i+1, f.Raw)
		}
		fields[i] = hf
	}
	body := m.Body
	if body == nil {
		body = bytes.NewReader(nil)
	}
	return fields, body, nil
}
