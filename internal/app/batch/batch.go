// Package batch analyses the messages of a mailbox scan in parallel, with
// bounded memory, and hands back one record per item in input order (or as
// they finish).
//
// # Pipeline
//
// One goroutine pulls items from a [Source] (normally a
// [mailbox.Scanner]), a pool of [Config.Jobs] workers analyses them, and the
// caller's goroutine receives each finished [Item] through the emit function
// given to [Run]. Every item of the source, message or problem, comes out
// exactly once.
//
// # Memory
//
// Two limits bound the work in flight, whatever the size of the input:
//
//   - [Config.Window]: items read from the source and not yet emitted. In
//     input order, finished items wait for a slow one ahead of them; the
//     window also bounds how many can wait, so the reorder buffer never
//     grows past it. The reader takes a slot before reading the next
//     message, so no more than Window messages exist at once.
//   - [Config.MaxBytes]: message bytes handed to workers and not yet
//     analysed. A message larger than the budget is admitted alone.
//
// A worker releases the message bytes ([mailbox.Message.Release]) once the
// message is analysed, so items waiting for their turn hold only their
// report, and the scan reuses the buffer for a later message.
package batch

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/mailbox"
)

// Source delivers the items to analyse. *mailbox.Scanner implements it.
// Run calls its methods from one goroutine, and not after Run returns.
type Source interface {
	// Next advances to the next item and reports whether there is one.
	Next() bool
	// Message returns the current item.
	Message() *mailbox.Message
	// Err returns the error that stopped the source early, or nil.
	Err() error
}

// Defaults for the zero values of Config.
const (
	// DefaultMaxBytes is the byte budget of messages waiting for or in
	// analysis when Config.MaxBytes is zero.
	DefaultMaxBytes int64 = 16 << 20
	// windowPerJob is the number of items in flight per worker when
	// Config.Window is zero. A deep queue lets the reader run ahead while
	// it has a core and lets workers go on while it waits for one, rather
	// than handing over one message at a time: on two cores, 32 per job
	// analysed about 1.5× (one job) and 1.2× (two) as many messages per second
	// as 4 did. Message bytes stay bounded by MaxBytes.
	windowPerJob = 32
)

// Config configures Run. The zero value analyses with one worker per CPU,
// in input order, with authlens.Analyze and zero Options.
type Config struct {
	// Jobs is the number of messages analysed at the same time; zero or
	// less means runtime.GOMAXPROCS(0).
	Jobs int
	// Unordered emits items as they finish instead of in input order.
	Unordered bool
	// Window bounds the items read and not yet emitted, waiting ones
	// included; zero means 32 per job. It is raised to Jobs if lower.
	Window int
	// MaxBytes bounds the message bytes read and not yet analysed; zero
	// means DefaultMaxBytes. A larger message is analysed alone.
	MaxBytes int64
	// Options are passed to authlens.Analyze for each message, with Source
	// set to the message's location.
	Options authlens.Options
	// Analyze replaces authlens.Analyze, for instance in tests. It must be
	// safe for concurrent use, and keep nothing that refers to m.Data:
	// the message is released once Analyze returns.
	Analyze func(ctx context.Context, m *mailbox.Message, opts authlens.Options) (*authlens.Report, error)
	// Encode, when set, runs in the worker after analysis, so that
	// rendering the record is done in parallel too; its result is
	// Item.Encoded. When it fails, the item becomes an error record
	// (Item.Err wraps ErrEncode) and is encoded again; a second failure
	// stops the run.
	Encode func(*Item) ([]byte, error)
}

// Item is one analysed item of the source.
type Item struct {
	// Seq is the 0-based position of the item in the source.
	Seq int
	// Location, Format and Size are copied from the mailbox item.
	Location mailbox.Location
	Format   mailbox.Format
	Size     int64
	// Report is the record for the item; its Error is set when the item
	// could not be analysed.
	Report *authlens.Report
	// Err is why the item could not be analysed, nil otherwise; see
	// ErrorKind.
	Err error
	// Elapsed is the time spent analysing the message.
	Elapsed time.Duration
	// Encoded is the output of Config.Encode.
	Encoded []byte
}

