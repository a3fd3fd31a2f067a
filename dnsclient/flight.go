package dnsclient

import (
	"context"
	"sync"
	"time"
)

// flightGroup collapses concurrent identical questions into one exchange.
// Unlike a plain single-flight group, each caller waits only as long as its
// own context allows, and the exchange is canceled once every caller has
// given up. It is safe for concurrent use.
type flightGroup struct {
	mu    sync.Mutex
	calls map[cacheKey]*flight
}

// flight is one exchange in progress and, once done is closed, its result.
type flight struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int

	resp    *response
	expires time.Time
	err     error
}

// do returns the result of fn for key, running fn at most once for callers
// that overlap. fn gets a context that is not canceled by any one caller,
// only when all of them have returned.
func (g *flightGroup) do(ctx context.Context, key cacheKey, fn func(context.Context) (*response, time.Time, error)) (*response, time.Time, error) {
	g.mu.Lock()
	if g.calls == nil {
		g.calls = make(map[cacheKey]*flight)
	}
	f := g.calls[key]
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel}
		g.calls[key] = f
		go g.run(fctx, key, f, fn)
	}
	f.waiters++
	g.mu.Unlock()

	select {
	case <-f.done:
		return f.resp, f.expires, f.err
	case <-ctx.Done():
		g.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			g.forget(key, f)
		}
		g.mu.Unlock()
		return nil, time.Time{}, ctxError(ctx, key.name, "")
	}
}

// run performs the exchange of f and publishes its result.
func (g *flightGroup) run(ctx context.Context, key cacheKey, f *flight, fn func(context.Context) (*response, time.Time, error)) {
	f.resp, f.expires, f.err = fn(ctx)
	g.mu.Lock()
	g.forget(key, f)
	g.mu.Unlock()
	f.cancel()
	close(f.done)
}

// forget removes f from the group if it is still the flight for key, so
// later callers start afresh. g.mu must be held.
func (g *flightGroup) forget(key cacheKey, f *flight) {
	if g.calls[key] == f {
		delete(g.calls, key)
	}
}
