package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authlens/authlens/internal/dnstest"
)

// mboxOf writes n copies of a testdata message into an mbox file and
// returns its path.
func mboxOf(t *testing.T, file string, n int) string {
	t.Helper()
	msg, err := os.ReadFile(filepath.Join(root, "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for range n {
		b.WriteString("From alice@example.com Sun Nov 22 05:51:02 2026\n")
		b.Write(bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n")))
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "scan.mbox")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSilentResolver: nine messages scanned online behind a resolver that
// never answers, with the default DNS settings. The run learns once that
// DNS is unreachable and stops waiting for it: few queries reach the
// server, the scan ends well within 15 seconds, standard error and the
// summary say so once, and every evaluated verdict is temperror with the
// reason, never a change.
func TestSilentResolver(t *testing.T) {
	srv := dnstest.StartServer(t, dnstest.NewZone())
	srv.SetSilent(true)
	mbox := mboxOf(t, "online-signed.eml", 9)
	start := time.Now()
	out, stderr, code := run(t, "", "--online", "--dns-server", srv.Addr, "--format", "json", "--summary", mbox)
	elapsed := time.Since(start)
	t.Logf("9 messages behind a silent resolver: %s, %d queries reached it; stderr: %s", elapsed, srv.Count(""), stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if elapsed > 15*time.Second {
		t.Errorf("the scan took %s, want under 15 s", elapsed)
	}
	// Before the server is skipped, at most MaxFailures (3) queries go
	// unanswered, plus those already in flight in the other workers.
	if n, max := srv.Count(""), 3+2*runtime.GOMAXPROCS(0); n > max {
		t.Errorf("%d queries reached the silent server, want at most %d", n, max)
	}
	if n := strings.Count(stderr, "DNS unreachable"); n != 1 {
		t.Errorf("stderr says DNS unreachable %d times, want once:\n%s", n, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d output lines, want 9 records and a summary:\n%s", len(lines), out)
	}
	for i, line := range lines[:9] {
		var rep struct {
			SPF      struct{ Result, Error string } `json:"spf_evaluated"`
			DMARC    struct{ Result, Error string } `json:"dmarc_evaluated"`
			DKIM     []struct{ Result, Origin, Reason string }
			Findings []struct{ Code string }
		}
		if err := json.Unmarshal([]byte(line), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.SPF.Result != "temperror" || rep.SPF.Error == "" || rep.DMARC.Result != "temperror" || rep.DMARC.Error == "" {
			t.Errorf("record %d: spf %+v dmarc %+v", i, rep.SPF, rep.DMARC)
		}
		for _, d := range rep.DKIM {
			if d.Origin == "evaluated" && (d.Result != "temperror" || d.Reason == "") {
				t.Errorf("record %d: evaluated dkim %+v", i, d)
			}
		}
		temp := false
		for _, f := range rep.Findings {
			if strings.HasSuffix(f.Code, "-changed") || f.Code == "dmarc-modes-disagree" {
				t.Errorf("record %d: finding %s after DNS failures", i, f.Code)
			}
			temp = temp || f.Code == "online-temperror"
		}
		if !temp {
			t.Errorf("record %d: no online-temperror finding", i)
		}
	}
	var sum struct {
		Summary struct {
			DNS *struct {
				Unreachable bool
				Message     string
			}
		}
	}
	if err := json.Unmarshal([]byte(lines[9]), &sum); err != nil {
		t.Fatal(err)
	}
	if d := sum.Summary.DNS; d == nil || !d.Unreachable || !strings.Contains(d.Message, srv.Addr) {
		t.Errorf("summary dns = %+v", d)
	}
}

// TestReachableResolverNoNotice: a server that answers gets no notice and
// no dns entry in the summary.
func TestReachableResolverNoNotice(t *testing.T) {
	z := dnstest.NewZone().AddTXT("example.com", "v=spf1 ip4:192.0.2.0/24 -all")
	srv := dnstest.StartServer(t, z)
	mbox := mboxOf(t, "online-signed.eml", 2)
	out, stderr, code := run(t, "", "--online", "--dns-server", srv.Addr, "--format", "json", "--summary", mbox)
	if code != 0 || strings.Contains(stderr, "unreachable") || strings.Contains(out, `"dns":{"unreachable"`) {
		t.Errorf("exit %d stderr %q summary %q", code, stderr, out[strings.LastIndex(out, "\n{"):])
	}
}
