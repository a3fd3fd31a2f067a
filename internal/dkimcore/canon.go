package dkimcore

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// Canonicalization is a canonicalization algorithm named in a c= tag
// (RFC 6376, section 3.4).
type Canonicalization string

// The canonicalization algorithms of RFC 6376, section 3.4.
const (
	// CanonSimple tolerates almost no change (RFC 6376, sections 3.4.1
	// and 3.4.3).
	CanonSimple Canonicalization = "simple"
	// CanonRelaxed tolerates common white space and case changes (RFC
	// 6376, sections 3.4.2 and 3.4.4).
	CanonRelaxed Canonicalization = "relaxed"
)

// CanonicalizeHeader appends the canonical form of one header field to dst
// and returns the extended slice. field is the whole field as it stands in
// the message, "Name: value" with its folding and final CRLF.
//
// RFC 6376, section 3.4.1: simple header canonicalization changes nothing.
//
// RFC 6376, section 3.4.2: relaxed lower-cases the field name, unfolds the
// value, turns every run of white space into one space, and deletes white
// space at the end of the value and on both sides of the colon.
func CanonicalizeHeader(dst, field []byte, c Canonicalization) []byte {
	if c != CanonRelaxed {
		return append(dst, field...)
	}
	colon := bytes.IndexByte(field, ':')
	if colon < 0 {
		return append(dst, field...)
	}
	name := field[:colon]
	for len(name) > 0 && isWSP(name[len(name)-1]) {
		name = name[:len(name)-1]
	}
	for _, ch := range name {
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		dst = append(dst, ch)
	}
	dst = append(dst, ':')
	dst = appendRelaxedValue(dst, field[colon+1:])
	return append(dst, '\r', '\n')
}

// appendRelaxedValue appends v unfolded, with white space runs reduced to
// one space and no white space at either end.
func appendRelaxedValue(dst, v []byte) []byte {
	space := false
	started := false
	for i := 0; i < len(v); i++ {
		ch := v[i]
		switch {
		case ch == '\r' && i+1 < len(v) && v[i+1] == '\n':
			i++ // unfold: CRLF is removed, the WSP after it is a run
		case isWSP(ch):
			space = true
		default:
			if space && started {
				dst = append(dst, ' ')
			}
			space = false
			started = true
			dst = append(dst, ch)
		}
	}
	return dst
}

// bodyCanon canonicalizes a message body written in arbitrary chunks and
// passes the canonical bytes to out. Line ends may be CRLF or bare LF; both
// count as a line end and come out as CRLF.
//
// RFC 6376, section 3.4.3: simple body canonicalization removes the empty
// lines at the end of the body; an empty body becomes one CRLF.
//
// RFC 6376, section 3.4.4: relaxed also removes white space at the end of
// each line and reduces runs of white space to one space; an empty body
// stays empty.
//
// Both add a CRLF to a body whose last line has none (RFC 6376, section
// 3.4.3 and 3.4.4, with erratum 3965 for relaxed).
type bodyCanon struct {
	relaxed    bool
	out        func([]byte)
	buf        []byte // canonical bytes not yet passed to out
	emptyLines int    // empty lines seen and not yet known to be inside the body
	inLine     bool   // the current line has produced output
	pendingCR  bool   // the previous chunk ended in CR
	pendingWSP bool   // relaxed: white space seen and not yet written
	wrote      bool   // anything was produced
	n          int64  // canonical bytes produced
}

const canonBufSize = 16 << 10

// plainWindow bounds how far one search for white space looks ahead.
const plainWindow = 4 << 10

var (
	crlf = []byte("\r\n")
	cr   = []byte("\r")
)

func (c *bodyCanon) reset(relaxed bool, buf []byte, out func([]byte)) {
	*c = bodyCanon{relaxed: relaxed, buf: buf[:0], out: out}
}

// Write canonicalizes p. It never fails.
func (c *bodyCanon) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if p = c.plainLines(p); len(p) == 0 {
			break
		}
		var seg []byte
		eol := false
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			seg, p, eol = p[:i], p[i+1:], true
		} else {
			seg, p = p, nil
		}
		if c.pendingCR {
			c.pendingCR = false
			if !eol || len(seg) > 0 {
				c.content(cr)
			}
		}
		if eol {
			if len(seg) > 0 && seg[len(seg)-1] == '\r' {
				seg = seg[:len(seg)-1]
			}
			c.content(seg)
			c.endLine()
		} else {
			if len(seg) > 0 && seg[len(seg)-1] == '\r' {
				seg = seg[:len(seg)-1]
				c.pendingCR = true
			}
			c.content(seg)
		}
	}
	return n, nil
}

// Close ends the body and flushes everything to out.
func (c *bodyCanon) Close() error {
	if c.pendingCR {
		c.pendingCR = false
		c.content(cr)
	}
	if c.inLine {
		c.endLine()
	}
	if !c.relaxed && !c.wrote {
		c.emit(crlf)
	}
	c.flush()
	return nil
}

