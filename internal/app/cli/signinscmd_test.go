package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlens/authlens/signins"
	"github.com/authlens/authlens/signins/signinstest"
)

// signinsWeek writes a small generated week (the night spray at a tenth)
// as portal CSV and Graph pages, and returns the two directories.
func signinsWeek(t *testing.T) (portal, graph string) {
	t.Helper()
	ev := signinstest.WeekOf(signinstest.Config{SprayRounds: 40})
	dir := t.TempDir()
	portal, graph = filepath.Join(dir, "portal"), filepath.Join(dir, "graph")
	for _, d := range []string{portal, graph} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(portal, "InteractiveSignIns_2026-03-02_2026-03-09.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := signinstest.WritePortalCSV(f, ev, true); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := signinstest.WriteGraphPages(graph, ev, 1000); err != nil {
		t.Fatal(err)
	}
	return portal, graph
}

func TestSigninsCommand(t *testing.T) {
	portal, graph := signinsWeek(t)

	out, stderr, code := run(t, "", "signins", "--color=never", portal)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"13335 sign-ins (9629 legacy) from 1 file(s), 2026-03-02 00:00 to 2026-03-08 23:41 UTC",
		"Authenticated SMTP (2 account(s))",
		"      523      523       0      0  2026-03-08 23:41  printer.2f@contoso.example",
		"203.0.113.66  burst, IMAP4, Amsterdam, Noord-Holland, NL",
		"200 account(s) (up to 200 accounts within 20m0s), 8000 failures, 2000 lockouts, 10 successes",
		"16 account(s) (up to 8 addresses per account within 24h0m0s), 255 failures",
		"32 addresses (100.64.10.1 … 100.64.10.32)  distributed, Exchange ActiveSync",
		"user142@contoso.example            IMAP4 from 203.0.113.66 at 2026-03-06 02:08 UTC (53003: password right, blocked by Conditional Access)",
		"It would stop 5 account(s)",
		"scan.reception@contoso.example     Authenticated SMTP       80 blocked since 2026-03-05 00:17 UTC",
		"Authenticated SMTP (1): send through an SMTP relay connector",
		"2026-03-05     2182 legacy      44 blocked",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour written with --color=never")
	}
	// Sections in the order an admin reads them.
	if a, b, c, d := strings.Index(out, "Legacy authentication"), strings.Index(out, "Password sprays"), strings.Index(out, "Compromised accounts"), strings.Index(out, "Readiness"); !(a < b && b < c && c < d) {
		t.Errorf("sections out of order: %d %d %d %d", a, b, c, d)
	}

	// JSON: one object, the same from Graph pages as from the CSV.
	jsonOf := func(dir string) *signins.Report {
		out, stderr, code := run(t, "", "signins", "--format=json", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var r signins.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if strings.Count(strings.TrimSpace(out), "\n") != 0 {
			t.Error("JSON is not one line")
		}
		return &r
	}
	rc, rg := jsonOf(portal), jsonOf(graph)
	if rc.SignIns != 13335 || len(rc.Legacy) != 7 || len(rc.Sprays) != 4 || len(rc.Compromised) != 4 || len(rc.Files) != 1 {
		t.Errorf("csv json: sign_ins %d legacy %d sprays %d compromised %d files %d", rc.SignIns, len(rc.Legacy), len(rc.Sprays), len(rc.Compromised), len(rc.Files))
	}
	if rg.Files[0].Format != signins.FormatGraphJSON || len(rg.Files) != 14 || len(rg.Readiness.ReportOnly) != 1 {
		t.Errorf("graph json: files %d (%s), report-only %+v", len(rg.Files), rg.Files[0].Format, rg.Readiness.ReportOnly)
	}
	rc.Files, rg.Files, rg.Readiness.ReportOnly = nil, nil, rc.Readiness.ReportOnly
	a, _ := json.Marshal(rc)
	b, _ := json.Marshal(rg)
	if string(a) != string(b) {
		t.Errorf("the CSV and Graph reports differ:\n%s\n%s", a, b)
	}
	var raw map[string]any
	out, _, _ = run(t, "", "signins", "--format=json", portal)
	json.Unmarshal([]byte(out), &raw)
	for _, k := range []string{"sign_ins", "files", "first", "last", "skipped", "legacy", "sprays", "blocks_by_day", "findings", "readiness", "compromised"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}

	// CSV: one row per legacy account and app.
	out, _, code = run(t, "", "signins", "--format=csv", portal)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 8 {
		t.Fatalf("csv: exit %d, %v, %d rows:\n%s", code, err, len(rows), out)
	}
	if strings.Join(rows[0], ",") != "user,client_app,sign_ins,accepted,successes,blocked,failures,first,last,ips" ||
		strings.Join(rows[1], ",") != "printer.2f@contoso.example,Authenticated SMTP,523,523,523,0,0,2026-03-02T00:00:37Z,2026-03-08T23:41:20Z,198.51.100.20" {
		t.Errorf("csv rows: %q %q", rows[0], rows[1])
	}

	// --since and the spray flags.
	out, _, _ = run(t, "", "signins", "--format=json", "--since", "2026-03-07", "--spray-accounts", "13", portal)
	var r signins.Report
	json.Unmarshal([]byte(out), &r)
	if r.OutsideRange == 0 || len(r.Sprays) != 2 || r.First.Before(signinstest.Start.AddDate(0, 0, 5)) {
		t.Errorf("--since 2026-03-07: outside %d, %d sprays, first %s", r.OutsideRange, len(r.Sprays), r.First)
	}
}

