package mailbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

const (
	// maxEnvelope bounds the bytes kept of a From_ line; longer lines are
	// counted but not stored.
	maxEnvelope = 1024
	// keepScratch is the largest message buffer kept for reuse; a buffer
	// grown for a larger message is dropped so it does not stay in memory.
	keepScratch = 4 << 20
)

// mboxSplitter splits an mbox stream into messages, reading one line at a
// time and holding at most one message.
type mboxSplitter struct {
	br      *bufio.Reader
	off     int64 // offset of the next unread byte
	max     int64
	unquote Unquote

	pending   []byte // From_ line that ends the previous message and starts the next
	hasNext   bool   // pending is set
	envLen    int64  // full length of the first From_ line
	done      bool
	clTrusted bool // some Content-Length in this stream was consistent

	pool    *bufferPool // where message buffers come from; nil allocates
	scratch []byte      // message buffer being filled, or kept from a message that gave it no data
	lastLen int         // length of the last message's data, the size of the next buffer
	quotes  []int       // reused offsets of quoted From lines in scratch
	inBulk  []int       // reused offsets of quoted From lines in the lines bodyLines takes
	saved   []byte      // reused copy of a line while peeking ahead

	lineByLine bool // read every line singly, without headerLines and bodyLines (tests compare)
}

// rawMessage is one message as split from an mbox stream.
type rawMessage struct {
	envelope string // the From_ line without "From " and line ending, at most maxEnvelope bytes
	envLen   int64  // full length of the From_ line, line ending included
	start    int64  // offset of the first message byte
	size     int64  // raw message bytes from start, separator excluded
	sep      int    // bytes of the empty separator line that follow
	removed  int    // quoting bytes removed from data
	data     []byte // unquoted copy; nil when too large or unreadable
	format   Format
	err      error
}

// msgState is the parser state while reading one message.
type msgState struct {
	inHeader  bool
	bodyStart int64 // offset after the empty line ending the header, -1 before
	cl        int64 // declared Content-Length, -1 when absent
	prevBlank bool  // the previous line was empty
	prevLen   int   // length of the previous line
	removed   int   // quoting bytes left out of the buffer as the body was read
}

func newMboxSplitter(br *bufio.Reader, opts Options, pool *bufferPool) *mboxSplitter {
	return &mboxSplitter{br: br, max: opts.maxSize(), unquote: opts.Unquote, pool: pool}
}