// plainLines consumes the whole lines at the start of p that need no
// decision beyond their line end, and returns the rest of p; Write handles
// that rest, at least one line or part of one, before calling it again.
// Such a line, with simple canonicalization, is any line; with relaxed, a
// line that starts and ends with a byte other than white space and whose
// white space is all single SPs (plainRun). It comes out unchanged with
// CRLF, copied once into the buffer: this is the path of nearly every line
// of real mail, so it avoids the per-segment work of content and endLine.
// Empty lines are counted, as endLine does.
func (c *bodyCanon) plainLines(p []byte) []byte {
	if c.pendingCR || c.inLine || c.pendingWSP {
		return p
	}
	for {
		var i int
		if c.relaxed {
			// One scan finds the line end and any white space to decide.
			var eol bool
			if i, eol = plainLine(p); !eol {
				return p
			}
		} else if i = bytes.IndexByte(p, '\n'); i < 0 {
			return p
		}
		line := p[:i]
		if i > 0 && line[i-1] == '\r' {
			line = line[:i-1]
		}
		n := len(line)
		if n == 0 {
			c.emptyLines++
			p = p[i+1:]
			continue
		}
		if n+2 > cap(c.buf)/2 {
			return p
		}
		if c.relaxed && (isWSP(line[0]) || isWSP(line[n-1])) {
			return p
		}
		if c.emptyLines > 0 {
			c.startLine()
			c.inLine = false
		}
		if len(c.buf)+n+2 > cap(c.buf) {
			c.flush()
		}
		c.buf = append(c.buf, line...)
		c.buf = append(c.buf, '\r', '\n')
		c.wrote = true
		p = p[i+1:]
	}
}

// content handles bytes inside a line (no line end).
func (c *bodyCanon) content(seg []byte) {
	if len(seg) == 0 {
		return
	}
	if !c.relaxed {
		c.startLine()
		c.emit(seg)
		return
	}
	// Relaxed: the line starts (and held-back empty lines are written)
	// only at its first byte that is not white space.
	if !c.inLine {
		i := 0
		for i < len(seg) && isWSP(seg[i]) {
			i++
		}
		if i > 0 {
			c.pendingWSP = true
		}
		if i == len(seg) {
			return
		}
		c.startLine()
	}
	// Runs of text in which every white space is a single SP between two
	// other bytes come out unchanged, so they are copied whole; only the
	// white space around them needs deciding. Mail text is mostly such
	// runs, and base64 parts are one run per line.
	pending := c.pendingWSP
	for len(seg) > 0 {
		i := 0
		for i < len(seg) && isWSP(seg[i]) {
			i++
		}
		if i > 0 {
			pending = true
			seg = seg[i:]
			if len(seg) == 0 {
				break
			}
		}
		if pending {
			c.emitByte(' ')
			pending = false
		}
		n := plainRun(seg)
		c.emit(seg[:n])
		seg = seg[n:]
	}
	c.pendingWSP = pending
}

// plainRun returns the length of the longest prefix of seg, which starts
// with a byte other than white space, that ends in a byte other than white
// space and whose white space is all single SPs: the prefix that relaxed
// body canonicalization leaves as it is. It looks at most plainWindow bytes
// ahead, so that a long line with many white space runs costs linear time.
// It may return a shorter prefix than the longest (see firstZero), which
// only means the caller decides about the white space after it itself.
//
// Eight bytes are tested at a time for a tab or for an SP following an SP.
func plainRun(seg []byte) int {
	seg = seg[:min(len(seg), plainWindow)]
	n := len(seg)
	var prevSP uint64 // 0x80 when the byte before the word is SP
	i := 0
	for ; i+8 <= len(seg); i += 8 {
		x := binary.LittleEndian.Uint64(seg[i : i+8])
		sp := firstZero(x ^ allSP)
		stop := firstZero(x^allTab) | sp&(sp<<8|prevSP)
		if stop != 0 {
			n = i + bits.TrailingZeros64(stop)/8
			break
		}
		prevSP = sp >> 56
	}
	if n == len(seg) {
		for ; i < len(seg); i++ {
			if seg[i] == '\t' || seg[i] == ' ' && i > 0 && seg[i-1] == ' ' {
				n = i
				break
			}
		}
	}
	for n > 0 && seg[n-1] == ' ' {
		n--
	}
	return n
}

