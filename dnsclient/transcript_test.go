package dnsclient_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

func TestTranscript(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	c := newClient(t, srv, func(cfg *dnsclient.Config) { cfg.Transcript = true })
	ctx, tr := dnsclient.WithTranscript(context.Background())
	_, _ = c.LookupTXT(ctx, "www.example.com")
	_, _ = c.LookupTXT(ctx, "www.example.com")
	_, _ = c.LookupTXT(ctx, "absent.example.com")
	_, _ = c.LookupTXT(ctx, "broken.example.com")
	_, _ = c.LookupTXT(context.Background(), "v4only.example.com") // not in tr

	got := tr.Entries()
	tests := []struct {
		name      string
		class     dnsclient.Class
		cached    bool
		records   int
		transport string
	}{
		{"www.example.com.", dnsclient.ClassOK, false, 4, "udp"},
		{"www.example.com.", dnsclient.ClassOK, true, 4, "cache"},
		{"absent.example.com.", dnsclient.ClassNXDomain, false, 0, "udp"},
		{"broken.example.com.", dnsclient.ClassServFail, false, 0, ""},
	}
	if len(got) != len(tests) {
		t.Fatalf("Expected %d entries, got %d: %+v", len(tests), len(got), got)
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := got[i]
			if e.Name != tc.name || e.Type != "TXT" || e.Class != tc.class || e.Cached != tc.cached || len(e.Records) != tc.records || e.Transport != tc.transport {
				t.Errorf("Expected %+v, got %+v", tc, e)
			}
			if e.Server != srv.Addr {
				t.Errorf("Expected server %s, got %q", srv.Addr, e.Server)
			}
			if (tc.class != dnsclient.ClassOK) != (e.Err != "") {
				t.Errorf("Expected an error text only on failure, got %q", e.Err)
			}
		})
	}
	if first := got[0].Records; !strings.HasPrefix(first[0], "www.example.com.\t300\tIN\tCNAME\talias.example.com.") {
		t.Errorf("Expected the CNAME first in presentation form, got %q", first[0])
	}
	if n := len(c.Transcript().Entries()); n != 5 {
		t.Errorf("Expected 5 entries in the client transcript, got %d", n)
	}
	tr.Reset()
	if len(tr.Entries()) != 0 {
		t.Error("Expected no entries after Reset")
	}
}

func TestTranscriptPerContext(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	c := newClient(t, srv, nil)
	var wg sync.WaitGroup
	trs := make([]*dnsclient.Transcript, 8)
	for i := range trs {
		ctx, tr := dnsclient.WithTranscript(context.Background())
		trs[i] = tr
		wg.Go(func() {
			_, _ = c.LookupIPAddr(ctx, "example.com")
		})
	}
	wg.Wait()
	for i, tr := range trs {
		if n := len(tr.Entries()); n != 2 {
			t.Errorf("transcript %d: Expected 2 entries (A, AAAA), got %d", i, n)
		}
	}
}
