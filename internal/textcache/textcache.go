// Package textcache keeps values derived from DNS record text (a parsed
// DKIM key, a parsed DMARC policy) for reuse across the messages of a run.
// Entries are keyed by the exact text, so a record that changes is derived
// anew and never served stale; the cache saves parsing, never a DNS
// query.
package textcache

import (
	"container/list"
	"sync"
)

// Cache maps record texts to values derived from them. It holds at most
// its size in entries, evicting the least recently used, and never keeps
// a text longer than its text limit, so that its memory stays bounded. It
// is safe for concurrent use. The values it returns are shared by every
// caller and must not be modified.
type Cache[V any] struct {
	mu      sync.Mutex
	max     int
	maxText int
	items   map[string]*list.Element // values are *entry[V]
	order   *list.List               // front = most recently used
	hits    int
	misses  int
}

type entry[V any] struct {
	text string
	val  V
}

// New returns a Cache of at most size entries of at most maxText bytes of
// text each.
func New[V any](size, maxText int) *Cache[V] {
	return &Cache[V]{max: max(size, 1), maxText: maxText, items: make(map[string]*list.Element), order: list.New()}
}

// Get returns the value for text, calling derive for a text not held (and
// keeping the result, unless text is longer than the limit). derive runs
// outside the lock: two callers may derive the same new text at once, and
// derive must give the same value for the same text.
func (c *Cache[V]) Get(text string, derive func(string) V) V {
	if len(text) > c.maxText {
		return derive(text)
	}
	c.mu.Lock()
	if el, ok := c.items[text]; ok {
		c.order.MoveToFront(el)
		c.hits++
		v := el.Value.(*entry[V]).val
		c.mu.Unlock()
		return v
	}
	c.misses++
	c.mu.Unlock()
	v := derive(text)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[text]; ok {
		// Derived meanwhile by another caller: keep one value.
		c.order.MoveToFront(el)
		return el.Value.(*entry[V]).val
	}
	for c.order.Len() >= c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*entry[V]).text)
	}
	c.items[text] = c.order.PushFront(&entry[V]{text: text, val: v})
	return v
}

// Len returns the number of entries held.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Stats returns how many Get calls found their text held (hits) and how
// many derived it (misses), texts over the limit aside.
func (c *Cache[V]) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}
