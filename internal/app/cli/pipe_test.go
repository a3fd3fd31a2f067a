package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// pipeInputs are written into a pipe or FIFO; each must come out whole:
// its first bytes decide the format, so losing them to a first look
// would make the message empty or unsupported.
var pipeInputs = []struct {
	name    string
	content string
	sources int // records expected
}{
	{"message", msg(1, "a.example", "pass"), 1},
	{"mbox", fromLine + msg(1, "a.example", "pass") + "\n" + fromLine + msg(2, "b.example", "fail") + "\n", 2},
}

// checkPipeOutput asserts that the JSON records read from path are every
// message of content, analysed, with path as their source.
func checkPipeOutput(t *testing.T, path, out, stderr string, code, records int) {
	t.Helper()
	if code != 0 {
		t.Fatalf("exit %d, stderr %q, out %s", code, stderr, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != records {
		t.Fatalf("%d records, want %d:\n%s", len(lines), records, out)
	}
	for i, l := range lines {
		var rec struct {
			Source string
			Error  string
			From   struct{ Domain string }
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if rec.Error != "" || !strings.HasPrefix(rec.Source, path) || !strings.HasSuffix(rec.From.Domain, ".example") {
			t.Errorf("record %d = %+v, want an analysed message from %s", i, rec, path)
		}
	}
}

// writePipe writes content to w in the background and closes it.
func writePipe(t *testing.T, w *os.File, content string) {
	t.Helper()
	go func() {
		w.WriteString(content)
		w.Close()
	}()
}

// TestPipeAsPath: a pipe named by /dev/fd/N or /proc/self/fd/N, as the
// shell's <(command) gives it, is read once.
func TestPipeAsPath(t *testing.T) {
	for _, dir := range []string{"/dev/fd", "/proc/self/fd"} {
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("%s: %v", dir, err)
		}
		for _, in := range pipeInputs {
			t.Run(dir+"/"+in.name, func(t *testing.T) {
				r, w, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				writePipe(t, w, in.content)
				path := fmt.Sprintf("%s/%d", dir, r.Fd())
				out, stderr, code := run(t, "", "--format=json", path)
				checkPipeOutput(t, path, out, stderr, code, in.sources)
			})
		}
	}
}

// TestDevStdin: "cat m.eml | authlens /dev/stdin" reads the pipe on file
// descriptor 0 once. The test puts a pipe there for the duration of the
// call.
func TestDevStdin(t *testing.T) {
	if _, err := os.Stat("/dev/stdin"); err != nil {
		t.Skipf("/dev/stdin: %v", err)
	}
	for _, in := range pipeInputs {
		t.Run(in.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			saved, err := syscall.Dup(0)
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Dup2(int(r.Fd()), 0); err != nil {
				t.Fatal(err)
			}
			defer func() {
				syscall.Dup2(saved, 0)
				syscall.Close(saved)
			}()
			writePipe(t, w, in.content)
			out, stderr, code := run(t, "", "--format=json", "/dev/stdin")
			checkPipeOutput(t, "/dev/stdin", out, stderr, code, in.sources)
		})
	}
}

// TestNamedFIFO: a named pipe is opened and read once.
func TestNamedFIFO(t *testing.T) {
	for _, in := range pipeInputs {
		t.Run(in.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.fifo")
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			go func() {
				// Opening for writing waits for the reader, as a shell's
				// "cat m.eml > in.fifo" does.
				w, err := os.OpenFile(path, os.O_WRONLY, 0)
				if err != nil {
					return
				}
				w.WriteString(in.content)
				w.Close()
			}()
			out, stderr, code := run(t, "", "--format=json", path)
			checkPipeOutput(t, path, out, stderr, code, in.sources)
		})
	}
}
