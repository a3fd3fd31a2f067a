package mailbox

import (
	"errors"
	"fmt"
	"io"
)

// minSingleBuffer is the initial buffer for a single message of unknown size.
const minSingleBuffer = 32 << 10

// readSingle reads a whole single-message stream. hint is the expected size
// (the file size), or a negative value when unknown. A message larger than
// max is not kept: the rest of the stream is only counted, and the error
// wraps ErrTooLarge. A read error returns the bytes read so far with the
// error classified by readError. The buffer comes from pool, which may be
// nil.
func readSingle(r io.Reader, max, hint int64, pool *bufferPool) (data []byte, size int64, err error) {
	c := int64(minSingleBuffer)
	if hint >= 0 && hint < max {
		c = hint + 1 // one more byte to see the end without growing
	}
	buf := pool.get(int(c))[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, rerr := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		size += int64(n)
		if size > max {
			rest, rerr := io.Copy(io.Discard, r)
			size += rest
			if rerr != nil {
				return nil, size, readError(rerr)
			}
			return nil, size, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, max)
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return buf, size, readError(rerr)
		}
	}
	if waste := cap(buf) - len(buf); waste > 4096 && waste > len(buf) {
		buf = append([]byte(nil), buf...)
	}
	return buf, size, nil
}
