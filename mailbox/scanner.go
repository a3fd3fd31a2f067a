package mailbox

import (
	"context"
	"iter"
)

// Scanner delivers the messages found in a list of inputs, one at a time.
// Use it either with Next and Message, or with All, once.
type Scanner struct {
	ctx   context.Context
	paths []string
	opts  Options
	stats Stats
	err   error

	next func() (*Message, bool)
	stop func()
	cur  *Message
	pool bufferPool
}

// Open returns a Scanner over paths: files, directories (walked
// recursively) and "-" for standard input, in the order given. Nothing is
// read until the first call to Next or All. Canceling ctx stops the scan
// between messages and files.
func Open(ctx context.Context, paths []string, opts Options) *Scanner {
	return &Scanner{ctx: ctx, paths: paths, opts: opts}
}

// All returns an iterator over every item of Open(ctx, paths, opts). See
// [Scanner.All].
func All(ctx context.Context, paths []string, opts Options) iter.Seq2[*Message, error] {
	return Open(ctx, paths, opts).All()
}

// All returns an iterator over the items of the scan: each message, and
// each file or message that could not be read, exactly once, paired with its
// Err. When the context is canceled the last pair is a nil *Message with the
// context's error.
func (s *Scanner) All() iter.Seq2[*Message, error] {
	return func(yield func(*Message, error) bool) {
		stopped := false
		sc := &scan{ctx: s.ctx, opts: s.opts, stats: &s.stats, pool: &s.pool, yield: func(m *Message) bool {
			if !yield(m, m.Err) {
				stopped = true
				return false
			}
			return true
		}}
		if !sc.runInputs(s.paths) && !stopped {
			if err := s.ctx.Err(); err != nil {
				s.err = err
				yield(nil, err)
			}
		}
	}
}

// Next advances to the next item, which Message then returns. It returns
// false at the end of the scan or when the context is canceled; Err tells
// which.
func (s *Scanner) Next() bool {
	if s.next == nil {
		s.next, s.stop = iter.Pull(func(yield func(*Message) bool) {
			for m, err := range s.All() {
				if m == nil {
					s.err = err
					return
				}
				if !yield(m) {
					return
				}
			}
		})
	}
	m, ok := s.next()
	s.cur = m
	return ok
}

// Message returns the current item. Its Err is non-nil when it reports a
// problem with a file or message.
func (s *Scanner) Message() *Message {
	return s.cur
}

// Err returns the context's error if the scan was stopped by it, and nil
// otherwise. Problems with files and messages are reported per item.
func (s *Scanner) Err() error {
	return s.err
}

// Close stops a scan driven by Next before its end and releases its
// resources. It is safe to call more than once.
func (s *Scanner) Close() {
	if s.stop != nil {
		s.stop()
	}
}

// Stats returns counts of what the scan has seen so far.
func (s *Scanner) Stats() Stats {
	return s.stats
}

// runInputs is run, reading the inputs the caller already opened
// ([Options.Opened]) from their readers: once, as a stream of unknown
// size.
func (s *scan) runInputs(paths []string) bool {
	if len(s.opts.Opened) == 0 {
		return s.run(paths)
	}
	s.visited = make(map[string]bool)
	for _, p := range paths {
		if s.ctx.Err() != nil {
			return false
		}
		r, ok := s.opts.Opened[p]
		if !ok {
			if !s.path(p) {
				return false
			}
			continue
		}
		s.stats.Files++
		if !s.stream(p, r, -1, false, 0) {
			return false
		}
	}
	return true
}
