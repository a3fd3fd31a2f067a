package authlens

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeGoBlocks compiles every ```go block of README.md, so that the
// library snippets a Go user reads first stay correct as the API changes.
// Each block must be a whole program (package main, its imports, func
// main); it is written to its own directory and checked with go vet, which
// type-checks it against this module.
func TestReadmeGoBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	gobin, err := exec.LookPath("go") // go test puts GOROOT/bin first in PATH
	if err != nil {
		t.Skip("no go command to compile the README with")
	}
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(string(data))
	if len(blocks) < 2 {
		t.Fatalf("README.md has %d Go blocks, want the library snippets (at least 2)", len(blocks))
	}
	for _, b := range blocks {
		t.Run("line "+b.line, func(t *testing.T) {
			if !strings.HasPrefix(b.code, "package main\n") {
				t.Fatalf("README.md:%s: a Go block must be a whole program starting with \"package main\"", b.line)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(b.code), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(gobin, "vet", filepath.Join(dir, "main.go"))
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				t.Errorf("README.md:%s does not compile: %v\n%s", b.line, err, out.String())
			}
		})
	}
}

// goBlock is one fenced Go block and the line its code starts on.
type goBlock struct{ line, code string }

// goBlocks returns the ```go blocks of a Markdown text.
func goBlocks(md string) []goBlock {
	var out []goBlock
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		start := i + 1
		var code strings.Builder
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			code.WriteString(lines[i] + "\n")
		}
		out = append(out, goBlock{line: strconv.Itoa(start + 1), code: code.String()})
	}
	return out
}
