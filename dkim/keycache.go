package dkim

import (
	"context"

	"github.com/authlens/authlens/internal/textcache"
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
	c *textcache.Cache[parsedKey]
}

// parsedKey is what ParseKey gave for one record.
type parsedKey struct {
	key *Key
	err error
}

// NewKeyCache returns a KeyCache holding at most size records;
// [DefaultKeyCacheSize] when size is zero or less.
func NewKeyCache(size int) *KeyCache {
	if size <= 0 {
		size = DefaultKeyCacheSize
	}
	return &KeyCache{c: textcache.New[parsedKey](size, maxCachedKeyText)}
}

// Parse is [ParseKey] through the cache: a record seen before is not
// parsed again.
func (c *KeyCache) Parse(txt string) (*Key, error) {
	if c == nil {
		return ParseKey(txt)
	}
	p := c.c.Get(txt, func(txt string) parsedKey {
		k, err := ParseKey(txt)
		return parsedKey{k, err}
	})
	return p.key, p.err
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
	return c.c.Len()
}
