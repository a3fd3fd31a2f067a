package mailbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/authlens/authlens/internal/header"
)

// Magic numbers of the formats told apart by their first bytes.
const (
	magicGzip  = "\x1f\x8b"                         // RFC 1952, section 2.3.1
	magicOLE   = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" // compound file binary format
	magicPST   = "!BDN"
	magicZip   = "PK\x03\x04"
	magicZipE  = "PK\x05\x06" // empty zip archive
	magicPDF   = "%PDF-"
	magicBzip2 = "BZh"
	magicXz    = "\xfd7zXZ\x00"
	magicZstd  = "\x28\xb5\x2f\xfd"
	magic7z    = "7z\xbc\xaf\x27\x1c"
	fromPrefix = "From "
)

// hasPrefix reports whether b starts with s, without allocating.
func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

// Detect tells the format of the content at the start of r without consuming
// it: it only peeks at up to r.Size() bytes. A reader with a larger buffer
// sees more header fields, which matters for telling mboxcl2 from mbox.
//
// Detect never returns FormatMaildir, which is a property of a directory.
// It returns FormatEmpty for a stream without bytes; the error is non-nil
// only when reading fails before the first byte.
func Detect(r *bufio.Reader) (Format, error) {
	b, err := r.Peek(r.Size())
	if len(b) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return FormatEmpty, nil
		}
		return FormatUnknown, err
	}
	// A read error after some bytes is left for the reader of the content
	// to meet: the bytes already seen are enough to tell the format.
	switch {
	case hasPrefix(b, magicGzip):
		return FormatGzip, nil
	case hasPrefix(b, magicOLE):
		return FormatMsg, nil
	case hasPrefix(b, magicPST):
		return FormatPST, nil
	case hasPrefix(b, magicZip), hasPrefix(b, magicZipE):
		return FormatZip, nil
	case hasPrefix(b, magicPDF):
		return FormatPDF, nil
	case hasPrefix(b, fromPrefix):
		if firstHeaderHasContentLength(b) {
			return FormatMboxCL2, nil
		}
		return FormatMbox, nil
	case looksLikeHeader(b):
		return FormatEML, nil
	}
	return FormatUnknown, nil
}

// unsupported returns the error for content that is not mail, with advice.
// head is the start of the content, used to name common unknown formats
// and, for text, the line that is not a header.
func unsupported(f Format, head []byte) error {
	var what string
	switch f {
	case FormatEmpty:
		return fmt.Errorf("%w: file has no content", ErrEmpty)
	case FormatMsg:
		what = "Outlook .msg file (OLE compound document): export the messages as .eml or mbox first"
	case FormatPST:
		what = "Outlook .pst data file: export the folders to mbox first (for example with readpst)"
	case FormatZip:
		what = "zip archive: extract it and scan the extracted files"
	case FormatPDF:
		what = "PDF document, not an email message: use the original .eml or mbox export"
	default:
		switch {
		case hasPrefix(head, magicBzip2):
			what = "bzip2-compressed file: decompress it first"
		case hasPrefix(head, magicXz):
			what = "xz-compressed file: decompress it first"
		case hasPrefix(head, magicZstd):
			what = "zstd-compressed file: decompress it first"
		case hasPrefix(head, magic7z):
			what = "7-Zip archive: extract it and scan the extracted files"
		default:
			what = "not an email message or mailbox: expected .eml, mbox or Maildir content, optionally gzip-compressed"
			if ok, why := headerCheck(head); !ok && why != "" && !looksBinary(head) {
				what = "not an email message or mailbox: " + why + "; expected .eml, mbox or Maildir content, optionally gzip-compressed"
			}
		}
	}
	return fmt.Errorf("%w: %s", ErrUnsupported, what)
}

// isKnownField reports whether a header field name (any case) is one that
// shows a header block is email.
func isKnownField(name []byte) bool {
	switch strings.ToLower(string(name)) {
	case "from", "to", "cc", "date", "subject", "message-id", "received",
		"return-path", "delivered-to", "mime-version", "content-type",
		"dkim-signature", "authentication-results", "arc-seal", "reply-to",
		"sender", "x-mozilla-status", "x-gm-thrid", "x-gmail-labels",
		"in-reply-to", "references", "x-original-to", "envelope-to":
		return true
	}
	return false
}

