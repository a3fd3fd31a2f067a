package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// msg returns a small message with a trusted Authentication-Results field.
func msg(n int, from, dmarc string) string {
	return fmt.Sprintf("Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=%s; dmarc=%s header.from=%s\n"+
		"From: User <user@%s>\nTo: you@example.net\nSubject: message %d\nDate: Mon, 3 Mar 2025 09:00:00 +0000\n\nBody of message %d.\n", from, dmarc, from, from, n, n)
}

const fromLine = "From sender@example.com Mon Mar  3 09:00:00 2025\n"

// fixture writes the test inputs into dir and returns the paths to pass
// to authlens and the sources expected, in order.
func fixture(t *testing.T, dir string) (inputs, want []string) {
	t.Helper()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// mbox with a "From " line inside a body (not after an empty line)
	// and a quoted one.
	body := msg(1, "a.example", "pass") + "From the desk of the CEO\n>From here on\n"
	mbox := write("plain.mbox", fromLine+body+"\n"+fromLine+msg(2, "b.example", "fail")+"\n"+fromLine+msg(3, "a.example", "pass")+"\n")
	inputs = append(inputs, mbox)
	want = append(want, mbox+"#1", mbox+"#2", mbox+"#3")
	// mboxrd, with the last message cut inside its header.
	rd := write("rd.mbox", fromLine+msg(4, "c.example", "pass")+">>From quoted twice\n\n"+fromLine+"Authentication-Results: mx.example.net; spf=pass\nFrom: cut")
	inputs = append(inputs, rd)
	want = append(want, rd+"#1", rd+"#2")
	// gzip-compressed mbox.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(fromLine + msg(5, "d.example", "pass") + "\n" + fromLine + msg(6, "d.example", "none") + "\n"))
	zw.Close()
	gzPath := write("box.mbox.gz", gz.String())
	inputs = append(inputs, gzPath)
	want = append(want, gzPath+"#1", gzPath+"#2")
	// A folder: Maildir, nested folders, an empty file and a non-mail file.
	folder := filepath.Join(dir, "folder")
	write("folder/Maildir/cur/1700000000.1.host:2,S", msg(7, "e.example", "pass"))
	write("folder/Maildir/new/1700000001.2.host", msg(8, "e.example", "pass"))
	write("folder/Maildir/tmp/1700000002.3.host", msg(9, "e.example", "pass"))
	write("folder/a/b/deep.eml", msg(10, "f.example", "pass"))
	write("folder/empty.eml", "")
	write("folder/report.pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	inputs = append(inputs, folder)
	want = append(want,
		filepath.Join(folder, "Maildir/cur/1700000000.1.host:2,S"),
		filepath.Join(folder, "Maildir/new/1700000001.2.host"),
		filepath.Join(folder, "a/b/deep.eml"),
		filepath.Join(folder, "empty.eml"),
		filepath.Join(folder, "report.pdf"),
	)
	sort := func(l []string) { slices.Sort(l) } // directory walks are sorted
	sort(want[len(want)-5:])
	// A file that does not exist, and standard input.
	missing := filepath.Join(dir, "missing.mbox")
	inputs = append(inputs, missing, "-")
	want = append(want, missing, "-")
	return inputs, want
}

// records decodes JSON Lines output, without the summary line.
func records(t *testing.T, out string) (recs []map[string]any, summary map[string]any) {
	t.Helper()
	for line := range strings.Lines(out) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		if s, ok := m["summary"].(map[string]any); ok {
			summary = s
			continue
		}
		recs = append(recs, m)
	}
	return recs, summary
}

// TestBatchLosesNothing checks that every item comes out exactly once, in
// input order unless --unordered, with every job count, and that the
// summary reconciles.
func TestBatchLosesNothing(t *testing.T) {
	dir := t.TempDir()
	inputs, want := fixture(t, dir)
	stdin := msg(11, "g.example", "pass")
	for jobs := 1; jobs <= 4; jobs++ {
		for _, unordered := range []bool{false, true} {
			t.Run(fmt.Sprintf("jobs=%d/unordered=%v", jobs, unordered), func(t *testing.T) {
				args := []string{"--format", "json", "--summary", "--jobs", fmt.Sprint(jobs)}
				if unordered {
					args = append(args, "--unordered")
				}
				out, stderr, code := run(t, stdin, append(args, inputs...)...)
				if code != exitFailed {
					t.Errorf("exit %d, want 1 (some inputs are bad); stderr %q", code, stderr)
				}
				recs, sum := records(t, out)
				var got []string
				errs := 0
				for _, r := range recs {
					got = append(got, r["source"].(string))
					if r["error"] != nil {
						errs++
					}
				}
				w := slices.Clone(want)
				if unordered {
					slices.Sort(got)
					slices.Sort(w)
				}
				if !slices.Equal(got, w) {
					t.Fatalf("sources:\n got %q\nwant %q", got, w)
				}
				// rd.mbox#2 (truncated), empty.eml, report.pdf, missing.mbox
				if errs != 4 {
					t.Errorf("%d error records, want 4", errs)
				}
				if sum == nil {
					t.Fatal("no summary line")
				}
				found, analysed, failed := sum["found"].(float64), sum["analysed"].(float64), sum["errors"].(float64)
				if int(found) != len(want) || analysed+failed != found || int(failed) != errs {
					t.Errorf("summary found %v analysed %v errors %v, want %d found, %d errors", found, analysed, failed, len(want), errs)
				}
			})
		}
	}
}

