package cli

import (
	"fmt"
	"io"
	"sync"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/textsafe"
)

// dnsNotice says once, on standard error, that DNS has become unreachable
// during a run (every configured server stopped answering), and keeps it
// for the summary. It is safe for concurrent use: the DNS client calls it
// from the workers.
type dnsNotice struct {
	client *dnsclient.Client

	mu     sync.Mutex
	w      io.Writer // standard error, once attached
	reason string    // "" while DNS is reachable
	said   bool
}

// serverDown is the client's Config.OnServerDown.
func (n *dnsNotice) serverDown(s dnsclient.ServerStatus) {
	if n == nil || n.client == nil || !n.client.Unreachable() {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.reason == "" {
		n.reason = fmt.Sprintf("%s left %d queries in a row unanswered (%s)", s.Server, s.Misses, s.LastErr)
	}
	n.sayLocked()
}

// attach sets where the notice is written, and writes it if DNS is
// unreachable already.
func (n *dnsNotice) attach(w io.Writer) {
	if n == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.w = w
	n.sayLocked()
}

func (n *dnsNotice) sayLocked() {
	if n.said || n.w == nil || n.reason == "" {
		return
	}
	n.said = true
	fmt.Fprintf(n.w, "authlens: %s\n", n.message())
}

// message is the sentence for people; n.mu must be held.
func (n *dnsNotice) message() string {
	return fmt.Sprintf("DNS unreachable: %s; the online checks of the messages that follow are temperror until a server answers again", textsafe.Clean(n.reason))
}

// unreachable returns the notice's sentence, or "" if DNS stayed
// reachable.
func (n *dnsNotice) unreachable() string {
	if n == nil {
		return ""
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.reason == "" {
		return ""
	}
	return n.message()
}