// plainLine returns the offset of the first LF in p and true when the
// bytes before it (a CR before the LF aside) have no tab and no SP after an
// SP: a line that relaxed body canonicalization leaves as it is, but for
// white space at either end. Otherwise it returns false: there is no LF,
// or white space to decide comes first (or, rarely, the test stops early
// after an SP, see firstZero).
//
// Eight bytes are tested at a time, for the line end and the white space
// together: one pass where a search for the line end and plainRun would
// take two, and most lines are short enough that the call of a search
// costs as much as the search.
func plainLine(p []byte) (int, bool) {
	var prevSP uint64 // 0x80 when the byte before the word is SP
	i := 0
	// Two words per step, one branch for both: a stop is a byte below
	// 0x0b (LF, tab, and rare control bytes, which the caller's slow path
	// then handles) or an SP after an SP.
	for ; i+16 <= len(p); i += 16 {
		x := binary.LittleEndian.Uint64(p[i : i+8])
		y := binary.LittleEndian.Uint64(p[i+8 : i+16])
		spx, spy := firstZero(x^allSP), firstZero(y^allSP)
		sx := firstBelow11(x) | spx&(spx<<8|prevSP)
		sy := firstBelow11(y) | spy&(spy<<8|spx>>56)
		if sx|sy != 0 {
			k := i + bits.TrailingZeros64(sx)/8
			if sx == 0 {
				k = i + 8 + bits.TrailingZeros64(sy)/8
			}
			return k, p[k] == '\n'
		}
		prevSP = spy >> 56
	}
	for ; i < len(p); i++ {
		switch {
		case p[i] == '\n':
			return i, true
		case p[i] < 0x0b, p[i] == ' ' && i > 0 && p[i-1] == ' ':
			return i, false
		}
	}
	return len(p), false
}

// firstBelow11 is firstZero for the bytes below 0x0b: the high bit is set
// in the lowest such byte, and possibly in bytes above it.
func firstBelow11(x uint64) uint64 {
	return (x - 0x0b*low1) &^ x & high1
}

// Byte-wise constants for plainRun and plainLine.
const (
	allSP  = 0x2020202020202020
	allTab = 0x0909090909090909
	low1   = 0x0101010101010101
	high1  = 0x8080808080808080
)

// firstZero returns x with the high bit set in the lowest byte that is
// zero, and possibly in some bytes above it, where a borrow reaches (a
// byte 0x01 above a zero byte); every byte below the lowest zero byte and
// every other bit is clear. A spurious stop found this way is above a
// true tab or SP, so it ends a plain run early (a shorter plain prefix),
// never late.
func firstZero(x uint64) uint64 {
	return (x - low1) &^ x & high1
}

// startLine marks the current line as non-empty, first writing the empty
// lines held back before it.
func (c *bodyCanon) startLine() {
	if c.inLine {
		return
	}
	c.inLine = true
	for ; c.emptyLines > 0; c.emptyLines-- {
		c.emit(crlf)
	}
}

func (c *bodyCanon) endLine() {
	c.pendingWSP = false
	if c.inLine {
		c.emit(crlf)
		c.inLine = false
	} else {
		c.emptyLines++
	}
}

func (c *bodyCanon) emitByte(b byte) {
	if len(c.buf) == cap(c.buf) {
		c.flush()
	}
	c.buf = append(c.buf, b)
	c.wrote = true
}

func (c *bodyCanon) emit(b []byte) {
	c.wrote = true
	if len(c.buf)+len(b) <= cap(c.buf) {
		c.buf = append(c.buf, b...)
		return
	}
	c.flush()
	if len(b) >= cap(c.buf)/2 {
		c.n += int64(len(b))
		c.out(b)
		return
	}
	c.buf = append(c.buf, b...)
}

func (c *bodyCanon) flush() {
	if len(c.buf) > 0 {
		c.n += int64(len(c.buf))
		c.out(c.buf)
		c.buf = c.buf[:0]
	}
}

// BodyCanonicalizer is an [io.WriteCloser] that writes the canonical form
// of the body written to it (RFC 6376, sections 3.4.3 and 3.4.4) to an
// underlying writer. The body may be written in chunks of any size; bare LF
// line ends are read as CRLF. Close must be called to flush the end of the
// body.
type BodyCanonicalizer struct {
	c   bodyCanon
	w   io.Writer
	err error
}

// NewBodyCanonicalizer returns a BodyCanonicalizer writing to w with
// algorithm c. An algorithm other than [CanonRelaxed] means simple.
func NewBodyCanonicalizer(w io.Writer, c Canonicalization) *BodyCanonicalizer {
	bc := &BodyCanonicalizer{w: w}
	bc.c.reset(c == CanonRelaxed, make([]byte, 0, canonBufSize), func(b []byte) {
		if bc.err == nil {
			_, bc.err = bc.w.Write(b)
		}
	})
	return bc
}

// Write canonicalizes p. It returns the first error of the underlying
// writer.
func (bc *BodyCanonicalizer) Write(p []byte) (int, error) {
	if bc.err != nil {
		return 0, bc.err
	}
	bc.c.Write(p)
	return len(p), bc.err
}

// Close ends the body, writing any held-back bytes.
func (bc *BodyCanonicalizer) Close() error {
	bc.c.Close()
	return bc.err
}

// Len returns how many canonical bytes have been written so far.
func (bc *BodyCanonicalizer) Len() int64 { return bc.c.n }