func TestBatchErrorLocations(t *testing.T) {
	dir := t.TempDir()
	inputs, _ := fixture(t, dir)
	out, _, _ := run(t, "", append([]string{"--format", "json"}, inputs[:len(inputs)-1]...)...)
	recs, _ := records(t, out)
	errs := map[string]string{}
	for _, r := range recs {
		if e, ok := r["error"].(string); ok {
			errs[filepath.Base(r["source"].(string))] = e
		}
	}
	for name, want := range map[string]string{
		"rd.mbox#2":    "truncated",
		"empty.eml":    "empty",
		"report.pdf":   "PDF",
		"missing.mbox": "no such file",
	} {
		if !strings.Contains(errs[name], want) {
			t.Errorf("%s: error %q, want it to mention %q", name, errs[name], want)
		}
	}
	if !strings.Contains(errs["rd.mbox#2"], "message 2 at byte") {
		t.Errorf("truncated message error %q lacks its position", errs["rd.mbox#2"])
	}
}

func TestBatchUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "locked.mbox")
	if err := os.WriteFile(p, []byte(fromLine+msg(1, "a.example", "pass")), 0o000); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.eml")
	if err := os.WriteFile(good, []byte(msg(2, "b.example", "pass")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := run(t, "", "--format", "json", p, good)
	recs, _ := records(t, out)
	if len(recs) != 2 || recs[1]["source"] != good {
		t.Fatalf("records %v", recs)
	}
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skip("running with privileges that read a mode 000 file; the permission error cannot be checked")
	}
	if recs[0]["source"] != p {
		t.Errorf("source %v, want %s", recs[0]["source"], p)
	}
	if code != exitFailed || !strings.Contains(fmt.Sprint(recs[0]["error"]), "permission denied") {
		t.Errorf("exit %d, record %v", code, recs[0])
	}
}

// TestBatchLargeMessage checks a 50 MB message under and over
// --max-message-size.
func TestBatchLargeMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 50 MB")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "big.mbox")
	line := strings.Repeat("x", 76) + "\n"
	big := fromLine + msg(1, "a.example", "pass") + strings.Repeat(line, 50<<20/len(line)) + "\n" + fromLine + msg(2, "b.example", "pass")
	if err := os.WriteFile(p, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	big = ""
	tests := []struct {
		name  string
		limit string
		err   string
		code  int
	}{
		{name: "under", limit: "64000000"},
		{name: "over", limit: "40000000", err: "too large", code: exitFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, code := run(t, "", "--format", "json", "--max-message-size", tc.limit, p)
			recs, _ := records(t, out)
			if len(recs) != 2 || recs[0]["source"] != p+"#1" || recs[1]["source"] != p+"#2" || code != tc.code {
				t.Fatalf("exit %d, %d records", code, len(recs))
			}
			e, _ := recs[0]["error"].(string)
			if (tc.err == "") != (e == "") || !strings.Contains(e, tc.err) {
				t.Errorf("error %q, want %q", e, tc.err)
			}
			if recs[1]["error"] != nil {
				t.Errorf("next message: %v", recs[1]["error"])
			}
		})
	}
}

