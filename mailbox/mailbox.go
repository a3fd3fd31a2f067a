// Package mailbox reads email messages out of files, directories and standard
// input, so that a whole mailbox export can be checked one message at a time.
//
// # Formats
//
// Every file is recognised by its content, never only by its name (see
// [Detect]):
//
//   - A single message (.eml, a Maildir message file): the file starts with
//     RFC 5322 header fields. The whole file is one message.
//   - mbox, as described in [RFC 4155]: messages are separated by a "From_"
//     line, "From " followed by the envelope sender and an asctime(3) date,
//     for example "From alice@example.com Thu Jan  1 00:00:00 2015". A line
//     starting with "From " is a separator only at a message boundary: the
//     first line of the file, or a line preceded by an empty line that has the
//     From_ shape (or, for mboxcl2, one that directly follows the declared
//     body). The date is matched leniently because exporters disagree
//     (Google Takeout writes "From 1234567890@xxx Mon Jan 01 00:00:00 +0000
//     2024", Thunderbird "From - Mon Jan  1 00:00:00 2024"). Any other line
//     starting with "From " stays in the body. The empty line written before
//     each separator, and after the last message, is not part of a message.
//   - mboxrd and mboxo quoting (the variants are named in RFC 4155, section
//     2, and in the mbox(5) manual page): writers protect body lines that start with
//     "From " by prefixing ">". mboxrd writers also add a ">" to lines that
//     already match ">+From ", so that reading can undo exactly one level;
//     mboxo writers do not, so an original ">From " line cannot be told from a
//     quoted "From " line. A reader cannot know which writer was used. By
//     default one ">" is removed from every line matching ">+From " (the
//     mboxrd rule, which is also what mboxo readers do for the common
//     ">From " case); [UnquoteMboxo] and [UnquoteNone] select the other
//     behaviours. Restoring the original bytes matters here because DKIM
//     body hashes are computed over the message as sent.
//   - mboxcl2 (and mboxcl): messages carry a Content-Length header giving the
//     body length in bytes, and mboxcl2 does not quote "From " lines. A
//     Content-Length header is used only when it is consistent with the file:
//     when the declared body is followed by the end of the file or by a From_
//     line. A From_-shaped line inside a consistent declared body is then body
//     content. When the header is missing or inconsistent (converted line
//     endings, edited messages), the message is split by From_ lines as in
//     plain mbox. A message whose Content-Length is consistent is not
//     unquoted, because mboxcl2 does not quote. A From_-shaped line is only
//     kept as body content when the end of the declared body lies within
//     128 KiB of it, since checking further ahead would mean buffering.
//   - [Maildir], as specified by D. J. Bernstein: a directory with "cur" and
//     "new" subdirectories holding one message per file, and a "tmp"
//     subdirectory for deliveries in progress, which is skipped. Maildir++
//     folders (".Sent/cur", …) are found by the recursive walk.
//   - gzip, [RFC 1952]: a file starting with the bytes 1f 8b is decompressed
//     (multi-member streams included) and its content is detected again, so
//     gzip-compressed mbox and .eml files work. Offsets then count
//     decompressed bytes.
//
// Files that are not mail (an Outlook .msg or .pst file, a zip archive, a PDF,
// other binary data, an empty file) produce an error item that names the
// format and says what to do, wrapping [ErrUnsupported] or [ErrEmpty].
//
// # Scanning
//
// [Open] takes any mix of file paths, directory paths and "-" (standard
// input). Directories are walked recursively in sorted order; a directory
// reached twice through symbolic links is scanned once, and a link back into
// an ancestor is reported as [ErrSymlinkLoop]. During a walk, hidden files
// (names starting with ".") and the index files mail programs keep next to
// their folders (Thunderbird ".msf", Dovecot index and uidlist files, Apple
// Mail "Info.plist" and "table_of_contents") are skipped; files named
// explicitly are always read.
//
// The scan streams: one message at a time is read into memory, bounded by
// [Options.MaxMessageSize], so peak memory depends on the largest message and
// not on the size of a mailbox. Each message, and each file or message that
// cannot be read, is delivered exactly once as a [Message]; problems are
// reported in [Message.Err] together with a [Location], so a caller can write
// one record per item.
//
// [RFC 4155]: https://www.rfc-editor.org/rfc/rfc4155
// [Maildir]: https://cr.yp.to/proto/maildir.html
// [RFC 1952]: https://www.rfc-editor.org/rfc/rfc1952
package mailbox

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

// Format is the kind of content a file or stream holds.
type Format string

// Formats recognised by [Detect] and reported in [Message.Format].
const (
	FormatUnknown Format = "unknown" // none of the formats below
	FormatEmpty   Format = "empty"   // zero bytes
	FormatEML     Format = "eml"     // a single RFC 5322 message
	FormatMbox    Format = "mbox"    // From_-separated messages (mboxo, mboxrd)
	FormatMboxCL2 Format = "mboxcl2" // mbox whose messages carry Content-Length
	FormatMaildir Format = "maildir" // a message file in a Maildir cur/ or new/
	FormatGzip    Format = "gzip"    // RFC 1952 compressed data
	FormatMsg     Format = "msg"     // OLE compound file, such as an Outlook .msg
	FormatPST     Format = "pst"     // Outlook personal folders file
	FormatZip     Format = "zip"     // zip archive
	FormatPDF     Format = "pdf"     // PDF document
)

// Unquote selects how ">From " lines in mbox bodies are restored.
type Unquote int

// Unquoting rules for mbox files; see the package documentation.
const (
	// UnquoteMboxrd removes one ">" from every line matching ">+From ".
	UnquoteMboxrd Unquote = iota
	// UnquoteMboxo removes the ">" only from lines starting with exactly
	// one ">" followed by "From ".
	UnquoteMboxo
	// UnquoteNone leaves message bytes as they are stored.
	UnquoteNone
)

