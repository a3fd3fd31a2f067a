package cli

import (
	"context"
	"io"

	"github.com/authlens/authlens/mailbox"
)

// eachMessage reads the inputs of a subcommand exactly as the main command
// does — message files, folders, mbox files, Maildirs, gzip files and "-"
// for standard input — and calls fn once per message, or once per input or
// message that could not be read (err set), with the message's location
// as source (path, or path#N inside a mailbox). It returns the first error
// fn returns, or the scan's.
func eachMessage(ctx context.Context, inputs []string, stdin io.Reader, fn func(source string, data []byte, err error) error) error {
	sc := mailbox.Open(ctx, inputs, mailbox.Options{Stdin: stdin})
	defer sc.Close()
	for sc.Next() {
		m := sc.Message()
		err := fn(m.Location.String(), m.Data, m.Err)
		m.Release()
		if err != nil {
			return err
		}
	}
	return sc.Err()
}
