package mailbox

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Byte masks of the word-at-a-time search in fromLineIn: lanes holds 1 in
// every byte, and high the top bit of every byte.
const (
	lanes = 0x0101010101010101
	high  = 0x8080808080808080
)

// indexFromLine returns the offset of the first line of p that starts with
// "From " or with ">+From ", or -1 when there is none. p must start at the
// start of a line; the lines that start within p are looked at, and a line
// cut at the end of p only if its start matches in full. These are the
// lines an mbox reader must look at one by one (RFC 4155 section 2: a From_
// line may end a message, and a quoted From line loses a '>'); the lines
// before it can be taken as they are.
//
// Such a line holds an 'F' and a space, and the first of each from the
// line's start on are those of its "From ". So the search can jump from one
// 'F', or one space, to the next with bytes.IndexByte, checking the one
// line each may start, and skip the bytes between: text bodies have few
// capital Fs, and base64 bodies no spaces. Where both are frequent (header
// fields, some text) it looks at the line starts of the next block of
// bytes instead, 16 bytes per step (see fromLineIn).
func indexFromLine(p []byte) int {
	if quotedOrFrom(p) {
		return 0
	}
	// No line that starts at an offset from 1 to i-1 is a From or quoted
	// From line. A jump from i to the next anchor byte c keeps this true up
	// to c: a line starting between them would have its own 'F' (or
	// space) at or before c, as its "From " is preceded by '>'s only.
	anchor, dense := byte('F'), 0
	for i := 1; i < len(p); {
		if dense == 2 {
			end := min(i+denseBlock, len(p))
			if j := fromLineIn(p, i, end); j >= 0 {
				return j
			}
			i, dense = end, 0
			continue
		}
		k := bytes.IndexByte(p[i:], anchor)
		if k < 0 {
			return -1
		}
		c := i + k
		if j := lineOfAnchor(p, c, anchor); j >= 0 {
			return j
		}
		i = c + 1
		if k < sparseGap {
			// The anchor is frequent here: try the other one, and after
			// two short jumps look at the next block line by line.
			dense++
			anchor ^= 'F' ^ ' '
		} else {
			dense = 0
		}
	}
	return -1
}

const (
	// sparseGap is the shortest jump to the next anchor byte that is worth
	// a call of bytes.IndexByte.
	sparseGap = 64
	// denseBlock is the number of bytes looked at line by line when both
	// anchor bytes are frequent.
	denseBlock = 512
)

// lineOfAnchor returns the start of the line of p that starts with "From "
// or ">+From " and whose "From " has its 'F' (anchor 'F') or its space
// (anchor ' ') at offset c, or -1 when there is none.
func lineOfAnchor(p []byte, c int, anchor byte) int {
	f := c
	if anchor == ' ' {
		f = c - (len(fromPrefix) - 1)
	}
	if f < 0 || !hasPrefix(p[f:], fromPrefix) {
		return -1
	}
	j := f
	for j > 0 && p[j-1] == '>' {
		j--
	}
	if j > 0 && p[j-1] != '\n' {
		return -1
	}
	return j
}

// fromLineIn returns the first line start j of p with lo <= j < hi whose
// line starts with "From " or ">+From ", or -1 when there is none; it may
// also return such a line start up to 16 bytes past hi when every line
// start before it has been looked at. lo must be at least 1.
//
// It looks at 16 bytes per step: overlapping little-endian loads give each
// byte and the byte after it, and a line that starts with 'F' or '>' is a
// byte '\n' followed by one of them. The byte after is matched on the bits
// where 'F' and '>' agree (b&0x87 == 0x06), which lets through 14 other
// bytes as well, and zeroLanes may flag bytes above a match, so each
// flagged position is checked.
func fromLineIn(p []byte, lo, hi int) int {
	k := lo - 1 // the '\n' before the line start lo
	for ; k < hi-1 && len(p)-k >= 17; k += 16 {
		q := p[k : k+17]
		a0 := binary.LittleEndian.Uint64(q)
		a1 := binary.LittleEndian.Uint64(q[8:])
		b0 := binary.LittleEndian.Uint64(q[1:])
		b1 := binary.LittleEndian.Uint64(q[9:])
		m0 := zeroLanes(a0 ^ (lanes * '\n') | (b0 & (lanes * 0x87)) ^ (lanes * 0x06))
		m1 := zeroLanes(a1 ^ (lanes * '\n') | (b1 & (lanes * 0x87)) ^ (lanes * 0x06))
		if m0|m1 == 0 {
			continue
		}
		for m := m0; m != 0; m &= m - 1 {
			if j := k + bits.TrailingZeros64(m)/8; p[j] == '\n' && quotedOrFrom(p[j+1:]) {
				return j + 1
			}
		}
		for m := m1; m != 0; m &= m - 1 {
			if j := k + 8 + bits.TrailingZeros64(m)/8; p[j] == '\n' && quotedOrFrom(p[j+1:]) {
				return j + 1
			}
		}
	}
	for ; k < hi-1 && k+1 < len(p); k++ {
		if p[k] == '\n' && quotedOrFrom(p[k+1:]) {
			return k + 1
		}
	}
	return -1
}

// zeroLanes returns a word with the top bit set in the bytes of x that are
// zero, and possibly in bytes above a zero byte (the borrow of the
// subtraction runs up from it), and clear in every other byte: a byte
// below the lowest zero byte is never flagged, and every zero byte is.
func zeroLanes(x uint64) uint64 {
	return (x - lanes) &^ x & high
}

// quotedOrFrom reports whether p starts with "From " or with ">+From ".
func quotedOrFrom(p []byte) bool {
	if len(p) > 0 && p[0] == '>' {
		i := 1
		for i < len(p) && p[i] == '>' {
			i++
		}
		p = p[i:]
	}
	return hasPrefix(p, fromPrefix)
}
