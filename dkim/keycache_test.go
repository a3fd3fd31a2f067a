package dkim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

// TestKeyCacheHits checks that a record seen before is served parsed, as
// the same key, equal to what ParseKey gives, and that parse errors are
// kept too.
func TestKeyCacheHits(t *testing.T) {
	txt := keyRecord(t, loadKey(t, "rsa2048.pem"))
	c := NewKeyCache(0)
	k1, err1 := c.Parse(txt)
	k2, err2 := c.Parse(txt)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if k1 != k2 {
		t.Error("Expected the second parse to return the cached key")
	}
	want, _ := ParseKey(txt)
	if !reflect.DeepEqual(k1, want) {
		t.Errorf("Expected %+v, got %+v", want, k1)
	}
	if h, m := c.c.Stats(); h != 1 || m != 1 {
		t.Errorf("Expected 1 hit and 1 miss, got %d and %d", h, m)
	}
	bad := "v=DKIM1; k=rsa; p=!!!"
	_, e1 := c.Parse(bad)
	_, e2 := c.Parse(bad)
	if !errors.Is(e1, ErrKeySyntax) || e1 != e2 {
		t.Errorf("Expected the same ErrKeySyntax twice, got %v and %v", e1, e2)
	}
	if h, _ := c.c.Stats(); h != 2 || c.Len() != 2 {
		t.Errorf("Expected 2 hits and 2 records, got %d and %d", h, c.Len())
	}
	var none *KeyCache
	if k, err := none.Parse(txt); err != nil || !reflect.DeepEqual(k, want) || none.Len() != 0 {
		t.Errorf("Expected a nil cache to parse, got %v, %v", k, err)
	}
}

// TestKeyCacheBound checks that the cache keeps at most its size,
// evicting the least recently used record, and never keeps a record
// longer than maxCachedKeyText.
func TestKeyCacheBound(t *testing.T) {
	base := keyRecord(t, loadKey(t, "ed25519.pem"))
	rec := func(i int) string { return strings.Replace(base, "v=DKIM1;", fmt.Sprintf("v=DKIM1; n=%d;", i), 1) }
	c := NewKeyCache(2)
	k0, _ := c.Parse(rec(0))
	c.Parse(rec(1))
	c.Parse(rec(0)) // rec(0) is now the most recently used
	c.Parse(rec(2)) // evicts rec(1)
	if n := c.Len(); n != 2 {
		t.Fatalf("Expected 2 records, got %d", n)
	}
	if k, _ := c.Parse(rec(0)); k != k0 {
		t.Error("Expected the recently used record to stay")
	}
	_, misses := c.c.Stats()
	c.Parse(rec(1))
	if _, m := c.c.Stats(); m != misses+1 {
		t.Error("Expected the least recently used record to have been evicted")
	}
	long := strings.Replace(base, "v=DKIM1;", "v=DKIM1; n="+strings.Repeat("x", maxCachedKeyText)+";", 1)
	k, err := c.Parse(long)
	if err != nil || k.Notes == "" {
		t.Fatalf("Expected a long record to parse, got %v", err)
	}
	if k2, _ := c.Parse(long); k2 == k {
		t.Error("Expected a long record not to be cached")
	}
}

// TestKeyCacheConcurrent parses records from many goroutines into a cache
// smaller than the set of records (run with -race).
func TestKeyCacheConcurrent(t *testing.T) {
	base := keyRecord(t, loadKey(t, "rsa2048.pem"))
	var recs []string
	var want []*Key
	for i := range 6 {
		r := strings.Replace(base, "v=DKIM1;", fmt.Sprintf("v=DKIM1; n=%d;", i), 1)
		k, err := ParseKey(r)
		if err != nil {
			t.Fatal(err)
		}
		recs, want = append(recs, r), append(want, k)
	}
	c := NewKeyCache(4)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				j := (g + i) % len(recs)
				k, err := c.Parse(recs[j])
				if err != nil || !reflect.DeepEqual(k, want[j]) {
					t.Errorf("record %d: Expected %+v, got %+v (%v)", j, want[j], k, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := c.Len(); n > 4 {
		t.Errorf("Expected at most 4 records, got %d", n)
	}
}

// TestKeyCacheChangedRecord checks, over a DNS server on 127.0.0.1, that
// a key record replaced in DNS is not served from the cache: a message
// that passed with the old key fails with the new one, and a message
// signed with the new key passes.
func TestKeyCacheChangedRecord(t *testing.T) {
	oldKey, newKey := loadKey(t, "rsa2048.pem"), loadKey(t, "ed25519.pem")
	const name = "sel._domainkey.example.com"
	z := dnstest.NewZone().AddTXT(name, keyRecord(t, oldKey))
	r := loopbackResolver(t, z)
	sp := signSpec{key: oldKey, domain: "example.com", selector: "sel", length: -1, headers: []string{"From"}}
	oldMsg := testSign(t, []byte(baseMsg), sp)
	sp.key, sp.alg = newKey, AlgEd25519SHA256
	newMsg := testSign(t, []byte(baseMsg), sp)
	c := NewKeyCache(0)
	verify := func(msg []byte) Result {
		t.Helper()
		res, err := Verify(context.Background(), r, bytes.NewReader(msg), Options{Keys: c})
		if err != nil || len(res) != 1 {
			t.Fatalf("Expected one result, got %v (%v)", res, err)
		}
		return res[0]
	}
	for range 2 {
		if res := verify(oldMsg); res.Status != StatusPass {
			t.Fatalf("Expected the old message to pass with the old key, got %s", res.String())
		}
	}
	if h, m := c.c.Stats(); h != 1 || m != 1 {
		t.Errorf("Expected the second verification to hit the cache, got %d hits and %d misses", h, m)
	}
	z.Remove(name).AddTXT(name, keyRecord(t, newKey))
	if res := verify(oldMsg); res.Status == StatusPass || res.KeyType != "ed25519" {
		t.Errorf("Expected the old message to fail with the new key, got %s (key %s)", res.String(), res.KeyType)
	}
	if res := verify(newMsg); res.Status != StatusPass {
		t.Errorf("Expected the new message to pass, got %s", res.String())
	}
	k, err := c.Lookup(context.Background(), r, "sel", "example.com")
	if err != nil || k.Type != "ed25519" {
		t.Errorf("Expected the new ed25519 key, got %+v (%v)", k, err)
	}
}
