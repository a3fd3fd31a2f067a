package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

func TestOnlineZoneReplay(t *testing.T) {
	zone := filepath.Join(root, "testdata", "online.zone")
	msg := filepath.Join(root, "testdata", "online-signed.eml")
	out, stderr, code := run(t, "", "--online", "--dns-zone", zone, "--format", "json", msg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	requireKeys(t, rep["spf_evaluated"], "result", "domain", "aligned", "origin", "client_ip", "client_ip_from", "explanation", "lookups")
	requireKeys(t, rep["dmarc_evaluated"], "result", "domain", "policy", "disposition", "origin", "policy_domain", "org_domain", "reason")
	if rep["spf_evaluated"].(map[string]any)["result"] != "pass" || rep["dmarc_evaluated"].(map[string]any)["result"] != "pass" {
		t.Errorf("evaluated: %v %v", rep["spf_evaluated"], rep["dmarc_evaluated"])
	}
	evaluated := 0
	for _, d := range rep["dkim"].([]any) {
		if d.(map[string]any)["origin"] == "evaluated" && d.(map[string]any)["result"] == "pass" {
			evaluated++
		}
	}
	if evaluated != 2 {
		t.Errorf("evaluated DKIM passes = %d, want 2", evaluated)
	}
	for _, q := range rep["dns"].([]any) {
		requireKeys(t, q, "name", "type", "class", "cached")
	}
}

// TestOnlineDNSServer runs the online analysis against a real DNS server on
// the loopback interface.
func TestOnlineDNSServer(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("example.com", "v=spf1 -all").
		AddTXT("_dmarc.example.com", "v=DMARC1; p=reject")
	srv := dnstest.StartServer(t, z)
	msg := filepath.Join(root, "testdata", "online-signed.eml")
	out, stderr, code := run(t, "", "--online", "--dns-server", srv.Addr, "--color=never", msg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"fail  example.com, aligned domain, but no pass  [evaluated]", "spf-changed", "dkim-changed", "dmarc-changed", "policy reject"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if srv.Count("") == 0 && srv.Count(dnstest.TransportUDP) == 0 {
		t.Error("the DNS server saw no query")
	}
}

func TestOnlineFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--online", "--dns-zone", "/nonexistent.zone", "x.eml"}, exitFailed, "--dns-zone"},
		{[]string{"--dns-timeout", "0s", "x.eml"}, exitUsage, "--dns-timeout must be positive"},
		{[]string{"--dmarc-mode", "2015", "x.eml"}, exitUsage, "--dmarc-mode must be bis or 7489"},
		{[]string{"--at", "yesterday", "x.eml"}, exitUsage, "--at takes"},
		{[]string{"--dns-zone", "a.zone", "--dns-server", "127.0.0.1:53", "x.eml"}, exitUsage, "cannot be combined"},
		{[]string{"--jobs", "100000", "x.eml"}, exitUsage, "--jobs must be at most"},
		{[]string{"--online", "--dns-zone", "/dev/zero", "x.eml"}, exitFailed, "is longer than"},
	}
	for _, tc := range tests {
		_, stderr, code := run(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d stderr %q, want %d %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