// next returns the next message; ok is false after the last one.
func (s *mboxSplitter) next() (m rawMessage, ok bool) {
	if s.done {
		return m, false
	}
	m.format = FormatMbox
	var err error
	if !s.hasNext {
		err = s.readEnvelope()
	}
	m.envLen = int64(len(s.pending))
	if len(s.pending) > maxEnvelope {
		m.envLen = s.envLen
	}
	if len(s.pending) >= len(fromPrefix) {
		m.envelope = string(trimEOL(s.pending[len(fromPrefix):]))
	}
	s.hasNext = false
	m.start = s.off

	buf := s.scratch[:0]
	if buf == nil {
		// The buffer becomes the message's: it comes from the pool, sized
		// for a message like the previous one.
		buf = s.pool.get(max(s.lastLen, 1))[:0]
	}
	quotes := s.quotes[:0]
	st := msgState{inHeader: true, bodyStart: -1, cl: -1}
	midLine := false
	oversize := false
	boundary := false
	for err == nil {
		if !midLine && !oversize && !s.lineByLine {
			var ok bool
			if st.inHeader {
				buf, ok = s.headerLines(buf, &m, &st)
			} else {
				buf, quotes, ok = s.bodyLines(buf, quotes, &m, &st)
			}
			if ok {
				continue
			}
		}
		var line []byte
		line, err = s.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			err = nil
		}
		if len(line) == 0 {
			continue
		}
		lineStart := s.off
		s.off += int64(len(line))
		complete := line[len(line)-1] == '\n'
		atStart := !midLine
		midLine = !complete
		if atStart && complete && hasPrefix(line, fromPrefix) {
			var ok bool
			if ok, line = s.isBoundary(line, lineStart, &st); ok {
				s.pending = append(s.pending[:0], line...)
				s.hasNext = true
				boundary = true
				break
			}
		}
		blank := atStart && complete && isBlank(line)
		if st.inHeader && atStart {
			if blank {
				st.inHeader = false
				st.bodyStart = s.off
			} else if st.cl < 0 {
				if n, ok := contentLength(trimEOL(line)); ok {
					st.cl = n
				}
			}
		}
		if !oversize {
			if m.size+int64(len(line)) > s.max {
				oversize = true
				buf, quotes = buf[:0], quotes[:0]
			} else {
				if atStart && isQuotedFrom(line, s.unquote) {
					quotes = append(quotes, len(buf))
				}
				buf = s.appendTo(buf, line)
			}
		}
		m.size += int64(len(line))
		st.prevBlank, st.prevLen = blank, len(line)
	}
	if !boundary {
		s.done = true
	}

	// The empty line before the next From_ line, or at the end of the
	// file, separates messages and is not part of one, unless a consistent
	// Content-Length counts it.
	bodyLen := int64(-1)
	if st.bodyStart >= 0 {
		bodyLen = m.start + m.size - st.bodyStart
	}
	if st.prevBlank && !(st.cl >= 0 && bodyLen == st.cl) {
		m.sep = st.prevLen
		m.size -= int64(st.prevLen)
		bodyLen -= int64(st.prevLen)
		if !oversize {
			buf = buf[:len(buf)-st.prevLen]
		}
	}
	consistent := st.cl >= 0 && bodyLen == st.cl
	if consistent {
		m.format = FormatMboxCL2
		s.clTrusted = true
		quotes = quotes[:0] // mboxcl2 does not quote
	}

	switch {
	case err != nil && !errors.Is(err, io.EOF):
		m.err = readError(err)
	case oversize:
		m.err = fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, m.size, s.max)
	case m.size == 0:
		m.err = fmt.Errorf("%w: mbox message has no content", ErrEmpty)
	case boundary:
	case midLine:
		m.err = fmt.Errorf("%w: file ends inside a line", ErrTruncated)
	case st.inHeader:
		m.err = fmt.Errorf("%w: file ends inside the header", ErrTruncated)
	case s.clTrusted && st.cl >= 0 && bodyLen < st.cl:
		m.err = fmt.Errorf("%w: file ends %d bytes before the declared Content-Length", ErrTruncated, st.cl-bodyLen)
	}
	if !oversize && (m.err == nil || errors.Is(m.err, ErrTruncated) || errors.Is(m.err, ErrCorrupt)) {
		// Unquoted in place: the message takes the buffer, with no copy,
		// unless the buffer is over twice the size the pool would give
		// for the message (the previous message was much larger); then
		// the message is copied out, as a message never holds more
		// memory than that.
		n := len(buf) - len(quotes)
		m.data = unquoteCopy(buf[:n], buf, quotes)
		m.removed = len(quotes) + st.removed
		s.lastLen = n
		if s.pool == nil || cap(buf) <= 2*max(n, 1<<minClassShift) {
			s.scratch = nil
		} else {
			m.data = append(s.pool.get(n)[:0], m.data...)
			s.scratch = nil
			if cap(buf) <= keepScratch {
				s.scratch = buf[:0]
			}
		}
	} else if cap(buf) <= keepScratch {
		s.scratch = buf[:0]
	} else {
		s.scratch = nil
	}
	s.quotes = quotes[:0]
	return m, true
}

