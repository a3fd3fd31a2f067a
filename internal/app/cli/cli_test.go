package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// run drives the CLI as main does and returns stdout, stderr and the exit code.
func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	code := 0
	if err != nil {
		var coded interface{ ExitCode() int }
		if !errors.As(err, &coded) {
			t.Fatalf("Run(%q): untyped error %v", args, err)
		}
		code = coded.ExitCode()
		if msg := err.Error(); msg != "" {
			errOut.WriteString("authlens: " + msg + "\n")
		}
	}
	return out.String(), errOut.String(), code
}

// root is the module root, where the testdata messages live.
const root = "../../.."

func TestGoldenText(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata messages: %v", err)
	}
	files = append(files, filepath.Join(root, "testdata", "pasted-headers.txt"))
	for _, f := range files {
		name := filepath.Base(f)
		if name == "online-signed.eml" {
			continue // dated when it was signed; covered by the online tests
		}
		t.Run(name, func(t *testing.T) {
			out, stderr, code := run(t, "", "--color=never", f)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			// Paths differ by where the test runs; the golden file holds the base name.
			out = strings.ReplaceAll(out, f, name)
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/app/cli -update to create)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (run with -update after checking):\n--- got\n%s\n--- want\n%s", golden, out, want)
			}
		})
	}
}

// TestJSONContract checks that every documented field is present with its
// type, one object per line.
func TestJSONContract(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, "testdata", "*.eml"))
	out, _, code := run(t, "", append([]string{"--format", "json"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(files) {
		t.Fatalf("%d lines for %d files", len(lines), len(files))
	}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if m["source"] != files[i] {
			t.Errorf("line %d source = %v, want %s", i+1, m["source"], files[i])
		}
		requireKeys(t, m, "source", "verdict", "from", "mail_from", "auth_results", "dkim", "findings")
		requireKeys(t, m["verdict"], "status", "summary", "basis")
		requireKeys(t, m["from"], "address", "domain")
		requireKeys(t, m["mail_from"], "address", "domain", "origin")
		if spf, ok := m["spf"]; ok {
			requireKeys(t, spf, "result", "domain", "aligned", "origin")
		}
		if d, ok := m["dmarc"]; ok {
			requireKeys(t, d, "result", "domain", "policy", "disposition", "origin")
		}
		if c, ok := m["compauth"]; ok {
			requireKeys(t, c, "result", "reason", "meaning")
		}
		for _, d := range m["dkim"].([]any) {
			requireKeys(t, d, "domain", "selector", "result", "aligned", "origin")
		}
		for _, ar := range m["auth_results"].([]any) {
			requireKeys(t, ar, "field", "instance", "authserv_id", "trusted", "results")
			for _, res := range ar.(map[string]any)["results"].([]any) {
				requireKeys(t, res, "method", "result", "props")
			}
		}
		for _, f := range m["findings"].([]any) {
			requireKeys(t, f, "severity", "code", "message")
		}
	}
}

func requireKeys(t *testing.T, v any, keys ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Errorf("not an object: %v", v)
		return
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing in %v", k, m)
		}
	}
}

func TestStdinAndErrors(t *testing.T) {
	paste := "  Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com\n  From: a@example.com\n"
	out, _, code := run(t, paste, "--format=json", "-")
	if code != 0 || !strings.Contains(out, `"source":"-"`) || !strings.Contains(out, `"status":"pass"`) {
		t.Errorf("stdin: exit %d out %s", code, out)
	}
	// Bad inputs among good ones, and a folder holding an mbox: every
	// message and every failed input is reported once, exit 1.
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.eml")
	os.WriteFile(junk, []byte("\x00\x01binary"), 0o644)
	box := filepath.Join(dir, "sub")
	os.Mkdir(box, 0o755)
	mbox := "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n\none\n\nFrom b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\n\ntwo\n"
	os.WriteFile(filepath.Join(box, "inbox.mbox"), []byte(mbox), 0o644)
	good := filepath.Join(root, "testdata", "gmail-dmarc-pass.eml")
	out, stderr, code := run(t, "", "--format=json", good, junk, filepath.Join(dir, "missing.eml"), box)
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d records for 5 messages:\n%s", len(lines), out)
	}
	mb := filepath.Join(box, "inbox.mbox")
	for i, want := range []struct{ source, err string }{
		{good, ""}, {junk, "not an email message"}, {filepath.Join(dir, "missing.eml"), "no such file"},
		{mb + "#1", ""}, {mb + "#2", ""},
	} {
		var m map[string]any
		json.Unmarshal([]byte(lines[i]), &m)
		e, _ := m["error"].(string)
		if m["source"] != want.source || (want.err == "") != (e == "") || !strings.Contains(e, want.err) {
			t.Errorf("record %d = source %v error %q, want %s %q", i, m["source"], e, want.source, want.err)
		}
	}
	if !strings.Contains(stderr, "2 of 5 message(s) could not be analysed") {
		t.Errorf("stderr = %q", stderr)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--help"}, 0, "Exit codes:"},
		{[]string{"--version"}, 0, "authlens"},
		{[]string{"--format", "xml", "x.eml"}, exitUsage, `--format" flag: must be text, json or csv, not "xml"`},
		{[]string{"--color", "sometimes", "x.eml"}, exitUsage, "--color must be"},
		{[]string{"--no-such-flag"}, exitUsage, "unknown flag"},
		{[]string{"compauth", "001"}, 0, "Implicit authentication failed"},
		{[]string{"compauth"}, exitUsage, "name a reason code"},
		{[]string{"compauth", "--format=json", "130"}, 0, `"confidence":"documented"`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, stderr, code := run(t, "", tc.args...)
			if code != tc.code || !strings.Contains(out+stderr, tc.out) {
				t.Errorf("exit %d (want %d), output %q %q, want %q", code, tc.code, out, stderr, tc.out)
			}
		})
	}
}

// TestTerminalSafety: escape sequences in a header never reach the
// terminal, in text output.
func TestTerminalSafety(t *testing.T) {
	msg := "Authentication-Results: mx.example.net\x1b[2J; spf=pass (\x1b]0;pwned\x07 sender) smtp.mailfrom=ex\x1b[31mample.com\r\n" +
		"From: \"\x1b[1A\x1b[2KEvil\" <a@example.com>\r\nSubject: x\r\n\r\n"
	out, _, _ := run(t, msg, "--color=never", "-")
	if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
		t.Errorf("control characters reached the output: %q", out)
	}
}

func TestColor(t *testing.T) {
	f := filepath.Join(root, "testdata", "gmail-dmarc-pass.eml")
	out, _, _ := run(t, "", "--color=always", f)
	if !strings.Contains(out, "\x1b[") {
		t.Error("--color=always wrote no colour")
	}
	t.Setenv("NO_COLOR", "1")
	out, _, _ = run(t, "", f) // auto: a buffer is not a terminal either way
	if strings.Contains(out, "\x1b[") {
		t.Error("colour written with NO_COLOR set")
	}
}
