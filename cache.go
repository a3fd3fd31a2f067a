package authlens

import (
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/dmarc"
)

// Cache keeps what the online checks parse from DNS answers, so that the
// analyses of a run share the work: DKIM key records (used by both DKIM
// and ARC verification) and DMARC policy records are parsed once per
// record text rather than once per message. It never saves a DNS query
// (those are the resolver's to cache, by TTL): entries are keyed by the
// records' text, so a record changed in DNS is parsed anew. It is bounded
// and safe for concurrent use. Set it in [Options].Cache; a nil *Cache
// caches nothing.
type Cache struct {
	keys  *dkim.KeyCache
	dmarc *dmarc.RecordCache
}

// NewCache returns a Cache of the default sizes
// ([dkim.DefaultKeyCacheSize], [dmarc.DefaultRecordCacheSize]).
func NewCache() *Cache {
	return &Cache{keys: dkim.NewKeyCache(0), dmarc: dmarc.NewRecordCache(0)}
}

// dkimKeys returns the DKIM key cache, nil without a Cache.
func (c *Cache) dkimKeys() *dkim.KeyCache {
	if c == nil {
		return nil
	}
	return c.keys
}

// dmarcRecords returns the DMARC record cache, nil without a Cache.
func (c *Cache) dmarcRecords() *dmarc.RecordCache {
	if c == nil {
		return nil
	}
	return c.dmarc
}
