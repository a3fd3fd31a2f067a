package dnsclient_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
)

// TestSilentServerSkipped: a server that leaves MaxFailures queries in a
// row unanswered is skipped; later queries fail at once as unreachable,
// without reaching it, and OnServerDown is called once. After RetryDown one
// query probes it, and an answer brings it back.
func TestSilentServerSkipped(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	srv.SetSilent(true)
	clk := newClock()
	var mu sync.Mutex
	var downs []dnsclient.ServerStatus
	c := newClient(t, srv, func(cfg *dnsclient.Config) {
		cfg.Timeout = 100 * time.Millisecond
		cfg.Tries = 1
		cfg.MaxFailures = 3
		cfg.RetryDown = time.Minute
		cfg.Now = clk.Now
		cfg.OnServerDown = func(s dnsclient.ServerStatus) {
			mu.Lock()
			defer mu.Unlock()
			downs = append(downs, s)
		}
	})
	ctx := context.Background()
	for _, name := range []string{"a.example.com", "b.example.com", "c.example.com"} {
		if _, err := c.LookupTXT(ctx, name); dnsclient.Classify(err) != dnsclient.ClassTimeout {
			t.Fatalf("%s: %v, want a timeout", name, err)
		}
	}
	if !c.Unreachable() {
		t.Fatalf("Expected the server down after 3 unanswered queries: %+v", c.Health())
	}
	for _, name := range []string{"d.example.com", "e.example.com"} {
		_, err := c.LookupTXT(ctx, name)
		if dnsclient.Classify(err) != dnsclient.ClassUnreachable || !errors.Is(err, dnsclient.ErrUnreachable) || !dnsclient.IsTemporary(err) {
			t.Fatalf("%s: %v, want unreachable", name, err)
		}
		if !strings.Contains(err.Error(), "3 queries in a row") {
			t.Errorf("error %q does not say why", err)
		}
	}
	if n := srv.Count(""); n != 3 {
		t.Errorf("Expected 3 queries to reach the server, got %d", n)
	}
	mu.Lock()
	if len(downs) != 1 || downs[0].Server != srv.Addr || !downs[0].Down || downs[0].Misses != 3 {
		t.Errorf("OnServerDown calls: %+v", downs)
	}
	mu.Unlock()

	srv.SetSilent(false)
	clk.Advance(time.Minute)
	if txt, err := c.LookupTXT(ctx, "example.com"); err != nil || len(txt) == 0 {
		t.Fatalf("probe after RetryDown: %v %v", txt, err)
	}
	if c.Unreachable() || c.Health()[0].Down {
		t.Errorf("Expected the server back after an answered probe: %+v", c.Health())
	}
}

// TestSilentServerFallsBack: with a silent server and a good one, once the
// silent one is skipped queries go straight to the good one.
func TestSilentServerFallsBack(t *testing.T) {
	silent := dnstest.StartServer(t, testZone())
	silent.SetSilent(true)
	good := dnstest.StartServer(t, testZone())
	c, err := dnsclient.New(dnsclient.Config{Servers: []string{silent.Addr, good.Addr}, Timeout: 100 * time.Millisecond, Tries: 1, MaxFailures: 2, CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	for range 6 {
		if _, err := c.LookupTXT(context.Background(), "example.com"); err != nil {
			t.Fatal(err)
		}
	}
	if n := silent.Count(""); n != 2 {
		t.Errorf("Expected the silent server asked twice, then skipped; it got %d queries", n)
	}
	if c.Unreachable() || !c.Health()[0].Down || c.Health()[1].Down || c.Health()[1].Answered != 6 {
		t.Errorf("health %+v", c.Health())
	}
}

// TestRefused: a server answering REFUSED, and an address where nothing
// listens, are both class refused, not timeout.
func TestRefused(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	srv.SetOutsideRcode("other.example", dns.RcodeRefused)
	c := newClient(t, srv, nil)
	if _, err := c.LookupTXT(context.Background(), "example.com"); dnsclient.Classify(err) != dnsclient.ClassRefused || !errors.Is(err, dnsclient.ErrRefused) {
		t.Errorf("REFUSED: %v (class %s)", err, dnsclient.Classify(err))
	}

	// A loopback UDP port with nothing behind it: the kernel answers
	// with ICMP port unreachable, read back as ECONNREFUSED.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	closed, err := dnsclient.New(dnsclient.Config{Servers: []string{addr}, Timeout: 2 * time.Second, Tries: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = closed.LookupTXT(context.Background(), "example.com")
	if dnsclient.Classify(err) != dnsclient.ClassRefused || !errors.Is(err, dnsclient.ErrConnRefused) || !dnsclient.IsTemporary(err) {
		t.Errorf("closed port: %v (class %s), want refused", err, dnsclient.Classify(err))
	}
}

// TestLyingAnswerCount: a reply whose header counts answers it does not
// carry is a format error, a temporary failure, never NODATA.
func TestLyingAnswerCount(t *testing.T) {
	srv := dnstest.StartServer(t, testZone())
	srv.SetExtraAnswerCount(2)
	c := newClient(t, srv, nil)
	_, err := c.LookupTXT(context.Background(), "example.com")
	if !errors.Is(err, dnsclient.ErrMalformed) || dnsclient.IsNotFound(err) || !strings.Contains(err.Error(), "format error") {
		t.Fatalf("err = %v (class %s), want a format error", err, dnsclient.Classify(err))
	}
	// A name without TXT records: the lie must not read as NODATA.
	_, err = c.LookupTXT(context.Background(), "v4only.example.com")
	if dnsclient.IsNotFound(err) || !errors.Is(err, dnsclient.ErrMalformed) {
		t.Fatalf("NODATA with a lying count: %v (class %s)", err, dnsclient.Classify(err))
	}
}