// DefaultMaxMessageSize is the message size limit used when
// [Options.MaxMessageSize] is zero.
const DefaultMaxMessageSize int64 = 64 << 20

// Errors reported in [Message.Err]. They are wrapped with detail, so test them
// with [errors.Is].
var (
	// Errors about a whole file or directory.

	// ErrRead reports a file or directory that could not be opened or
	// read; the underlying error (for example [fs.ErrPermission]) is
	// wrapped as well.
	ErrRead = errors.New("cannot read")
	// ErrEmpty reports an empty file, or an empty message in an mbox.
	ErrEmpty = errors.New("empty")
	// ErrUnsupported reports content that is not an email message or
	// mailbox, such as an Outlook .msg file or a zip archive.
	ErrUnsupported = errors.New("unsupported format")
	// ErrSymlinkLoop reports a symbolic link to a directory that contains
	// it; the link is not followed.
	ErrSymlinkLoop = errors.New("symbolic link loop")

	// Errors about one message.

	// ErrTooLarge reports a message larger than [Options.MaxMessageSize].
	// Its bytes are skipped, not loaded; [Message.Size] is its size.
	ErrTooLarge = errors.New("message too large")
	// ErrTruncated reports a message cut short: the file or the
	// compressed stream ends inside it. [Message.Data] holds the bytes
	// that could be read.
	ErrTruncated = errors.New("truncated")
	// ErrCorrupt reports compressed data that cannot be decompressed.
	// [Message.Data] holds the bytes that could be read, if any.
	ErrCorrupt = errors.New("corrupt compressed data")
)

// Location says where a message, or a problem, was found.
type Location struct {
	// Path is the file name as given or found by the walk, "-" for
	// standard input. For Maildir it is the message file.
	Path string
	// Index is the 1-based message number within an mbox file, and 0 for
	// single-message files and for problems about a whole file.
	Index int
	// Offset is the byte offset of the first byte of the message in the
	// file, counted after decompression. For mbox it is the byte after the
	// From_ line.
	Offset int64
	// Compressed tells that the file was gzip-compressed.
	Compressed bool
}

// String formats the location as "path" when Index is 0, and as "path#N"
// otherwise.
func (l Location) String() string {
	if l.Index == 0 {
		return l.Path
	}
	return l.Path + "#" + strconv.Itoa(l.Index)
}

// Message is one item of a scan: a message, or a problem with a file or
// message when Err is non-nil.
type Message struct {
	// Location is where the message or problem was found.
	Location Location
	// Format is the format of the file the message came from: FormatEML,
	// FormatMaildir, FormatMbox or FormatMboxCL2 (the message was split
	// by a consistent Content-Length). For errors about a whole file it is
	// the detected format, when known.
	Format Format
	// Envelope is the mbox From_ line without the "From " prefix and the
	// line ending, for example "alice@example.com Thu Jan  1 00:00:00 2015".
	// It is empty for other formats.
	Envelope string
	// Size is the number of bytes the message takes in the file, before
	// unquoting; for ErrTooLarge the full size of the skipped message.
	Size int64
	// Data holds the message bytes, headers and body, with mbox quoting
	// undone. It is nil when Err is non-nil, except for ErrTruncated and
	// ErrCorrupt, where it holds the bytes that could be read. Data is
	// the caller's until it calls Release.
	Data []byte
	// Err is non-nil when the item reports a problem.
	Err error

	pool *bufferPool // where Data goes back on Release
}

// Release hands Data back to the scanner, which reuses the buffer for a
// later message, and sets Data to nil. Nothing that refers to Data may be
// used afterwards. Calling Release is optional — a message that is not
// released is collected as garbage — but a long scan that releases each
// message once done with it allocates far less. It may be called from any
// goroutine; a second call does nothing.
func (m *Message) Release() {
	if m.pool != nil && m.Data != nil {
		m.pool.put(m.Data)
	}
	m.Data, m.pool = nil, nil
}

// Reader returns a reader over the message bytes.
func (m *Message) Reader() io.Reader {
	return bytes.NewReader(m.Data)
}

// Options configure a scan. The zero value is ready to use.
type Options struct {
	// MaxMessageSize bounds the bytes loaded for one message; larger
	// messages are reported with ErrTooLarge. Zero means
	// DefaultMaxMessageSize.
	MaxMessageSize int64
	// Unquote selects how ">From " lines in mbox bodies are restored.
	Unquote Unquote
	// Stdin is read for the path "-". Nil means os.Stdin.
	Stdin io.Reader
	// Opened holds inputs the caller has already opened, keyed by the
	// path as given to Open: the scan reads the reader instead of opening
	// the path. A pipe, a named FIFO or /dev/stdin can be read only once,
	// so a caller that looks at such an input before the scan (to choose
	// an output layout, say) passes the reader it looked through here.
	Opened map[string]io.Reader
}

func (o Options) maxSize() int64 {
	if o.MaxMessageSize <= 0 {
		return DefaultMaxMessageSize
	}
	return o.MaxMessageSize
}

// Stats counts what a scan has seen so far.
type Stats struct {
	// Files is the number of files and streams opened.
	Files int
	// Messages is the number of messages delivered without error.
	Messages int
	// Errors is the number of items delivered with an error.
	Errors int
	// Skipped is the number of files and directories passed over during a
	// walk: index files, hidden files, special files, Maildir tmp
	// directories and directories already scanned through another link.
	Skipped int
	// Bytes is the number of message bytes read, after decompression.
	Bytes int64
}