// headerLines appends to buf, in one step, the complete header lines
// buffered in the reader from the current offset, which is at the start of
// a header line, up to the first line that starts with "From " or '>' (a
// possible From_ line or quoted From line, which next looks at) or the
// empty line that ends the header, included, and reports whether it took
// any. It keeps the first Content-Length and the end of the header as next
// does line by line. It takes no line that would pass the size limit, so
// that next decides that too.
func (s *mboxSplitter) headerLines(buf []byte, m *rawMessage, st *msgState) ([]byte, bool) {
	p := s.inLimit(m)
	cl := st.cl
	end, ends := 0, false
	var last []byte
	for {
		i := bytes.IndexByte(p[end:], '\n')
		if i < 0 {
			break
		}
		line := p[end : end+i+1]
		if line[0] == '>' || hasPrefix(line, fromPrefix) {
			break
		}
		end += len(line)
		last = line
		if isBlank(line) {
			ends = true
			break
		}
		if cl < 0 && line[0]|0x20 == 'c' {
			if n, ok := contentLength(trimEOL(line)); ok {
				cl = n
			}
		}
	}
	if end == 0 {
		return buf, false
	}
	buf = s.appendTo(buf, p[:end])
	st.cl = cl
	st.prevBlank, st.prevLen = ends, len(last)
	s.off += int64(end)
	m.size += int64(end)
	if ends {
		st.inHeader, st.bodyStart = false, s.off
	}
	s.br.Discard(end)
	return buf, true
}

// bodyLines appends to buf, in one step, the complete lines buffered in
// the reader from the current offset, which is at the start of a body line,
// up to the first line that starts with "From " (which might end the
// message) or the last complete line, and reports whether it took any.
// Such lines need none of the per-line decisions of next but the quoting
// of From lines, which it does as next would, and the counts and the
// previous-line state it keeps; taking them together avoids reading the
// body line by line. It takes no line that would pass the size limit, so
// that next decides that too.
//
// When the body has no Content-Length, the message cannot turn out to be
// mboxcl2, so the quoting '>' of a From line is left out as the line is
// copied instead of being removed at the end. When a line starting with
// "From " is in view, the message most likely ends there: a buffer far
// larger than that (sized for an earlier message) is exchanged for one of
// the right size before the lines are copied, so that the message does
// not have to be copied out of it at the end.
func (s *mboxSplitter) bodyLines(buf []byte, quotes []int, m *rawMessage, st *msgState) ([]byte, []int, bool) {
	p := s.inLimit(m)
	p = p[:bytes.LastIndexByte(p, '\n')+1]
	q := s.inBulk[:0]
	end, fromInView := len(p), false
	for i := 0; i < end; {
		j := indexFromLine(p[i:end])
		if j < 0 {
			break
		}
		j += i
		if p[j] != '>' {
			end, fromInView = j, true
			break
		}
		k := j + bytes.IndexByte(p[j:end], '\n') + 1
		if isQuotedFrom(p[j:k], s.unquote) {
			q = append(q, j)
		}
		i = k
	}
	s.inBulk = q[:0]
	p = p[:end]
	if len(p) == 0 {
		return buf, quotes, false
	}
	last := p[bytes.LastIndexByte(p[:len(p)-1], '\n')+1:]
	st.prevBlank, st.prevLen = isBlank(last), len(last)
	eager := st.cl < 0
	need := len(buf) + len(p)
	if eager {
		need -= len(q)
	}
	if fromInView && s.pool != nil && cap(buf) > 2*max(need, 1<<minClassShift) {
		nb := s.pool.get(need)[:len(buf)]
		copy(nb, buf)
		s.pool.put(buf)
		buf = nb
	}
	from := 0
	for _, j := range q {
		if eager {
			buf = s.appendTo(buf, p[from:j])
			from = j + 1
			st.removed++
		} else {
			quotes = append(quotes, len(buf)+j)
		}
	}
	buf = s.appendTo(buf, p[from:])
	s.off += int64(len(p))
	m.size += int64(len(p))
	s.br.Discard(len(p))
	return buf, quotes, true
}

// inLimit returns the bytes buffered in the reader, up to the size limit of
// message m: the lines headerLines and bodyLines may take. A line that
// passes the limit is left to next, which decides that the message is too
// large.
func (s *mboxSplitter) inLimit(m *rawMessage) []byte {
	p, _ := s.br.Peek(s.br.Buffered())
	if room := s.max - m.size; int64(len(p)) > room {
		p = p[:room]
	}
	return p
}