// looksLikeHeader reports whether b starts with an RFC 5322 header block.
// See headerCheck.
func looksLikeHeader(b []byte) bool {
	ok, _ := headerCheck(b)
	return ok
}

// outlookBanner is the first line of the headers older versions of
// Outlook show, which people paste with them; it is skipped.
const outlookBanner = "Microsoft Mail Internet Headers Version 2.0"

// maxOddLines is how many lines of a header block that are neither a field
// nor a continuation detection lets through, as the lenient reading of the
// message does (see [header.ReadLenient]).
const maxOddLines = 32

// headerCheck reports whether b starts with an RFC 5322 header block, read
// as a lenient mail reader reads it: the first line is a header field
// (8-bit bytes allowed in its name), the lines up to the empty line (or
// the end of b) are fields, continuations or odd lines that are not binary
// data (a fold that lost its white space, say; at most maxOddLines), and at
// least one field is one that email carries. When b is not a header block,
// why says which line is wrong and how, for the error.
func headerCheck(b []byte) (ok bool, why string) {
	// Headers pasted from a mail client: a byte-order mark, blank or
	// white-space lines before, Outlook's banner, and a common indentation
	// are forgiven (as message intake forgives them).
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	n := 0 // line number
	for len(b) > 0 {
		line, rest, complete := cutLine(b)
		if !complete || len(bytes.Trim(line, " \t\r\n")) > 0 {
			break
		}
		b = rest
		n++
	}
	if hasPrefix(b, outlookBanner) {
		_, b, _ = cutLine(b)
		n++
	}
	indent := len(b) - len(bytes.TrimLeft(b, " \t"))
	known := false
	first := true
	odd := 0
	for len(b) > 0 {
		line, rest, complete := cutLine(b)
		b = rest
		n++
		line = trimEOL(line)
		for i := 0; i < indent && len(line) > 0 && (line[0] == ' ' || line[0] == '\t'); i++ {
			line = line[1:]
		}
		if len(line) == 0 {
			break // the end of the header block, or of the peeked bytes
		}
		if line[0] == ' ' || line[0] == '\t' {
			if first {
				return false, fmt.Sprintf("line %d is indented text, not a header field", n)
			}
			continue
		}
		name, ok := fieldName(line)
		switch {
		case ok:
			first = false
			known = known || isKnownField(name)
		case !complete && !first:
			// a field cut by the end of the peeked bytes
		case first:
			return false, fmt.Sprintf("line %d is not a header field (%s)", n, notFieldReason(line))
		case header.IsBinaryLine(line):
			return false, fmt.Sprintf("line %d holds binary data", n)
		default:
			if odd++; odd > maxOddLines {
				return false, fmt.Sprintf("more than %d lines of the header block are not header fields", maxOddLines)
			}
		}
	}
	if !known {
		if first {
			return false, "it has no header fields"
		}
		return false, "its header has none of the fields email carries (From, Date, Received, …)"
	}
	return true, ""
}

// notFieldReason says why line cannot start a header field.
func notFieldReason(line []byte) string {
	i := bytes.IndexByte(line, ':')
	switch {
	case i < 0:
		return "no colon"
	case len(bytes.TrimRight(line[:i], " \t")) == 0:
		return "empty field name"
	}
	return "invalid character in the field name"
}

// fieldName returns the field name of a header line "name: value". RFC 5322,
// section 3.6.8: a field name is printable US-ASCII except colon. Whitespace
// before the colon is tolerated, as in the obsolete syntax (section 4.5),
// and so are bytes from 0x80 up, as lenient mail readers tolerate them.
func fieldName(line []byte) ([]byte, bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return nil, false
	}
	name := bytes.TrimRight(line[:i], " \t")
	if len(name) == 0 {
		return nil, false
	}
	for _, c := range name {
		if c < 33 || c == 127 {
			return nil, false
		}
	}
	return name, true
}

// firstHeaderHasContentLength reports whether the header block of the first
// mbox message in b, after its From_ line, has a Content-Length field.
func firstHeaderHasContentLength(b []byte) bool {
	_, b, _ = cutLine(b) // the From_ line
	for len(b) > 0 {
		line, rest, _ := cutLine(b)
		b = rest
		line = trimEOL(line)
		if len(line) == 0 {
			return false
		}
		if _, ok := contentLength(line); ok {
			return true
		}
	}
	return false
}