func TestSigninsColour(t *testing.T) {
	portal, _ := signinsWeek(t)
	out, _, _ := run(t, "", "signins", "--color=always", portal)
	if !strings.Contains(out, "\x1b[31muser017@contoso.example") {
		t.Error("compromised accounts not in red with --color=always")
	}
	t.Setenv("NO_COLOR", "1")
	if out, _, _ := run(t, "", "signins", portal); strings.Contains(out, "\x1b[") {
		t.Error("colour written with NO_COLOR set")
	}
}

func TestSigninsHostileText(t *testing.T) {
	csvText := "Date (UTC),Username,IP address,Sign-in error code,Client app,Location\n" +
		"2026-03-02T10:00:00Z,\"evil\x1b]0;pwned\x07@contoso.example\",192.0.2.9,0,IMAP4,\"Nowhere\u202e, XX\"\n"
	out, stderr, code := run(t, csvText, "signins", "--color=never", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") || !strings.Contains(out, "evil@contoso.example") {
		t.Errorf("control characters reached the terminal:\n%q", out)
	}
	out, _, _ = run(t, "Date (UTC),Username,IP address,Sign-in error code,Client app\n2026-03-02T10:00:00Z,=cmd|calc,192.0.2.9,0,IMAP4\n", "signins", "--format=csv", "-")
	if !strings.Contains(out, "'=cmd|calc") {
		t.Errorf("a formula reached the CSV unescaped:\n%s", out)
	}
}

func TestSigninsErrors(t *testing.T) {
	dir := t.TempDir()
	german := filepath.Join(dir, "anmeldungen.csv")
	os.WriteFile(german, []byte("Datum (UTC),Benutzername,IP-Adresse,Fehlercode,Client-App\n2026-03-02T10:00:00Z,a@b.example,192.0.2.1,0,IMAP4\n"), 0o644)
	good := filepath.Join(dir, "ok.csv")
	os.WriteFile(good, []byte("Date (UTC),Username,IP address,Sign-in error code,Client app\n2026-03-02T10:00:00Z,a@b.example,192.0.2.1,0,IMAP4\nnot a date,a@b.example,192.0.2.1,0,IMAP4\n"), 0o644)
	out, stderr, code := run(t, "", "signins", "--color=never", german, good)
	if code != exitFailed || !strings.Contains(stderr, "anmeldungen.csv") || !strings.Contains(stderr, `"Datum (UTC)"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(out, "1 sign-ins (1 legacy)") || !strings.Contains(out, "Rows that could not be read: 1 bad time") {
		t.Errorf("the readable file was not reported:\n%s", out)
	}
	for _, bad := range [][]string{
		{"signins", "--format", "xml", good},
		{"signins", "--since", "yesterday", good},
		{"signins", "--spray-accounts", "1", good},
		{"signins", "--color", "sometimes", good},
	} {
		if _, _, code := run(t, "", bad...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", bad, code, exitUsage)
		}
	}
	if _, stderr, code := run(t, "", "signins", filepath.Join(dir, "missing.csv")); code != exitFailed || !strings.Contains(stderr, "missing.csv") {
		t.Errorf("missing file: exit %d %q", code, stderr)
	}
	if out, _, code := run(t, "", "signins", "--help"); code != 0 || !strings.Contains(out, "authlens signins [flags] FILE|DIR|-") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}
