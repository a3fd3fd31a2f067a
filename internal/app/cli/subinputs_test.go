package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSubcommandInputs: authlens dkim and authlens arc read inputs exactly
// as the main command does — an mbox, a gzip file, a Maildir, a folder,
// standard input — with one record per message.
func TestSubcommandInputs(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		cmd  []string
		file string
	}{
		{[]string{"dkim", "--offline"}, "list-footer.eml"},
		{[]string{"arc"}, "forwarded-arc.eml"},
	} {
		t.Run(tc.cmd[0], func(t *testing.T) {
			mbox := mboxOf(t, tc.file, 3)
			data, err := os.ReadFile(mbox)
			if err != nil {
				t.Fatal(err)
			}
			gz := filepath.Join(dir, tc.cmd[0]+".mbox.gz")
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(data)
			zw.Close()
			if err := os.WriteFile(gz, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			maildir := filepath.Join(dir, tc.cmd[0]+"-maildir")
			msg, err := os.ReadFile(filepath.Join(root, "testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, sub := range []string{"cur", "new", "tmp"} {
				if err := os.MkdirAll(filepath.Join(maildir, sub), 0o700); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range []string{"new/1.a:2,", "cur/2.b:2,S"} {
				if err := os.WriteFile(filepath.Join(maildir, name), msg, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tests := []struct {
				name, stdin string
				args        []string
				sources     []string
			}{
				{"mbox", "", []string{mbox}, []string{mbox + "#1", mbox + "#2", mbox + "#3"}},
				{"gzip", "", []string{gz}, []string{gz + "#1", gz + "#2", gz + "#3"}},
				{"maildir", "", []string{maildir}, nil},
				{"stdin mbox", string(data), []string{"-"}, []string{"-#1", "-#2", "-#3"}},
				{"message file and a missing one", "", []string{filepath.Join(root, "testdata", tc.file), filepath.Join(dir, "absent.eml")}, nil},
			}
			for _, in := range tests {
				t.Run(in.name, func(t *testing.T) {
					args := append(append(append([]string{}, tc.cmd...), "--format", "json"), in.args...)
					out, stderr, code := run(t, in.stdin, args...)
					var sources []string
					errors := 0
					for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
						var rec struct{ Source, Error string }
						if err := json.Unmarshal([]byte(line), &rec); err != nil {
							t.Fatalf("%v: %q", err, line)
						}
						sources = append(sources, rec.Source)
						if rec.Error != "" {
							errors++
						}
					}
					switch in.name {
					case "maildir":
						if len(sources) != 2 || errors != 0 || code != 0 {
							t.Errorf("exit %d, records %q (%d errors): %s", code, sources, errors, stderr)
						}
					case "message file and a missing one":
						if len(sources) != 2 || errors != 1 || code != exitFailed {
							t.Errorf("exit %d, records %q (%d errors): %s", code, sources, errors, stderr)
						}
					default:
						if strings.Join(sources, " ") != strings.Join(in.sources, " ") || errors != 0 || code != 0 {
							t.Errorf("exit %d, records %q (%d errors), want %q: %s", code, sources, errors, in.sources, stderr)
						}
					}
				})
			}
		})
	}
}
