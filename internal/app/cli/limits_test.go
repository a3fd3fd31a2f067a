package cli

import (
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

// TestDMARCRepeatedTag: a 60 KB DMARC record repeating one tag, served
// over loopback DNS (it comes back over TCP), is diagnosed once, with the
// count, not once per repeat.
func TestDMARCRepeatedTag(t *testing.T) {
	rec := "v=DMARC1; p=none" + strings.Repeat("; p=reject", 6000)
	srv := dnstest.StartServer(t, dnstest.NewZone().AddTXT("_dmarc.example.com", rec))
	out, stderr, code := run(t, "", "dmarc", "--dns-server", srv.Addr, "example.com")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(out, "appears more than once"); n != 1 || !strings.Contains(out, "found 6000 times") {
		t.Errorf("the repeated tag is reported %d times:\n%s", n, out[strings.Index(out, "appears")-300:])
	}
	if srv.Count(dnstest.TransportTCP) == 0 {
		t.Error("a 60 KB record should have come over TCP")
	}
}
