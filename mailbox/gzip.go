package mailbox

import (
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// maxGzipDepth bounds how many gzip layers are opened inside one another.
const maxGzipDepth = 2

// openGzip starts decompressing r, a stream starting with the gzip magic
// number (RFC 1952, section 2.3.1). Multi-member streams are read as one.
func openGzip(r io.Reader) (*gzip.Reader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, readError(err)
	}
	return zr, nil
}

// readError wraps an error met while reading a stream in the sentinel that
// classifies it: ErrTruncated when a compressed stream ends early,
// ErrCorrupt for damaged compressed data, ErrRead otherwise.
func readError(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: compressed data ends early: %w", ErrTruncated, err)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.As(err, &corrupt):
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return fmt.Errorf("%w: %w", ErrRead, err)
}
