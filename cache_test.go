package authlens

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// TestCacheSameReports checks, over a DNS server on 127.0.0.1, that
// analyses sharing a Cache, one after another and at once, give the
// reports an analysis without one gives, and that the DKIM keys were
// cached.
func TestCacheSameReports(t *testing.T) {
	srv := dnstest.StartServer(t, loadZone(t, "testdata/online.zone"))
	// No DNS cache: the reports compare equal, Cached flags included.
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}, CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"online-signed.eml", "forwarded-arc.eml", "gmail-dmarc-pass.eml"}
	analyze := func(file string, cache *Cache) *Report {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := AnalyzeBytes(context.Background(), data, Options{Resolver: c, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	want := map[string]*Report{}
	for _, f := range files {
		want[f] = analyze(f, nil)
	}
	cache := NewCache()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, f := range files {
				if got := analyze(f, cache); !reflect.DeepEqual(got, want[f]) {
					t.Errorf("%s: Expected the same report with a cache: DKIM %+v and ARC %+v, got %+v and %+v", f, want[f].DKIM, want[f].ARC, got.DKIM, got.ARC)
				}
			}
		})
	}
	wg.Wait()
	if cache.dkimKeys().Len() == 0 || cache.dmarcRecords().Len() == 0 {
		t.Errorf("Expected DKIM keys and DMARC records to be cached, got %d and %d", cache.dkimKeys().Len(), cache.dmarcRecords().Len())
	}
}
