package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

func TestSPFCommand(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("example.com", "v=spf1 include:_spf.vendor.example ~all").
		AddTXT("_spf.vendor.example", "v=spf1 ip4:198.51.100.0/24 -all")
	srv := dnstest.StartServer(t, z)
	out, stderr, code := run(t, "", "spf", "--ip", "203.0.113.7", "--mail-from", "bounce@example.com", "--helo", "mail.example.com", "--dns-server", srv.Addr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"softfail: 203.0.113.7 matched ~all in example.com after include:_spf.vendor.example did not list it (1 of 10 lookups used)", "no match", "_spf.vendor.example"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = run(t, "", "spf", "--format=json", "--ip", "198.51.100.9", "--mail-from", "bounce@example.com", "--dns-server", srv.Addr)
	var res spfJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Result != "pass" || res.Lookups != 1 || len(res.Records) != 2 || len(res.Queries) != 2 {
		t.Errorf("json = %+v", res)
	}
	for _, bad := range [][]string{{"spf", "--ip", "nope", "--helo", "x"}, {"spf", "--ip", "192.0.2.1"}} {
		if _, _, code := run(t, "", bad...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

func TestDKIMCommand(t *testing.T) {
	zone := filepath.Join(root, "testdata", "online.zone")
	msg := filepath.Join(root, "testdata", "online-signed.eml")
	out, stderr, code := run(t, "", "dkim", "--format=json", "--dns-zone", zone, "--at", "date", msg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var m dkimMessageJSON
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Signatures) != 2 || m.VerifiedAt.IsZero() {
		t.Fatalf("json = %+v", m)
	}
	for _, s := range m.Signatures {
		if s.Result != "pass" || !s.Aligned || s.BodyIntact == nil || !*s.BodyIntact || s.KeyBits == 0 || !s.FromOversigned {
			t.Errorf("signature = %+v", s)
		}
	}
	// Verified long after the signatures expired (x=2030).
	out, _, _ = run(t, "", "dkim", "--dns-zone", zone, "--at", "2031-01-01T00:00:00Z", msg)
	if !strings.Contains(out, "permerror") || !strings.Contains(strings.ToLower(out), "expired") {
		t.Errorf("expired signatures not reported:\n%s", out)
	}
	// Offline: the body of a message changed by a list footer.
	out, _, code = run(t, "", "dkim", "--offline", filepath.Join(root, "testdata", "list-footer.eml"))
	if code != 0 || !strings.Contains(out, "body changed") {
		t.Errorf("offline: exit %d\n%s", code, out)
	}
}

func TestDMARCCommand(t *testing.T) {
	z := dnstest.NewZone().
		AddTXT("_dmarc.example.com", "v=DMARC1; p=none; sp=none; pct=50; rua=mailto:reports@thirdparty.example")
	srv := dnstest.StartServer(t, z)
	out, stderr, code := run(t, "", "dmarc", "--format=json", "--dns-server", srv.Addr, "mail.example.com")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a dmarcAuditJSON
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.PolicyDomain != "example.com" || a.OrgDomainBis != "example.com" || a.OrgDomain7489 != "example.com" || len(a.Queries) == 0 {
		t.Errorf("audit = %+v", a)
	}
	if len(a.External) != 1 || a.External[0].Authorized {
		t.Errorf("external destinations = %+v", a.External)
	}
	var codes []string
	for _, f := range append(a.Findings, a.Diagnoses...) {
		codes = append(codes, f.Code)
	}
	if len(codes) < 3 {
		t.Errorf("findings = %q, want monitoring-only, pct and the unauthorized destination at least", codes)
	}
	if _, _, code := run(t, "", "dmarc"); code != exitUsage {
		t.Errorf("no domain: exit %d", code)
	}
}

func TestARCCommand(t *testing.T) {
	out, stderr, code := run(t, "", "arc", filepath.Join(root, "testdata", "forwarded-arc.eml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"chain pass (checked offline)", "i=1 sealed by lists.example.org", "dmarc=pass (author.example)", "arc-forwarding-override"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = run(t, "", "arc", "--format=json", filepath.Join(root, "testdata", "gmail-dmarc-pass.eml"))
	var m arcMessageJSON
	if err := json.Unmarshal([]byte(out), &m); err != nil || m.ARC == nil || len(m.ARC.Sets) != 1 {
		t.Errorf("json = %s (%v)", out, err)
	}
}

// A header block alone: signatures verify over their header fields, and
// no body is reported changed.
func TestDKIMHeaderBlockAlone(t *testing.T) {
	data, err := os.ReadFile("../../../testdata/online-signed.eml")
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	head := filepath.Join(t.TempDir(), "head.txt")
	if err := os.WriteFile(head, data[:bytes.Index(data, []byte("\n\n"))+1], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"dkim", "--dns-zone", "../../../testdata/online.zone", head}, {"dkim", "--offline", head}} {
		var stdout, stderr bytes.Buffer
		err := Run(context.Background(), append(args, "--format", "json"), strings.NewReader(""), &stdout, &stderr)
		if err != nil {
			t.Fatalf("%v: %v %s", args, err, stderr.String())
		}
		var out dkimMessageJSON
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		if !out.NoBody || len(out.Signatures) != 2 {
			t.Fatalf("%v: %+v", args, out)
		}
		for _, s := range out.Signatures {
			if s.BodyIntact != nil || s.Reason == "body-hash-mismatch" || (args[1] != "--offline" && s.Result != "pass") {
				t.Errorf("%v: signature %+v", args, s)
			}
		}
	}
}
