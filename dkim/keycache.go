package dkim

import (
	"container/list"
	"context"
	"sync"
)

// DefaultKeyCacheSize is the number of key records a [KeyCache] made with
// a size of zero or less keeps.
const DefaultKeyCacheSize = 1024

// maxCachedKeyText is the longest key record a [KeyCache] keeps, in bytes.
// An 8192-bit RSA key, the largest accepted, takes about 1.5 KB; longer
// records are parsed each time, so that the cache's memory stays bounded
// by its size times this.
const maxCachedKeyText = 4 << 10

// KeyCache keeps parsed key records (RFC 6376, section 3.6.1) for reuse,
// so that a scan of many messages signed with few keys decodes and parses
// each key once, not once per signature. It saves parsing only: every
// lookup still asks the resolver, and the record the resolver returns is
// the cache key, byte for byte, so a record changed in DNS is parsed anew
// and never served stale. Parse errors are kept too, as they follow from
// the text alone.
//
// A KeyCache holds at most its size in records, evicting the least
// recently used. It is safe for concurrent use; share one across the
// messages of a run through [Options].Keys (and the arc package's
// Options.Keys). The keys it returns are shared by every caller and must
// not be modified. A nil *KeyCache is valid and caches nothing.
type KeyCache struct {
	mu     sync.Mutex
	max    int
	items  map[string]*list.Element // values are *keyCacheEntry
	order  *list.List               // front = most recently used
	hits   int
	misses int
}

// keyCacheEntry is one parsed record.
type keyCacheEntry struct {
	txt string
	key *Key
	err error
}

// NewKeyCache returns a KeyCache holding at most size records;
// [DefaultKeyCacheSize] when size is zero or less.
func NewKeyCache(size int) *KeyCache {
	if size <= 0 {
		size = DefaultKeyCacheSize
	}
	return &KeyCache{max: size, items: make(map[string]*list.Element), order: list.New()}
}

// Parse is [ParseKey] through the cache: a record seen before is not
// parsed again.
func (c *KeyCache) Parse(txt string) (*Key, error) {
	if c == nil || len(txt) > maxCachedKeyText {
		return ParseKey(txt)
	}
	c.mu.Lock()
	if el, ok := c.items[txt]; ok {
		c.order.MoveToFront(el)
		c.hits++
		e := el.Value.(*keyCacheEntry)
		c.mu.Unlock()
		return e.key, e.err
	}
	c.misses++
	c.mu.Unlock()
	// Parsed outside the lock: two callers may parse the same new record
	// at once, and both results are the same.
	k, err := ParseKey(txt)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[txt]; ok {
		c.order.MoveToFront(el)
		e := el.Value.(*keyCacheEntry)
		return e.key, e.err
	}
	for c.order.Len() >= c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*keyCacheEntry).txt)
	}
	c.items[txt] = c.order.PushFront(&keyCacheEntry{txt: txt, key: k, err: err})
	return k, err
}

// Lookup is [LookupKey] with the records parsed through the cache.
func (c *KeyCache) Lookup(ctx context.Context, r Resolver, selector, domain string) (*Key, error) {
	if c == nil {
		return LookupKey(ctx, r, selector, domain)
	}
	return lookupKey(ctx, r, selector, domain, c.Parse)
}

// Len returns the number of records held.
func (c *KeyCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
