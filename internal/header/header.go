// Package header reads the header block of an Internet message (RFC 5322,
// section 2.2) into fields that keep their exact bytes, as DKIM and ARC
// canonicalization need (RFC 6376, section 3.4), while bounding memory so
// that hostile input (a megabyte-long line, thousands of fields, binary
// junk) ends in an error naming the line, never in unbounded growth.
//
// Line ends are normalized to CRLF: messages saved on Unix use bare LF, and
// signatures were computed over the CRLF form that crossed the wire.
//
// # Lenient reading
//
// [Read] refuses a block that breaks the syntax of RFC 5322, section 2.2.
// [ReadLenient] reads on where a lenient mail reader does, and lists what
// it forgave as [Damage]:
//
//   - a line with no colon, or whose would-be name holds a control
//     character or white space, after the first field: read as the
//     continuation of the field above it (mail clients that export
//     headers sometimes lose the leading white space of a fold);
//     [Field.Value] joins it with one space;
//   - lines of only white space before the first field: skipped;
//   - bare CRs and NUL bytes inside a line, and field names with bytes
//     from 0x80 up: kept.
//
// Every byte of every field is kept as it stands, so a signature check
// sees the message as it is; a signature over a damaged field may fail
// because of the damage. The lenient reading stops, with an [Error] naming
// the line, where the input is not a damaged header but something else:
// when the first line is not a header field (text, binary data), at a
// line it would have to forgive that is binary (see [IsBinaryLine]), and
// after 32 damaged lines. A bare CR does not end a line: files with
// CR-only line ends (classic Mac OS) are not split into lines.
package header

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Sentinel errors for unreadable header blocks.
var (
	// ErrSyntax means a line is neither a header field nor its continuation.
	ErrSyntax = errors.New("not a header field")
	// ErrLimit means the header block exceeds a configured limit.
	ErrLimit = errors.New("header limit exceeded")
	// ErrEmpty means the input holds no header field at all.
	ErrEmpty = errors.New("no header fields")
)

// Limits bound what Read accepts. A zero field takes its default.
type Limits struct {
	MaxFields     int // header fields; default 1000
	MaxFieldBytes int // bytes in one field including folding; default 128 KiB
	MaxBlockBytes int // bytes in the whole header block; default 1 MiB
	// BlockSize is the expected size of the header block, line ends
	// counted as CRLF; Read allocates its buffer at this size (bounded by
	// MaxBlockBytes) instead of growing one. Zero means 4 KiB.
	BlockSize int
}

const (
	defaultMaxFields     = 1000
	defaultMaxFieldBytes = 128 << 10
	defaultMaxBlockBytes = 1 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxFields <= 0 {
		l.MaxFields = defaultMaxFields
	}
	if l.MaxFieldBytes <= 0 {
		l.MaxFieldBytes = defaultMaxFieldBytes
	}
	if l.MaxBlockBytes <= 0 {
		l.MaxBlockBytes = defaultMaxBlockBytes
	}
	return l
}

// blockSize is the initial capacity of Read's block.
func (l Limits) blockSize() int {
	if l.BlockSize <= 0 {
		return 4096
	}
	return min(l.BlockSize, l.MaxBlockBytes)
}

// Error is a problem at a given line of the header block.
type Error struct {
	Line int   // 1-based line number where the problem starts
	Err  error // ErrSyntax, ErrLimit or an I/O error
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%v at line %d: %s", e.Err, e.Line, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Field is one header field as it stands in the message.
type Field struct {
	// Name is the field name as written, without the colon.
	Name string
	// Raw is the whole field, "Name: value" with its folding, each line
	// ending in CRLF.
	Raw []byte
	// Line is the 1-based line number where the field starts.
	Line int
}

// Is reports whether the field's name is name, ignoring case (RFC 5322,
// section 1.2.2: field names are case-insensitive).
//
// Field names are US-ASCII (RFC 5322, section 2.2), so names of different
// lengths never match: a name spelled with a non-ASCII character that
// Unicode case folding equates with an ASCII letter (the Kelvin sign for
// K) is another name, and most fields are told apart by length alone.
func (f Field) Is(name string) bool {
	return len(f.Name) == len(name) && strings.EqualFold(f.Name, name)
}

// RawValue returns the bytes after the colon, folding and final CRLF kept.
func (f Field) RawValue() []byte {
	i := bytes.IndexByte(f.Raw, ':')
	return f.Raw[i+1:]
}

// Value returns the unfolded value (RFC 5322, section 2.2.3): the text
// after the colon with every CRLF that precedes white space removed and
// leading and trailing white space trimmed. A CRLF before a line that
// does not start with white space (a damaged fold that [ReadLenient]
// joined) becomes one space, the white space the fold lost.
func (f Field) Value() string {
	v := bytes.TrimSpace(f.RawValue())
	if bytes.IndexByte(v, '\n') < 0 {
		return string(v)
	}
	// Folded: copy the lines without their CRLF, in one allocation.
	var b strings.Builder
	b.Grow(len(v) + 8)
	for len(v) > 0 {
		line, rest, folded := bytes.Cut(v, []byte("\r\n"))
		b.Write(line)
		if folded && len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
			b.WriteByte(' ')
		}
		v = rest
	}
	return b.String()
}

