package authlens_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
)

// update rewrites the real-mail corpus goldens from the current analysis:
// go test -run TestRealCorpus -update .
var update = flag.Bool("update", false, "rewrite testdata/real/golden from the current analysis")

// realDir holds the real-mail regression corpus: messages copied byte for
// byte from public repositories, PROVENANCE.md naming where each came from,
// and one golden record per message under golden/.
const realDir = "testdata/real"

// corpusNow is the fixed clock the corpus is analysed against, so that a
// Received date "in the future" means the same thing on every run.
var corpusNow = time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)

// golden is the reviewed summary of one message's analysis: what must not
// change without a person looking at it.
type golden struct {
	Error    string          `json:"error,omitempty"`
	Verdict  string          `json:"verdict,omitempty"`
	Basis    string          `json:"basis,omitempty"`
	EntryIP  string          `json:"entry_ip,omitempty"`
	Findings []goldenFinding `json:"findings,omitempty"`
}

// goldenFinding is one finding, without its sentence: the sentence may be
// reworded, the severity and code may not change unnoticed.
type goldenFinding struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
}

// TestRealCorpus analyses every message of the real-mail corpus and
// compares the verdict, the receiver it rests on, the entry client IP and
// every finding with the message's golden record. With -update it rewrites
// the goldens instead; review the high and medium findings of every golden
// that changed.
func TestRealCorpus(t *testing.T) {
	messages, err := filepath.Glob(filepath.Join(realDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(messages) == 0 {
		t.Fatalf("no messages in %s", realDir)
	}
	checkProvenance(t, messages)
	if !*update {
		checkNoOrphanGoldens(t, messages)
	}
	for _, path := range messages {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := analyseForGolden(t, name, data)
			goldenPath := filepath.Join(realDir, "golden", strings.TrimSuffix(name, ".eml")+".json")
			if *update {
				writeGolden(t, goldenPath, got)
				return
			}
			wantJSON, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("no golden record for %s (run go test -run TestRealCorpus -update . and review it): %v", name, err)
			}
			var want golden
			dec := json.NewDecoder(bytes.NewReader(wantJSON))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("%s: %v", goldenPath, err)
			}
			if !goldenEqual(got, want) {
				gotJSON, _ := json.MarshalIndent(got, "", "  ")
				t.Errorf("analysis changed for %s\n got: %s\nwant: %s", name, gotJSON, wantJSON)
			}
		})
	}
	if *update {
		removeOrphanGoldens(t, messages)
	}
}

// analyseForGolden runs the analysis with fixed, offline options and
// reduces the report to its golden summary.
func analyseForGolden(t *testing.T, name string, data []byte) golden {
	t.Helper()
	rep, err := authlens.AnalyzeBytes(context.Background(), data, authlens.Options{
		Source: name,
		Now:    func() time.Time { return corpusNow },
	})
	if err != nil {
		if rep == nil || rep.Error == "" {
			t.Fatalf("error without a report: %v", err)
		}
		return golden{Error: rep.Error}
	}
	g := golden{}
	if rep.Verdict != nil {
		g.Verdict = string(rep.Verdict.Status)
		g.Basis = rep.Verdict.Basis
	}
	if rep.Received != nil {
		g.EntryIP = rep.Received.EntryClientIP
	}
	for _, f := range rep.Findings {
		g.Findings = append(g.Findings, goldenFinding{Severity: string(f.Severity), Code: string(f.Code)})
	}
	slices.SortStableFunc(g.Findings, func(a, b goldenFinding) int {
		return cmp.Or(-cmp.Compare(rank(a.Severity), rank(b.Severity)), cmp.Compare(a.Code, b.Code))
	})
	return g
}

// rank orders severities from info (0) to high (3).
func rank(s string) int {
	return finding.Severity(s).Rank()
}

func goldenEqual(a, b golden) bool {
	return a.Error == b.Error && a.Verdict == b.Verdict && a.Basis == b.Basis &&
		a.EntryIP == b.EntryIP && slices.Equal(a.Findings, b.Findings)
}

