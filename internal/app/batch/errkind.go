package batch

import (
	"context"
	"errors"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/mailbox"
)

// Kinds of error returned by ErrorKind, as the summary counts them.
const (
	KindUnreadable  = "unreadable"   // a file or directory could not be read
	KindVanished    = "vanished"     // a file listed in its directory was gone when read
	KindEmpty       = "empty"        // an empty file or mbox message
	KindUnsupported = "unsupported"  // not mail: .msg, .pst, zip, PDF, binary
	KindSymlinkLoop = "symlink-loop" // a link back into an ancestor directory
	KindTooLarge    = "too-large"    // over the message size limit
	KindTruncated   = "truncated"    // the file ends inside the message
	KindCorrupt     = "corrupt"      // damaged compressed data
	KindNotMessage  = "not-message"  // authlens found no message to analyse
	KindPanic       = "panic"        // the analysis panicked
	KindEncode      = "unencodable"  // the report could not be rendered
	KindCanceled    = "canceled"     // the scan was interrupted
	KindOther       = "other"        // anything else
)

// ErrorKind classifies why an item could not be analysed, for counting;
// it returns "" for a nil error.
func ErrorKind(err error) string {
	kinds := []struct {
		target error
		kind   string
	}{
		{mailbox.ErrTooLarge, KindTooLarge},
		{mailbox.ErrTruncated, KindTruncated},
		{mailbox.ErrCorrupt, KindCorrupt},
		{mailbox.ErrEmpty, KindEmpty},
		{mailbox.ErrUnsupported, KindUnsupported},
		{mailbox.ErrSymlinkLoop, KindSymlinkLoop},
		{mailbox.ErrVanished, KindVanished},
		{mailbox.ErrRead, KindUnreadable},
		{authlens.ErrUnreadable, KindNotMessage},
		{ErrPanic, KindPanic},
		{ErrEncode, KindEncode},
		{context.Canceled, KindCanceled},
		{context.DeadlineExceeded, KindCanceled},
	}
	if err == nil {
		return ""
	}
	for _, k := range kinds {
		if errors.Is(err, k.target) {
			return k.kind
		}
	}
	return KindOther
}
