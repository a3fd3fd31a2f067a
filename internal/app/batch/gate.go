package batch

import (
	"context"
	"sync"
)

// gate bounds the work in flight: a number of slots (items read and not
// yet emitted) and a byte budget (message bytes read and not yet
// analysed). Waits end early when the context is canceled.
type gate struct {
	ctx      context.Context
	mu       sync.Mutex
	cond     *sync.Cond
	slots    int // free slots
	bytes    int64
	maxBytes int64
}

func newGate(ctx context.Context, slots int, maxBytes int64) *gate {
	g := &gate{ctx: ctx, slots: slots, maxBytes: maxBytes}
	g.cond = sync.NewCond(&g.mu)
	context.AfterFunc(ctx, func() {
		g.mu.Lock()
		g.cond.Broadcast()
		g.mu.Unlock()
	})
	return g
}

// acquireSlot waits for a free slot; false means the context ended.
func (g *gate) acquireSlot() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.slots == 0 && g.ctx.Err() == nil {
		g.cond.Wait()
	}
	if g.ctx.Err() != nil {
		return false
	}
	g.slots--
	return true
}

func (g *gate) releaseSlot() {
	g.mu.Lock()
	g.slots++
	g.mu.Unlock()
	g.cond.Broadcast()
}

// acquireBytes waits until n more bytes fit the budget, or nothing else is
// held; false means the context ended.
func (g *gate) acquireBytes(n int64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.bytes > 0 && g.bytes+n > g.maxBytes && g.ctx.Err() == nil {
		g.cond.Wait()
	}
	if g.ctx.Err() != nil {
		return false
	}
	g.bytes += n
	return true
}

func (g *gate) releaseBytes(n int64) {
	g.mu.Lock()
	g.bytes -= n
	g.mu.Unlock()
	g.cond.Broadcast()
}
