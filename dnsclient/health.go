package dnsclient

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrUnreachable means no configured server is being asked any more: each
// left a number of queries in a row unanswered ([Config.MaxFailures]), and
// the query failed at once instead of waiting out another timeout.
var ErrUnreachable = errors.New("dnsclient: DNS server not answering")

// health tracks, for the lifetime of a Client, which servers answer. A
// server that leaves MaxFailures queries in a row unanswered (timeout or
// connection refused; any reply, SERVFAIL included, counts as an answer) is
// marked down and skipped; after RetryDown one query at a time is let
// through to probe it, and an answer brings it back. It is safe for
// concurrent use.
type health struct {
	max    int           // unanswered queries in a row before a server is down; <= 0 never
	retry  time.Duration // how long a down server is left alone before a probe
	now    func() time.Time
	onDown func(ServerStatus)

	mu      sync.Mutex
	servers map[string]*serverState
}

// serverState is what health knows about one server.
type serverState struct {
	misses   int       // unanswered queries in a row
	down     bool      // skipped until a probe answers
	since    time.Time // when it went down, or was last probed
	probing  bool      // a probe query is in flight
	lastErr  error
	answered int // queries answered in the run
}

// ServerStatus describes the health of one server, as [Client.Health]
// reports it.
type ServerStatus struct {
	// Server is the "host:port" address.
	Server string
	// Down is true when the server is being skipped.
	Down bool
	// Misses counts the queries in a row it left unanswered.
	Misses int
	// Answered counts the queries it answered.
	Answered int
	// LastErr is the last failure, "" when none.
	LastErr string
}

func newHealth(cfg Config) *health {
	return &health{max: cfg.MaxFailures, retry: cfg.RetryDown, now: cfg.Now, onDown: cfg.OnServerDown, servers: make(map[string]*serverState)}
}

// state returns the state of server; h.mu must be held.
func (h *health) state(server string) *serverState {
	s := h.servers[server]
	if s == nil {
		s = &serverState{}
		h.servers[server] = s
	}
	return s
}

// admit reports whether a query may be sent to server now, and whether it
// is a probe of a down server (whose outcome must be reported with done).
func (h *health) admit(server string) (ok, probe bool) {
	if h.max <= 0 {
		return true, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.state(server)
	if !s.down {
		return true, false
	}
	if s.probing || h.now().Sub(s.since) < h.retry {
		return false, false
	}
	s.probing, s.since = true, h.now()
	return true, true
}

// release ends a query to server that says nothing about it (the caller
// gave up).
func (h *health) release(server string, probe bool) {
	if h.max <= 0 || !probe {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state(server).probing = false
}

// done records the outcome of a query to server: answered is true for any
// reply, false when none came (timeout, connection refused).
func (h *health) done(server string, probe, answered bool, err error) {
	if h.max <= 0 {
		return
	}
	h.mu.Lock()
	s := h.state(server)
	if probe {
		s.probing = false
	}
	if answered {
		s.misses, s.down = 0, false
		s.answered++
		h.mu.Unlock()
		return
	}
	s.misses++
	s.lastErr = err
	var down *ServerStatus
	if !s.down && s.misses >= h.max {
		s.down, s.since = true, h.now()
		st := s.status(server)
		down = &st
	}
	h.mu.Unlock()
	if down != nil && h.onDown != nil {
		h.onDown(*down)
	}
}

// status describes s.
func (s *serverState) status(server string) ServerStatus {
	st := ServerStatus{Server: server, Down: s.down, Misses: s.misses, Answered: s.answered}
	if s.lastErr != nil {
		st.LastErr = s.lastErr.Error()
	}
	return st
}

// unreachableError is returned for a query no server was asked for.
func (h *health) unreachableError(name string, servers []string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	reason := ""
	for _, srv := range servers {
		if s := h.servers[srv]; s != nil && s.down {
			reason = fmt.Sprintf("%s left %d queries in a row unanswered", srv, s.misses)
			break
		}
	}
	de := newError(name, "", ErrUnreachable)
	if reason != "" {
		de.Err = fmt.Sprintf("%s (%s)", de.Err, reason)
	}
	return de
}

// Health returns the state of each configured server, in configuration
// order.
func (c *Client) Health() []ServerStatus {
	c.health.mu.Lock()
	defer c.health.mu.Unlock()
	out := make([]ServerStatus, 0, len(c.cfg.Servers))
	for _, srv := range c.cfg.Servers {
		s := c.health.servers[srv]
		if s == nil {
			s = &serverState{}
		}
		out = append(out, s.status(srv))
	}
	return out
}

// Unreachable reports whether every configured server is down: queries
// then fail at once with [ErrUnreachable] until a probe is answered.
func (c *Client) Unreachable() bool {
	for _, s := range c.Health() {
		if !s.Down {
			return false
		}
	}
	return len(c.cfg.Servers) > 0
}