func TestBatchCSV(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "box.mbox")
	evil := strings.Replace(msg(2, "b.example", "fail"), "user@b.example", "user@b.example", 1)
	content := fromLine + msg(1, "a.example", "pass") + "\n" + fromLine + evil + "\n" + fromLine + "not a message at all\x00\x01\n"
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	formula := filepath.Join(dir, "=HYPERLINK(\"x\"),\x1b[31mred.eml")
	if err := os.WriteFile(formula, []byte(msg(3, "c.example", "pass")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "", "--format", "csv", "--summary", p, formula)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	if !slices.Equal(rows[0], csvColumns) {
		t.Errorf("header %q", rows[0])
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want header + 4:\n%s", len(rows), out)
	}
	col := func(name string) int { return slices.Index(csvColumns, name) }
	if r := rows[1]; r[col("source")] != p+"#1" || r[col("from_domain")] != "a.example" || r[col("dmarc")] != "pass" || r[col("verdict")] != "pass" || r[col("error")] != "" {
		t.Errorf("row 1 %q", r)
	}
	if r := rows[3]; r[col("source")] != p+"#3" || r[col("error")] == "" {
		t.Errorf("row 3 should be an error: %q", r)
	}
	src := rows[4][col("source")]
	if !strings.HasPrefix(src, "'"+dir) && !strings.HasPrefix(src, dir) {
		t.Errorf("row 4 source %q", src)
	}
	if strings.ContainsAny(out, "\x1b") {
		t.Errorf("control characters in CSV output")
	}
	if !strings.Contains(stderr, "Summary: 4 found, 3 analysed, 1 could not be analysed") || code != exitFailed {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"example.com", "example.com"},
		{"=1+2", "'=1+2"},
		{"+1", "'+1"},
		{"-cmd", "'-cmd"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"  =x", "'  =x"},
		{"-", "-"},
		{"a\x1b[31mb\tc", "ab c"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := csvCell(tc.in); got != tc.want {
				t.Errorf("csvCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestBatchFailOn(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "box.mbox")
	if err := os.WriteFile(p, []byte(fromLine+msg(1, "a.example", "pass")+"\n"+fromLine+msg(2, "b.example", "fail")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		expr string
		code int
	}{
		{"dmarc=fail", exitFailed},
		{"dmarc=temperror", exitOK},
		{"verdict!=pass", exitFailed},
		{"forged-authserv-id", exitOK},
		{"dmarc-fail", exitFailed},
		{"severity>=medium", exitFailed},
		{"severity>=high", exitOK},
		{"spf=softfail,dmarc=none", exitOK},
		{"severity>=extreme", exitUsage},
		{"colour=red", exitUsage},
		{"dmarc=", exitUsage},
		{"dmarc=bogus", exitUsage},
		{"dmarc-fial", exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			out, stderr, code := run(t, "", "--format", "json", "--fail-on", tc.expr, p)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if n := strings.Count(out, "\n"); tc.code != exitUsage && n != 2 {
				t.Errorf("%d records, want 2", n)
			}
		})
	}
}

// TestBatchText checks the rule for text output: the full report for
// message files, one line per message for a mailbox or folder.
func TestBatchText(t *testing.T) {
	dir := t.TempDir()
	eml := filepath.Join(dir, "one.eml")
	mbox := filepath.Join(dir, "box.mbox")
	os.WriteFile(eml, []byte(msg(1, "a.example", "pass")), 0o644)
	os.WriteFile(mbox, []byte(fromLine+msg(2, "b.example", "fail")+"\n"+fromLine+msg(3, "a.example", "pass")+"\n"), 0o644)
	tests := []struct {
		name  string
		args  []string
		lines int // 0: the full report
	}{
		{name: "message file", args: []string{eml}},
		{name: "message file with summary", args: []string{"--summary", eml}, lines: 1},
		{name: "mbox", args: []string{mbox}, lines: 2},
		{name: "folder", args: []string{dir}, lines: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, _ := run(t, "", append([]string{"--color=never"}, tc.args...)...)
			body, _, _ := strings.Cut(out, "\nSummary:")
			lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
			if tc.lines == 0 {
				if len(lines) < 5 {
					t.Errorf("want the full report, got %q", out)
				}
				return
			}
			if len(lines) != tc.lines {
				t.Errorf("%d lines, want %d:\n%s", len(lines), tc.lines, out)
			}
		})
	}
}

// TestBodyCheckFlag checks --body-check: by default a single message gets
// the full body check, a mailbox scan only for recorded DKIM failures.
func TestBodyCheckFlag(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	pass, failed := read("gmail-dmarc-pass.eml"), read("list-footer.eml")
	dir := t.TempDir()
	box := filepath.Join(dir, "box.mbox")
	if err := os.WriteFile(box, []byte(fromLine+pass+"\n"+fromLine+failed+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "pass.eml")
	if err := os.WriteFile(single, []byte(pass), 0o644); err != nil {
		t.Fatal(err)
	}
	checked := func(rec map[string]any) bool {
		dk, _ := rec["dkim"].([]any)
		if len(dk) == 0 {
			return false
		}
		_, ok := dk[0].(map[string]any)["body_intact"]
		return ok
	}
	tests := []struct {
		args []string
		want []bool // body checked, per record
	}{
		{[]string{single}, []bool{true}},
		{[]string{"--body-check", "off", single}, []bool{false}},
		{[]string{box}, []bool{false, true}},
		{[]string{"--body-check", "all", box}, []bool{true, true}},
		{[]string{"--body-check", "off", box}, []bool{false, false}},
	}
	for _, tc := range tests {
		out, stderr, code := run(t, "", append([]string{"--format", "json"}, tc.args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		recs, _ := records(t, out)
		if len(recs) != len(tc.want) {
			t.Fatalf("%v: %d records", tc.args, len(recs))
		}
		for i, rec := range recs {
			if got := checked(rec); got != tc.want[i] {
				t.Errorf("%v: record %d body checked %v, want %v", tc.args, i+1, got, tc.want[i])
			}
		}
	}
	if _, _, code := run(t, "", "--body-check", "sometimes", single); code != exitUsage {
		t.Errorf("--body-check sometimes: exit %d", code)
	}
}
