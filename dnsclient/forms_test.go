package dnsclient_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/dnswire"
)

// querier is what both Client and ZoneResolver answer with.
type querier interface {
	Query(ctx context.Context, name string, qtype uint16) (*dnsclient.Answer, error)
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// TestTranscriptFormsShared checks that the records of a transcript, and
// the TXT values looked up, are exactly the presentation forms and joined
// strings of the records answered, when the same records answer many
// queries at once (from the client's cache, from a zone file) and are
// rendered once for all of them.
func TestTranscriptFormsShared(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	zone, err := dnsclient.LoadZoneFile("testdata/example.zone", "")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		q     querier
		names []string
	}{
		{"client", newClient(t, srv, nil), []string{"example.com.", "www.example.com.", "big.example.com.", "absent.example.com."}},
		{"zone", zone, []string{"example.org.", "www.example.org.", "_dmarc.example.org.", "absent.example.org."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			// What each name must give, rendered here independently.
			wantText := map[string][]string{}
			wantTXT := map[string][]string{}
			for _, n := range tc.names {
				ans, _ := tc.q.Query(ctx, n, dns.TypeTXT)
				if ans == nil {
					continue
				}
				for _, rr := range slices.Concat(ans.CNAMEs, ans.Records) {
					wantText[n] = append(wantText[n], rr.String())
				}
				for _, rr := range ans.Records {
					wantTXT[n] = append(wantTXT[n], dnswire.TXTString(rr.(*dns.TXT)))
				}
			}
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					tctx, tr := dnsclient.WithTranscript(ctx)
					for range 3 {
						for _, n := range tc.names {
							got, _ := tc.q.LookupTXT(tctx, n)
							if !slices.Equal(got, wantTXT[n]) {
								t.Errorf("%s: Expected TXT %q, got %q", n, wantTXT[n], got)
							}
						}
					}
					es := tr.Entries()
					if len(es) != 3*len(tc.names) {
						t.Errorf("Expected %d entries, got %d", 3*len(tc.names), len(es))
						return
					}
					for i, e := range es {
						n := tc.names[i%len(tc.names)]
						if !slices.Equal(e.Records, wantText[n]) {
							t.Errorf("%s: Expected records %q, got %q", n, wantText[n], e.Records)
						}
					}
				})
			}
			wg.Wait()
		})
	}
}