// ErrPanic is wrapped by Item.Err when the analysis of a message panicked.
// The scan goes on with the next message.
var ErrPanic = errors.New("the analysis failed unexpectedly (a bug: please report it)")

// ErrEncode is wrapped by Item.Err when Config.Encode could not render the
// item's report; the item is then encoded as an error record.
var ErrEncode = errors.New("the report could not be written as a record")

func (c Config) jobs() int {
	if c.Jobs > 0 {
		return c.Jobs
	}
	return runtime.GOMAXPROCS(0)
}

func (c Config) window() int {
	w := c.Window
	if w <= 0 {
		w = windowPerJob * c.jobs()
	}
	return max(w, c.jobs())
}

func (c Config) maxBytes() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return DefaultMaxBytes
}

// task is an item on its way through the pipeline.
type task struct {
	item   Item
	msg    *mailbox.Message // nil once analysed
	held   int64            // message bytes counted against MaxBytes
	encErr error
}

// Run analyses every item of src and calls emit for each, from the calling
// goroutine, in source order unless cfg.Unordered is set. It returns when
// the source is exhausted, when emit or Encode fails (that error is
// returned), or when ctx is canceled (the source's error, normally the
// context's, is returned). Items already read when Run stops early may not
// be emitted. Run does not close src.
func Run(ctx context.Context, src Source, cfg Config, emit func(*Item) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := newGate(ctx, cfg.window(), cfg.maxBytes())
	tasks := make(chan *task, cfg.window())
	done := make(chan *task, cfg.window())
	var srcErr error
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		defer close(tasks)
		srcErr = read(ctx, src, g, tasks)
	}()
	workersDone := make(chan struct{})
	jobs := cfg.jobs()
	// Records are encoded by the workers when they have every core, so
	// that encoding runs in parallel too; with fewer workers than cores,
	// by the collecting goroutine instead, which runs on a core the
	// workers leave to it and the reader, off the analysis's path.
	inWorker := jobs >= runtime.GOMAXPROCS(0)
	for range jobs {
		go func() {
			for t := range tasks {
				cfg.process(ctx, t, inWorker)
				g.releaseBytes(t.held)
				done <- t
			}
			workersDone <- struct{}{}
		}()
	}
	go func() {
		for range jobs {
			<-workersDone
		}
		close(done)
	}()

	encode := func(*task) {}
	if !inWorker {
		encode = cfg.encode
	}
	err := collect(done, cfg.Unordered, g, encode, emit)
	if err != nil {
		cancel()
		for range done { // let the workers finish
		}
	}
	<-readerDone
	if err != nil {
		return err
	}
	return srcErr
}

// read feeds tasks from src until it ends or ctx is canceled.
func read(ctx context.Context, src Source, g *gate, tasks chan<- *task) error {
	for seq := 0; ; seq++ {
		if !g.acquireSlot() {
			return ctx.Err()
		}
		if !src.Next() {
			g.releaseSlot()
			if err := src.Err(); err != nil {
				return fmt.Errorf("reading input: %w", err)
			}
			return nil
		}
		m := src.Message()
		t := &task{msg: m, held: int64(len(m.Data)), item: Item{Seq: seq, Location: m.Location, Format: m.Format, Size: m.Size}}
		if !g.acquireBytes(t.held) {
			return ctx.Err()
		}
		select {
		case tasks <- t:
		case <-ctx.Done():
			g.releaseBytes(t.held)
			return ctx.Err()
		}
	}
}

// collect emits finished tasks, in order unless unordered, encoding each
// with encode first.
func collect(done <-chan *task, unordered bool, g *gate, encode func(*task), emit func(*Item) error) error {
	pending := make(map[int]*task)
	next := 0
	for t := range done {
		if unordered {
			encode(t)
			if t.encErr != nil {
				return t.encErr
			}
			if err := emit(&t.item); err != nil {
				return err
			}
			g.releaseSlot()
			continue
		}
		pending[t.item.Seq] = t
		for {
			t, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			encode(t)
			if t.encErr != nil {
				return t.encErr
			}
			if err := emit(&t.item); err != nil {
				return err
			}
			g.releaseSlot()
		}
	}
	return nil
}
