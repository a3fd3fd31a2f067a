package authlens

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeCodes returns the finding codes README.md's "Finding codes" table
// documents.
func readmeCodes(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "### Finding codes")
	if start < 0 {
		t.Fatal("README.md has no Finding codes section")
	}
	text = text[start:]
	if end := strings.Index(text[1:], "\n## "); end >= 0 {
		text = text[:end+1]
	}
	var out []string
	code := regexp.MustCompile("`([a-z0-9-]+)`")
	for line := range strings.SplitSeq(text, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.Split(line, "|")[1]
		for _, m := range code.FindAllStringSubmatch(first, -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestFindingCodesDocumented: FindingCodes is sorted and is exactly the
// list README.md documents.
func TestFindingCodesDocumented(t *testing.T) {
	got := FindingCodes()
	if !slices.IsSorted(got) {
		t.Error("FindingCodes is not sorted")
	}
	want := readmeCodes(t)
	for _, c := range want {
		if !IsFindingCode(c) {
			t.Errorf("README documents %s, FindingCodes lacks it", c)
		}
	}
	for _, c := range got {
		if !slices.Contains(want, c) {
			t.Errorf("FindingCodes has %s, README does not document it", c)
		}
	}
	if IsFindingCode("dmarc-fial") {
		t.Error("a typo is a finding code")
	}
}

// TestFindingCodesEmitted: every finding the analysis reports on the
// sample messages is in FindingCodes.
func TestFindingCodesEmitted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	real, _ := filepath.Glob(filepath.Join("testdata", "real", "*.eml"))
	for _, f := range append(files, real...) {
		rep, err := AnalyzeBytes(context.Background(), readFile(t, f), Options{})
		if err != nil {
			continue // refused messages carry no findings
		}
		for _, c := range codes(rep) {
			if !IsFindingCode(string(c)) {
				t.Errorf("%s: finding %s is not in FindingCodes", f, c)
			}
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
