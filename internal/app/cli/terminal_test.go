//go:build linux

package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/authlens/authlens/internal/app/batch"
)

// openPTY opens a pseudo-terminal pair: the master end, where the test
// types, and the terminal the command reads.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skipf("ptsname: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	go io.Copy(io.Discard, m) // the terminal's echo
	return m, s
}

// TestTerminalPaste: "authlens -" on a terminal says what to do, and one
// Ctrl-D after a pasted block (cursor still at the end of its last line)
// ends the input.
func TestTerminalPaste(t *testing.T) {
	master, tty := openPTY(t)
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), []string{"--format=json", "-"}, tty, &out, &errOut) }()
	paste := "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com\nFrom: a@example.com\nSubject: pasted"
	if _, err := master.WriteString(paste + "\x04"); err != nil { // one Ctrl-D, no line end before it
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		master.Close() // hang up, so that the read fails and Run returns
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
		t.Fatal("one Ctrl-D did not end the input")
	}
	if !strings.Contains(errOut.String(), "paste the message") || !strings.Contains(errOut.String(), "Ctrl-D") {
		t.Errorf("no hint on stderr: %q", errOut.String())
	}
	if !strings.Contains(out.String(), `"address":"a@example.com"`) {
		t.Errorf("report %s", out.String())
	}
}

// TestNoHintOffTerminal: piped input gets no hint.
func TestNoHintOffTerminal(t *testing.T) {
	_, stderr, code := run(t, "From: a@example.com\n", "-")
	if code != 0 || strings.Contains(stderr, "Ctrl-D") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestProgressClearedBeforeReport: the progress line is erased before
// report text reaches the terminal they share.
func TestProgressClearedBeforeReport(t *testing.T) {
	var term bytes.Buffer // what the terminal receives, stderr and stdout alike
	p := batch.NewProgress(&term, 0)
	sw := &screenWriter{w: &term, progress: p}
	time.Sleep(250 * time.Millisecond) // the meter redraws at most every 200ms
	p.Add(100)
	if !strings.Contains(term.String(), "1 messages") {
		t.Fatalf("progress line not drawn: %q", term.String())
	}
	fmt.Fprint(sw, "report\n")
	got := term.String()
	i := strings.LastIndex(got, "\r\x1b[K")
	if i < 0 || !strings.HasPrefix(got[i:], "\r\x1b[Kreport\n") {
		t.Errorf("report written over the progress line: %q", got)
	}
}

// TestTerminalInputOneEOF: after the end of input nothing reads the
// terminal again (which would wait for another Ctrl-D).
func TestTerminalInputOneEOF(t *testing.T) {
	src := &countingReader{chunks: []string{"From: a@example.com\n", "Subject: x"}}
	in := &terminalInput{r: src}
	b, err := io.ReadAll(in)
	if err != nil || string(b) != "From: a@example.com\nSubject: x" {
		t.Fatalf("read %q, %v", b, err)
	}
	if n, err := in.Read(make([]byte, 10)); n != 0 || err != io.EOF || src.reads != 2 {
		t.Errorf("after the end: %d, %v; %d reads of the terminal, want 2", n, err, src.reads)
	}
}

// countingReader hands out chunks as a terminal does, a line at a time,
// and fails the test's expectations by counting reads past the end.
type countingReader struct {
	chunks []string
	reads  int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks = c.chunks[1:]
	return n, nil
}

// TestTerminalPath: a terminal named as a file (/dev/stdin on a terminal)
// gets the hint and ends with one Ctrl-D, as "-" does.
func TestTerminalPath(t *testing.T) {
	master, tty := openPTY(t)
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), []string{"--format=json", tty.Name()}, strings.NewReader(""), &out, &errOut)
	}()
	if _, err := master.WriteString("From: b@example.com\nSubject: typed\x04"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		master.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
		t.Fatal("one Ctrl-D did not end the input")
	}
	if !strings.Contains(errOut.String(), "Ctrl-D") || !strings.Contains(out.String(), `"address":"b@example.com"`) {
		t.Errorf("stderr %q, report %s", errOut.String(), out.String())
	}
}
