package dmarc

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

// TestRecordCacheParse checks that a cached parse gives what ParseRecord
// gives, for DMARC records, broken ones and other TXT records, and that a
// record seen before is served, not parsed again.
func TestRecordCacheParse(t *testing.T) {
	c := NewRecordCache(0)
	texts := []string{"v=DMARC1; p=reject; rua=mailto:d@example.com", "v=DMARC1; p=bogus; pct=x", "v=spf1 -all", "p=none; v=DMARC1", "v=DMARC1 p=none"}
	for range 2 {
		for _, txt := range texts {
			rec, isDMARC, err := c.Parse(txt)
			wrec, wis, werr := ParseRecord(txt)
			if !reflect.DeepEqual(rec, wrec) || isDMARC != wis || (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
				t.Errorf("%q: Expected %+v %v %v, got %+v %v %v", txt, wrec, wis, werr, rec, isDMARC, err)
			}
		}
	}
	if h, m := c.c.Stats(); h != len(texts) || m != len(texts) || c.Len() != len(texts) {
		t.Errorf("Expected %d hits, misses and records, got %d, %d, %d", len(texts), h, m, c.Len())
	}
	if r1, _, _ := c.Parse(texts[0]); r1 == nil {
		t.Fatal("Expected a record")
	} else if r2, _, _ := c.Parse(texts[0]); r1 != r2 {
		t.Error("Expected the same record from the cache")
	}
	long := "v=DMARC1; p=none; rua=mailto:" + strings.Repeat("a", maxCachedRecordText) + "@example.com"
	if rec, _, _ := c.Parse(long); rec == nil || c.Len() != len(texts) {
		t.Error("Expected a long record to be parsed and not kept")
	}
	var none *RecordCache
	if rec, ok, err := none.Parse(texts[0]); rec == nil || !ok || err != nil || none.Len() != 0 {
		t.Error("Expected a nil cache to parse")
	}
}

// TestRecordCacheChangedPolicy checks, over a DNS server on 127.0.0.1,
// that evaluations sharing a cache, at once and one after another, give
// what evaluations without one give, and that a policy changed in DNS
// takes effect at once.
func TestRecordCacheChangedPolicy(t *testing.T) {
	z := dnstest.NewZone().AddTXT("_dmarc.example.com", "v=DMARC1; p=reject")
	r, _ := loopbackResolver(t, z, -1)
	cache := NewRecordCache(4)
	in := Input{FromDomain: "a.example.com", SPF: SPFInput{Result: AuthFail, MailFromDomain: "example.com"}}
	for _, mode := range []Mode{ModeBis, Mode7489} {
		want := Evaluate(context.Background(), r, in, Options{Mode: mode})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				got := Evaluate(context.Background(), r, in, Options{Mode: mode, Records: cache})
				if got.Status != want.Status || got.Policy != want.Policy || !reflect.DeepEqual(got.Record, want.Record) || !slices.Equal(queryNames(got.Queries), queryNames(want.Queries)) {
					t.Errorf("%s: Expected %s %s, got %s %s", mode, want.Status, want.Policy, got.Status, got.Policy)
				}
			})
		}
		wg.Wait()
	}
	if cache.Len() != 1 {
		t.Errorf("Expected 1 cached record, got %d", cache.Len())
	}
	z.Remove("_dmarc.example.com").AddTXT("_dmarc.example.com", "v=DMARC1; p=none")
	if got := Evaluate(context.Background(), r, in, Options{Records: cache}); got.Policy != PolicyNone {
		t.Errorf("Expected the changed policy none, got %s", got.Policy)
	}
}