func writeGolden(t *testing.T, path string, g golden) {
	t.Helper()
	data, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goldenNames lists the golden records present, by message file name.
func goldenNames(t *testing.T) []string {
	t.Helper()
	goldens, err := filepath.Glob(filepath.Join(realDir, "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(goldens))
	for _, g := range goldens {
		names = append(names, strings.TrimSuffix(filepath.Base(g), ".json")+".eml")
	}
	return names
}

// checkNoOrphanGoldens fails for a golden record whose message is gone.
func checkNoOrphanGoldens(t *testing.T, messages []string) {
	t.Helper()
	have := baseNames(messages)
	for _, name := range goldenNames(t) {
		if !have[name] {
			t.Errorf("golden record %s has no message %s", strings.TrimSuffix(name, ".eml")+".json", name)
		}
	}
}

// removeOrphanGoldens deletes, under -update, golden records whose message
// is gone.
func removeOrphanGoldens(t *testing.T, messages []string) {
	t.Helper()
	have := baseNames(messages)
	for _, name := range goldenNames(t) {
		if !have[name] {
			if err := os.Remove(filepath.Join(realDir, "golden", strings.TrimSuffix(name, ".eml")+".json")); err != nil {
				t.Error(err)
			}
		}
	}
}

func baseNames(paths []string) map[string]bool {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		m[filepath.Base(p)] = true
	}
	return m
}

// checkProvenance checks that PROVENANCE.md has exactly one table row per
// message, naming a repository, a path, the 40-hex commit of the file and a
// licence whose text is kept under licenses/.
func checkProvenance(t *testing.T, messages []string) {
	t.Helper()
	f, err := os.Open(filepath.Join(realDir, "PROVENANCE.md"))
	if err != nil {
		t.Fatalf("provenance table: %v", err)
	}
	defer f.Close()
	have := baseNames(messages)
	listed := map[string]bool{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		cells := tableCells(sc.Text())
		if len(cells) < 6 || !strings.HasSuffix(strings.Trim(cells[0], "`"), ".eml") {
			continue
		}
		name, repo, path, commit, licence := strings.Trim(cells[0], "`"), strings.Trim(cells[1], "`"), cells[2], strings.Trim(cells[3], "`"), cells[4]
		where := "PROVENANCE.md line " + strconv.Itoa(line)
		switch {
		case listed[name]:
			t.Errorf("%s: %s is listed twice", where, name)
		case !have[name]:
			t.Errorf("%s: %s is listed but not in %s", where, name, realDir)
		}
		listed[name] = true
		owner, repoName, ok := strings.Cut(repo, "/")
		if !ok || path == "" || licence == "" {
			t.Errorf("%s: repository %q, path %q or licence %q missing", where, repo, path, licence)
		}
		if len(commit) != 40 || strings.Trim(commit, "0123456789abcdef") != "" {
			t.Errorf("%s: commit %q is not a 40-hex commit", where, commit)
		}
		if _, err := os.Stat(filepath.Join(realDir, "licenses", owner+"-"+repoName+".txt")); err != nil {
			t.Errorf("%s: no licence text for %s: %v", where, repo, err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for name := range have {
		if !listed[name] {
			t.Errorf("%s is not listed in PROVENANCE.md", name)
		}
	}
}

// tableCells splits a Markdown table row into trimmed cells; nil when the
// line is not a row.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil
	}
	cells := strings.Split(line[1:len(line)-1], "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// BenchmarkAnalyzeRealCorpus analyzes every message of the real corpus
// offline, in place, as a batch scan does; one iteration is one message.
func BenchmarkAnalyzeRealCorpus(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join(realDir, "*.eml"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no messages in %s: %v", realDir, err)
	}
	msgs := make([][]byte, len(paths))
	total := 0
	for i, p := range paths {
		if msgs[i], err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
		total += len(msgs[i])
	}
	ctx := context.Background()
	b.SetBytes(int64(total / len(msgs)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// A message the analysis refuses (a deliberate size limit) is
		// part of the corpus too.
		_, _ = authlens.AnalyzeBytes(ctx, msgs[i%len(msgs)], authlens.Options{})
		i++
	}
}