// appendTo appends p to buf, the message buffer. When buf is full it is
// replaced by a pool buffer of at least twice its size, and goes back to
// the pool, so that the buffer handed over with the message is one the
// pool can take back on Release.
func (s *mboxSplitter) appendTo(buf, p []byte) []byte {
	if len(buf)+len(p) <= cap(buf) {
		return append(buf, p...)
	}
	nb := s.pool.get(max(2*cap(buf), len(buf)+len(p)))[:len(buf)]
	copy(nb, buf)
	s.pool.put(buf)
	return append(nb, p...)
}

// readEnvelope reads the From_ line at the start of the stream into
// pending, keeping at most maxEnvelope+1 bytes, and its length into envLen.
func (s *mboxSplitter) readEnvelope() error {
	s.pending, s.envLen = s.pending[:0], 0
	for {
		line, err := s.br.ReadSlice('\n')
		s.off += int64(len(line))
		s.envLen += int64(len(line))
		if room := maxEnvelope + 1 - len(s.pending); room > 0 {
			s.pending = append(s.pending, line[:min(room, len(line))]...)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// isBoundary reports whether line, a complete line starting with "From " at
// offset lineStart, starts the next message. It may need to look ahead in
// the stream, which invalidates line, so it returns the line to use.
func (s *mboxSplitter) isBoundary(line []byte, lineStart int64, st *msgState) (bool, []byte) {
	if !isFromLine(line) {
		return false, line
	}
	if st.cl < 0 || st.inHeader {
		return st.prevBlank, line
	}
	body := lineStart - st.bodyStart
	if body == st.cl {
		return true, line // the declared body ends right before this line
	}
	if !st.prevBlank {
		return false, line
	}
	if body-int64(st.prevLen) >= st.cl {
		// Equal: the declared body ends before the separator. Greater: the
		// Content-Length is too small to be right; the From_ line wins.
		return true, line
	}
	// The line is inside the declared body. It is body content only if the
	// declared body really ends at a message boundary.
	s.saved = append(s.saved[:0], line...)
	ok := s.declaredEndOK(st.bodyStart+st.cl, lineStart+int64(len(line)))
	return !ok, s.saved
}

// declaredEndOK reports whether the stream, whose next unread byte is at
// offset after, ends or has a From_ line (optionally after an empty line) at
// offset end. It looks at most one buffer ahead; further means no.
func (s *mboxSplitter) declaredEndOK(end, after int64) bool {
	k := end - after
	if k < 0 {
		return false
	}
	const window = maxEnvelope + 2
	n := int(min(k+window, int64(s.br.Size())))
	if k >= int64(n) {
		return false
	}
	p, err := s.br.Peek(n)
	if int64(len(p)) < k {
		return false
	}
	rest := p[k:]
	if len(rest) == 0 {
		return errors.Is(err, io.EOF)
	}
	if line, r, _ := cutLine(rest); isBlank(line) {
		rest = r
		if len(rest) == 0 {
			return errors.Is(err, io.EOF)
		}
	}
	line, _, _ := cutLine(rest)
	return isFromLine(line)
}

// isQuotedFrom reports whether line is a quoted From line under mode u.
func isQuotedFrom(line []byte, u Unquote) bool {
	if u == UnquoteNone {
		return false
	}
	i := 0
	for i < len(line) && line[i] == '>' {
		i++
	}
	if i == 0 || (u == UnquoteMboxo && i > 1) {
		return false
	}
	return hasPrefix(line[i:], fromPrefix)
}

// unquoteCopy fills out, of length len(buf)-len(quotes), with buf without
// the bytes at the offsets in quotes, which are increasing, and returns it.
// out may be buf itself: every byte moves down, never up.
func unquoteCopy(out, buf []byte, quotes []int) []byte {
	n, from := 0, 0
	for _, q := range quotes {
		n += copy(out[n:], buf[from:q])
		from = q + 1
	}
	copy(out[n:], buf[from:])
	return out
}
