package signins

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// Format names the layout of a sign-in export.
type Format string

// Formats Read recognises by content.
const (
	// FormatPortalCSV is the Entra portal's "Download → CSV".
	FormatPortalCSV Format = "portal-csv"
	// FormatLogAnalyticsCSV is a Log Analytics SigninLogs query exported
	// as CSV (dynamic columns as JSON text).
	FormatLogAnalyticsCSV Format = "log-analytics-csv"
	// FormatGraphJSON is Microsoft Graph signIn JSON: {"value": […]} pages
	// or a bare array, as the portal's "Download → JSON" writes.
	FormatGraphJSON Format = "graph-json"
	// FormatAzureMonitor is Azure Monitor (diagnostic settings) records:
	// {time, category, resultType, properties{…}}, one per line or in a
	// {"records": […]} envelope.
	FormatAzureMonitor Format = "azure-monitor"
	// FormatLogAnalyticsJSON is a Log Analytics SigninLogs export as JSON.
	FormatLogAnalyticsJSON Format = "log-analytics-json"
)

// SkipReason says why a row could not be used.
type SkipReason string

// Skip reasons.
const (
	SkipNoTime        SkipReason = "no time"
	SkipBadTime       SkipReason = "bad time"
	SkipNoUser        SkipReason = "no user"
	SkipBadCode       SkipReason = "bad error code"
	SkipShortRow      SkipReason = "short row"
	SkipMalformedCSV  SkipReason = "malformed CSV"
	SkipMalformedJSON SkipReason = "malformed JSON"
	SkipBadField      SkipReason = "bad field type"
	SkipNotUser       SkipReason = "not a user sign-in"
	SkipTooLong       SkipReason = "record too long"
)

// FileInfo describes one input that was read.
type FileInfo struct {
	Name    string             `json:"name"`
	Format  Format             `json:"format"`
	Rows    int                `json:"rows"`     // rows or records met, skipped ones included
	SignIns int                `json:"sign_ins"` // rows handed to the callback
	Skipped map[SkipReason]int `json:"skipped"`
}

func (fi *FileInfo) skip(r SkipReason) {
	fi.Rows++
	fi.Skipped[r]++
}

// Errors.
var (
	// ErrNotSignIns: the input is not a sign-in export this package reads
	// (another log, a localised header, a missing column).
	ErrNotSignIns = errors.New("signins: not a sign-in export")
	// ErrMalformed: the input broke off in a way that stops reading
	// (a JSON syntax error); the rows before it were read.
	ErrMalformed = errors.New("signins: malformed input")
)

// maxRecord bounds one CSV line or JSON record, so a hostile input cannot
// make a reader hold an unbounded amount of memory.
const maxRecord = 16 << 20

// Read reads one sign-in export, recognised by its content, and calls fn
// for each sign-in in file order. The SignIn passed to fn is reused: it is
// valid only during the call. Rows that cannot be read are counted in
// FileInfo.Skipped by reason. An error from fn stops reading and is
// returned; so is ctx's error.
func Read(ctx context.Context, r io.Reader, name string, fn func(*SignIn) error) (FileInfo, error) {
	fi := FileInfo{Name: name, Skipped: map[SkipReason]int{}}
	br := bufio.NewReaderSize(r, 256<<10)
	first, err := firstByte(br)
	if err == io.EOF {
		return fi, fmt.Errorf("%w: %s is empty", ErrNotSignIns, name)
	}
	if err != nil {
		return fi, fmt.Errorf("signins: reading %s: %w", name, err)
	}
	if first == '{' || first == '[' {
		err = readJSON(ctx, br, &fi, fn)
	} else {
		err = readCSV(ctx, br, &fi, fn)
	}
	if err != nil {
		return fi, fmt.Errorf("%s: %w", name, err)
	}
	return fi, nil
}

// firstByte skips a UTF-8 byte order mark and white space and returns the
// first byte of content, left unread.
func firstByte(br *bufio.Reader) (byte, error) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
			continue
		}
		return b[0], nil
	}
}

var bom = []byte{0xef, 0xbb, 0xbf}

// checkEvery is how many rows a reader handles between looks at ctx.
const checkEvery = 4096
