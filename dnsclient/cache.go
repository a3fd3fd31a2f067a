package dnsclient

import (
	"container/list"
	"sync"
	"time"
)

// Cache lifetimes.
const (
	// maxPositiveTTL caps how long a positive answer is kept, whatever TTL
	// it carries.
	maxPositiveTTL = 24 * time.Hour
	// maxNegativeTTL caps how long NXDOMAIN and NODATA are kept.
	// RFC 2308, section 5: values of one to three hours are sensible
	// upper bounds for negative caching.
	maxNegativeTTL = 3 * time.Hour
)

// cacheKey identifies one question.
type cacheKey struct {
	name  string // canonical (absolute, lower case)
	qtype uint16
}

// cacheEntry is one cached response.
type cacheEntry struct {
	key     cacheKey
	resp    *response
	expires time.Time
}

// cache is a size-bounded least-recently-used map from question to
// response, with per-entry expiry. It is safe for concurrent use.
type cache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recently used; values are *cacheEntry
	items map[cacheKey]*list.Element
}

// newCache returns a cache holding at most max entries.
func newCache(max int) *cache {
	return &cache{max: max, order: list.New(), items: make(map[cacheKey]*list.Element)}
}

// get returns the live entry for k at time now.
func (c *cache) get(k cacheKey, now time.Time) (*response, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return nil, time.Time{}, false
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.expires) {
		c.order.Remove(el)
		delete(c.items, k)
		return nil, time.Time{}, false
	}
	c.order.MoveToFront(el)
	return e.resp, e.expires, true
}

// put stores resp for k until expires, evicting the least recently used
// entry when full.
func (c *cache) put(k cacheKey, resp *response, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		e := el.Value.(*cacheEntry)
		e.resp, e.expires = resp, expires
		c.order.MoveToFront(el)
		return
	}
	for c.order.Len() >= c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*cacheEntry).key)
	}
	c.items[k] = c.order.PushFront(&cacheEntry{key: k, resp: resp, expires: expires})
}

// flush removes every entry.
func (c *cache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
}
