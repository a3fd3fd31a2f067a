package authres

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/testshared"
)

// field is one unfolded header field of a message.
type field struct {
	name, value string
}

// headerFields returns the unfolded header fields of a raw message with CRLF
// or LF line endings. RFC 5322, section 2.2.3: unfolding removes the line
// break before a line that starts with white space.
func headerFields(raw string) []field {
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	if i := strings.Index(raw, "\n\n"); i >= 0 {
		raw = raw[:i]
	}
	var out []field
	for _, line := range strings.Split(raw, "\n") {
		if line != "" && (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].value += line
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		out = append(out, field{name: strings.TrimSpace(name), value: value})
	}
	return out
}

func TestSamples(t *testing.T) {
	dir := testshared.Dir(t, "samples")
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no sample messages in %s", dir)
	}
	total := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range headerFields(string(raw)) {
			name := filepath.Base(file) + "/" + f.name + "#" + strconv.Itoa(i)
			switch strings.ToLower(f.name) {
			case "authentication-results", "authentication-results-original",
				"x-ms-exchange-authentication-results", "x-me-authentication-results":
				total++
				t.Run(name, func(t *testing.T) {
					h, err := Parse(f.value)
					if err != nil {
						t.Fatalf("Parse(%q): %v", f.value, err)
					}
					checkSample(t, h, f.value)
				})
			case "arc-authentication-results":
				total++
				t.Run(name, func(t *testing.T) {
					h, err := ParseARC(f.value)
					if err != nil {
						t.Fatalf("ParseARC(%q): %v", f.value, err)
					}
					checkSample(t, h, f.value)
				})
			case "received-spf":
				total++
				t.Run(name, func(t *testing.T) {
					r, err := ParseReceivedSPF(f.value)
					if err != nil {
						t.Fatalf("ParseReceivedSPF(%q): %v", f.value, err)
					}
					if len(r.Problems) > 0 {
						t.Errorf("problems: %v", r.Problems)
					}
					if r.Comment == "" {
						t.Errorf("no comment read from %q", f.value)
					}
				})
			}
		}
	}
	if total == 0 {
		t.Error("no authentication header found in the samples")
	}
}

// samplesWithProblems lists sample values known to contain a part that is
// skipped, with the reason.
var samplesWithProblems = map[string]string{
	// arc-2.eml, i=1 by webhostingserver.nl: a property written as its own
	// clause, with no method before it.
	" i=1; webhostingserver.nl; smtp.remote-ip=178.250.146.69;": "property without a method",
}

func checkSample(t *testing.T, h *Header, value string) {
	t.Helper()
	if len(h.Results) == 0 && !h.None {
		t.Errorf("no results read from %q", value)
	}
	if len(h.Problems) > 0 {
		known := false
		for prefix, why := range samplesWithProblems {
			if strings.HasPrefix(value, prefix) {
				known = true
				t.Logf("known problem (%s): %v", why, h.Problems)
			}
		}
		if !known {
			t.Errorf("problems: %v", h.Problems)
		}
	}
	again, err := Parse(Format(h))
	if err != nil {
		t.Fatalf("reparse of %q: %v", Format(h), err)
	}
	if !equalHeaders(h, again) {
		t.Errorf("round trip changed the header:\n%+v\n%+v", h, again)
	}
}
