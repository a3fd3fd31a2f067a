package dmarc

import "github.com/authlens/authlens/internal/textcache"

// DefaultRecordCacheSize is the number of records a [RecordCache] made
// with a size of zero or less keeps.
const DefaultRecordCacheSize = 1024

// maxCachedRecordText is the longest record a [RecordCache] keeps, in
// bytes; longer ones (DMARC records are rarely over a few hundred bytes)
// are parsed each time.
const maxCachedRecordText = 2 << 10

// RecordCache keeps parsed DMARC records ([ParseRecord]) for reuse across
// evaluations, so that a scan of many messages from few domains parses
// each policy once. It saves parsing only: every evaluation still asks the
// resolver, and the record text it returns is the cache key, byte for
// byte, so a policy changed in DNS is parsed anew and never served stale.
//
// A RecordCache holds at most its size in records, evicting the least
// recently used. It is safe for concurrent use; share one through
// [Options].Records. The records it returns are shared by every caller and
// must not be modified. A nil *RecordCache is valid and caches nothing.
type RecordCache struct {
	c *textcache.Cache[parsedRecord]
}

// parsedRecord is what ParseRecord gave for one text.
type parsedRecord struct {
	rec     *Record
	isDMARC bool
	err     error
}

// NewRecordCache returns a RecordCache holding at most size records;
// [DefaultRecordCacheSize] when size is zero or less.
func NewRecordCache(size int) *RecordCache {
	if size <= 0 {
		size = DefaultRecordCacheSize
	}
	return &RecordCache{c: textcache.New[parsedRecord](size, maxCachedRecordText)}
}

// Parse is [ParseRecord] through the cache.
func (c *RecordCache) Parse(txt string) (rec *Record, isDMARC bool, err error) {
	if c == nil {
		return ParseRecord(txt)
	}
	p := c.c.Get(txt, func(txt string) parsedRecord {
		rec, isDMARC, err := ParseRecord(txt)
		return parsedRecord{rec, isDMARC, err}
	})
	return p.rec, p.isDMARC, p.err
}

// Len returns the number of records held.
func (c *RecordCache) Len() int {
	if c == nil {
		return 0
	}
	return c.c.Len()
}