// contentLength parses a "Content-Length: N" header line (without line
// ending) and returns N.
func contentLength(line []byte) (int64, bool) {
	const name = "content-length:"
	if len(line) < len(name) || !bytes.EqualFold(line[:len(name)], []byte(name)) {
		return 0, false
	}
	v := bytes.TrimSpace(line[len(name):])
	if len(v) == 0 || len(v) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// cutLine splits b after its first "\n". complete is false when b has no
// "\n", in which case line is all of b.
func cutLine(b []byte) (line, rest []byte, complete bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i+1], b[i+1:], true
}

// trimEOL removes a trailing "\n" or "\r\n".
func trimEOL(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line
}

// isBlank reports whether line is an empty line with its ending.
func isBlank(line []byte) bool {
	return (len(line) == 1 && line[0] == '\n') || (len(line) == 2 && line[0] == '\r' && line[1] == '\n')
}

// isFromLine reports whether line has the shape of an mbox From_ line (RFC
// 4155, section 2): "From ", an envelope sender, and a date. The date is
// matched leniently: after the sender (which may be empty, "-", or have a
// quoted local part with spaces), a weekday or month name, or a day number followed
// by a month name, must start the date, and a time "hh:mm" or "hh:mm:ss" and
// a four-digit year must follow. This accepts asctime dates
// ("Thu Jan  1 00:00:00 2015"), Google Takeout's "Mon Jan 01 00:00:00 +0000
// 2024" and RFC 5322 dates ("Thu, 01 Jan 2015 00:00:00 +0000").
func isFromLine(line []byte) bool {
	if !hasPrefix(line, fromPrefix) {
		return false
	}
	var tok [12][]byte
	n := fromWords(trimEOL(line[len(fromPrefix):]), &tok)
	// The date starts within the first few tokens; the sender comes first.
	start := -1
	for i := 0; i < n && i <= 3; i++ {
		if isDayName(tok[i]) || isMonth(tok[i]) || (i+1 < n && isDayNumber(tok[i]) && isMonth(tok[i+1])) {
			start = i
			break
		}
	}
	if start < 0 || (start > 1 && tok[0][0] != '"') {
		return false // only a quoted local part may contain spaces
	}
	hasTime, hasYear := false, false
	for i := start + 1; i < n && i <= start+6; i++ {
		hasTime = hasTime || isClock(tok[i])
		hasYear = hasYear || isYear(tok[i])
	}
	return hasTime && hasYear
}

// fromWords splits rest into words separated by spaces and tabs, into tok,
// and returns how many it found; words past len(tok) are dropped.
func fromWords(rest []byte, tok *[12][]byte) int {
	n := 0
	for i := 0; i < len(rest) && n < len(tok); {
		for i < len(rest) && isSpaceTab(rest[i]) {
			i++
		}
		start := i
		for i < len(rest) && !isSpaceTab(rest[i]) {
			i++
		}
		if i > start {
			tok[n] = rest[start:i]
			n++
		}
	}
	return n
}

// isSpaceTab reports whether c separates the words of a From_ line.
func isSpaceTab(c byte) bool {
	return c == ' ' || c == '\t'
}

func isDayName(t []byte) bool {
	switch string(bytes.TrimSuffix(t, []byte(","))) {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun":
		return true
	}
	return false
}

func isMonth(t []byte) bool {
	switch string(t) {
	case "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

func isDayNumber(t []byte) bool {
	return (len(t) == 1 || len(t) == 2) && allDigits(t)
}

func isYear(t []byte) bool {
	return len(t) == 4 && allDigits(t)
}

// isClock matches "h:mm", "hh:mm" and "hh:mm:ss".
func isClock(t []byte) bool {
	h, rest, ok := bytes.Cut(t, []byte(":"))
	if !ok || len(h) < 1 || len(h) > 2 || !allDigits(h) {
		return false
	}
	m, sec, hasSec := bytes.Cut(rest, []byte(":"))
	if len(m) != 2 || !allDigits(m) {
		return false
	}
	return !hasSec || (len(sec) == 2 && allDigits(sec))
}

func allDigits(t []byte) bool {
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(t) > 0
}

// looksBinary reports whether the first line of head is binary data, for
// which a line-by-line reason would be noise.
func looksBinary(head []byte) bool {
	line, _, _ := cutLine(head)
	return header.IsBinaryLine(trimEOL(line)) || !utf8.Valid(line) && bytes.IndexByte(line, 0) >= 0
}
