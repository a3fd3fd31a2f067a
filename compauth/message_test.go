package compauth

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/finding"
)

// headersOf returns a [Headers] accessor over the header section of a
// raw message, with values unfolded.
func headersOf(msg []byte) Headers {
	msg = bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))
	var fields [][2]string
	for _, line := range strings.Split(string(msg), "\n") {
		if line == "" {
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1][1] += line
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields = append(fields, [2]string{name, strings.TrimSpace(value)})
	}
	return func(name string) []string {
		var out []string
		for _, f := range fields {
			if strings.EqualFold(f[0], name) {
				out = append(out, f[1])
			}
		}
		return out
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// findingCodes returns the codes of fs.
func findingCodes(fs []finding.Finding) []finding.Code {
	var out []finding.Code
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// findingByCode returns the first finding with code, or fails.
func findingByCode(t *testing.T, fs []finding.Finding, code finding.Code) finding.Finding {
	t.Helper()
	i := slices.IndexFunc(fs, func(f finding.Finding) bool { return f.Code == code })
	if i < 0 {
		t.Fatalf("no finding %q in %v", code, findingCodes(fs))
	}
	return fs[i]
}
