package textcache

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCacheHitsAndBound(t *testing.T) {
	var derived atomic.Int32
	upper := func(s string) string { derived.Add(1); return strings.ToUpper(s) }
	c := New[string](2, 8)
	if got := c.Get("a", upper); got != "A" {
		t.Fatalf("Expected A, got %q", got)
	}
	c.Get("a", upper)
	if h, m := c.Stats(); h != 1 || m != 1 || derived.Load() != 1 {
		t.Errorf("Expected 1 hit, 1 miss, 1 derivation; got %d, %d, %d", h, m, derived.Load())
	}
	c.Get("b", upper)
	c.Get("a", upper) // a is now the most recently used
	c.Get("c", upper) // evicts b
	if n := c.Len(); n != 2 {
		t.Fatalf("Expected 2 entries, got %d", n)
	}
	before := derived.Load()
	c.Get("a", upper)
	if derived.Load() != before {
		t.Error("Expected the recently used entry to stay")
	}
	c.Get("b", upper)
	if derived.Load() != before+1 {
		t.Error("Expected the least recently used entry to have been evicted")
	}
	long := strings.Repeat("x", 9)
	c.Get(long, upper)
	c.Get(long, upper)
	if derived.Load() != before+3 || c.Len() != 2 {
		t.Errorf("Expected a text over the limit to be derived every time and not kept")
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := New[string](3, 64)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				k := fmt.Sprintf("k%d", (g+i)%7)
				if got := c.Get(k, strings.ToUpper); got != strings.ToUpper(k) {
					t.Errorf("Expected %q, got %q", strings.ToUpper(k), got)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := c.Len(); n > 3 {
		t.Errorf("Expected at most 3 entries, got %d", n)
	}
}