// Values returns the unfolded values of every field named name, top to
// bottom.
func Values(fields []Field, name string) []string {
	var out []string
	for _, f := range fields {
		if f.Is(name) {
			out = append(out, f.Value())
		}
	}
	return out
}

// Read reads header fields from r up to and including the empty line that
// ends the header block (RFC 5322, section 2.1), leaving r at the first byte
// of the body. A block that ends at EOF without an empty line (headers pasted
// without a body) is complete, not an error. Fields are returned top to
// bottom; the body is not read.
func Read(r *bufio.Reader, lim Limits) ([]Field, error) {
	return readBlock(r, lim, nil)
}

// ReadLenient is [Read] for mail as people have it, which is not always
// as RFC 5322 wants it: it reads on where Read refuses, as a lenient mail
// reader does, and returns what it forgave as damage, top to bottom. See
// the package documentation for what it forgives and where it stops.
// Raw keeps the exact bytes of every field, damaged lines included.
func ReadLenient(r *bufio.Reader, lim Limits) ([]Field, []Damage, error) {
	var dmg []Damage
	fields, err := readBlock(r, lim, &dmg)
	return fields, dmg, err
}

// readBlock is Read, lenient when dmg is not nil; damage is appended to *dmg.
func readBlock(r *bufio.Reader, lim Limits, dmg *[]Damage) ([]Field, error) {
	lim = lim.withDefaults()
	var (
		// Every field's bytes go into one block, and each Raw is a slice
		// of it: two or three allocations per header block rather than
		// one per field.
		blk    = make([]byte, 0, lim.blockSize())
		spans  = make([]span, 0, 32)
		cur    = -1 // start of the field being assembled in blk, or -1
		curLn  int
		line   int
		total  int
		fields []Field
	)
	flush := func() {
		if cur >= 0 {
			spans = append(spans, span{start: cur, end: len(blk), line: curLn})
			cur = -1
		}
	}
	done := func(err error) ([]Field, error) {
		flush()
		fields = make([]Field, len(spans))
		for i, sp := range spans {
			raw := blk[sp.start:sp.end:sp.end]
			fields[i] = Field{Name: nameOf(raw), Raw: raw, Line: sp.line}
		}
		return fields, err
	}
	for {
		l, err := readLine(r, lim.MaxFieldBytes)
		if len(l) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return done(&Error{Line: line + 1, Err: ErrLimit, Msg: err.Error()})
		}
		line++
		total += len(l) + 2
		if total > lim.MaxBlockBytes {
			return done(&Error{Line: line, Err: ErrLimit, Msg: fmt.Sprintf("header block longer than %d bytes", lim.MaxBlockBytes)})
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return done(&Error{Line: line, Err: ErrLimit, Msg: err.Error()})
		}
		if len(l) == 0 {
			break // end of the header block
		}
		fold := l[0] == ' ' || l[0] == '\t'
		var msg string
		eightBit := false
		if !fold {
			msg, eightBit = checkFieldStart(l, dmg != nil)
		}
		if dmg != nil && (msg != "" && cur >= 0 || eightBit || fold && cur < 0 || bytes.IndexByte(l, '\r') >= 0 || bytes.IndexByte(l, 0) >= 0) {
			// The lenient reading's slow path: a line to forgive.
			field := ""
			if cur >= 0 {
				field = fieldName(blk[cur:])
			}
			// Only what is buffered: a Peek that refills would move the bytes l
			// aliases.
			next, _ := r.Peek(min(r.Buffered(), 256))
			act, err := forgive(dmg, l, line, field, msg, next)
			switch {
			case err != nil:
				return done(err)
			case act == actSkip:
				continue
			case act == actFold:
				fold, msg = true, ""
			case act == actField:
				msg = ""
			}
		}
		if fold {
			if cur < 0 {
				return done(&Error{Line: line, Err: ErrSyntax, Msg: "continuation line with no field before it"})
			}
			if len(blk)-cur+len(l)+2 > lim.MaxFieldBytes {
				return done(&Error{Line: curLn, Err: ErrLimit, Msg: fmt.Sprintf("field %q longer than %d bytes", fieldName(blk[cur:]), lim.MaxFieldBytes)})
			}
			blk = append(append(blk, l...), '\r', '\n')
		} else {
			if msg != "" {
				return done(&Error{Line: line, Err: ErrSyntax, Msg: msg})
			}
			flush()
			if len(spans) >= lim.MaxFields {
				return done(&Error{Line: line, Err: ErrLimit, Msg: fmt.Sprintf("more than %d header fields", lim.MaxFields)})
			}
			cur, curLn = len(blk), line
			blk = append(append(blk, l...), '\r', '\n')
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if len(spans) == 0 && cur < 0 {
		return nil, ErrEmpty
	}
	return done(nil)
}

// span locates one field in the block Read assembles.
type span struct{ start, end, line int }

// nameOf returns the field name of raw, a field that checkFieldStart
// accepted: the bytes before the colon, trailing white space removed.
// Common names are returned without allocating.
func nameOf(raw []byte) string {
	name := bytes.TrimRight(raw[:bytes.IndexByte(raw, ':')], " \t\r\n")
	switch string(name) {
	case "Received":
		return "Received"
	case "Authentication-Results":
		return "Authentication-Results"
	case "DKIM-Signature":
		return "DKIM-Signature"
	case "ARC-Seal":
		return "ARC-Seal"
	case "ARC-Message-Signature":
		return "ARC-Message-Signature"
	case "ARC-Authentication-Results":
		return "ARC-Authentication-Results"
	case "Received-SPF":
		return "Received-SPF"
	case "Return-Path":
		return "Return-Path"
	case "From":
		return "From"
	case "To":
		return "To"
	case "Cc":
		return "Cc"
	case "Subject":
		return "Subject"
	case "Date":
		return "Date"
	case "Message-ID":
		return "Message-ID"
	case "MIME-Version":
		return "MIME-Version"
	case "Content-Type":
		return "Content-Type"
	case "Content-Transfer-Encoding":
		return "Content-Transfer-Encoding"
	case "Reply-To":
		return "Reply-To"
	case "Delivered-To":
		return "Delivered-To"
	case "List-Unsubscribe":
		return "List-Unsubscribe"
	}
	return string(name)
}

// errLineTooLong is returned by readLine for a line over the limit; the rest
// of the line is not buffered.
var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its line end (LF or CRLF). The
// slice is valid only until the next read from r. It never buffers more
// than max bytes of one line.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	chunk, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// A line longer than the reader's buffer: gather it, bounded.
		buf := append([]byte(nil), chunk...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(buf) > max+2 {
				return []byte{0}, fmt.Errorf("%w: more than %d bytes", errLineTooLong, max)
			}
			chunk, err = r.ReadSlice('\n')
			buf = append(buf, chunk...)
		}
		chunk = buf
	}
	if len(chunk) > max+2 {
		return []byte{0}, fmt.Errorf("%w: more than %d bytes", errLineTooLong, max)
	}
	chunk = bytes.TrimSuffix(chunk, []byte("\n"))
	chunk = bytes.TrimSuffix(chunk, []byte("\r"))
	return chunk, err
}

// checkFieldStart returns why l cannot start a header field, or "".
// RFC 5322, section 2.2: a field name is printable US-ASCII except colon,
// followed by a colon. With eightBit, bytes from 0x80 up are let through
// in the name (the lenient reading reports them as damage).
// It also reports whether the name holds such bytes.
func checkFieldStart(l []byte, eightBit bool) (msg string, has8Bit bool) {
	i := bytes.IndexByte(l, ':')
	if i <= 0 {
		return fmt.Sprintf("no colon in %q", clip(l)), false
	}
	name := bytes.TrimRight(l[:i], " \t")
	if len(name) == 0 {
		return "empty field name", false
	}
	for _, c := range name {
		switch {
		case c > 127 && eightBit:
			has8Bit = true
		case c < 33 || c > 126:
			return fmt.Sprintf("invalid character 0x%02x in field name %q", c, clip(name)), false
		}
	}
	return "", has8Bit
}

func fieldName(raw []byte) string {
	if i := bytes.IndexByte(raw, ':'); i > 0 {
		return string(raw[:i])
	}
	return ""
}

// clip shortens b for use in an error message.
func clip(b []byte) string {
	const n = 40
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
