package dnsclient

import (
	"context"
	"sync"
	"time"
)

// Entry is one query in a [Transcript]: what was asked and what came back.
type Entry struct {
	Time      time.Time     // when the query started
	Name      string        // the name asked, absolute, in A-label form
	Type      string        // record type mnemonic, such as "TXT"
	Class     Class         // answer class (see [Classify])
	Records   []string      // answer records in presentation form, CNAMEs first
	TTL       time.Duration // remaining lifetime of the answer (negative TTL for NXDOMAIN/NODATA)
	Cached    bool          // answered from the cache
	Server    string        // server that answered ("host:port"), or the zone source
	Transport string        // "udp", "tcp", "cache" or "zone"
	Duration  time.Duration // time taken
	Err       string        // the error, if any
}

// Transcript records the queries made on behalf of one context (see
// [WithTranscript]) or, with [Config.Transcript], by one [Client]. It is
// safe for concurrent use.
type Transcript struct {
	mu      sync.Mutex
	entries []Entry
}

// Entries returns a copy of the entries recorded so far, in order.
func (t *Transcript) Entries() []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Entry(nil), t.entries...)
}

// Reset discards the entries recorded so far.
func (t *Transcript) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries = nil
}

// add appends e.
func (t *Transcript) add(e Entry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		// Room for the queries of a typical message's checks at once.
		t.entries = make([]Entry, 0, 8)
	}
	t.entries = append(t.entries, e)
}

// transcriptKey is the context key of a per-context Transcript.
type transcriptKey struct{}

// WithTranscript returns a context that records every query made with it
// (by a [Client] or a [ZoneResolver]) into the returned Transcript. Each
// analysis can thus keep its own transcript while clients, and their cache,
// are shared. Wrapping a context that already has a transcript starts a new
// one; queries are recorded in the innermost only.
func WithTranscript(ctx context.Context) (context.Context, *Transcript) {
	t := &Transcript{}
	return context.WithValue(ctx, transcriptKey{}, t), t
}

// transcriptFrom returns the transcript of ctx, or nil.
func transcriptFrom(ctx context.Context) *Transcript {
	t, _ := ctx.Value(transcriptKey{}).(*Transcript)
	return t
}
