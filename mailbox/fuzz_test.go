package mailbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

// FuzzSplitMbox checks that splitting never panics and loses nothing: the
// From_ lines, messages (with quoting put back) and separator lines add up
// to the whole input, in order.
func FuzzSplitMbox(f *testing.F) {
	f.Add([]byte(msgA + "\n" + from2 + msgB))
	f.Add([]byte("Subject: q\n\n>From a\n>>From b\n\n" + from2 + "\n"))
	f.Add([]byte(cl2Header + cl2Body + "\n" + from2 + msgB))
	f.Add([]byte("Content-Length: 5\n\nbody\n" + from2 + "Content-Length: 0\n\n"))
	f.Add([]byte(crlf(msgA + "\n" + from2 + msgB)))
	f.Add([]byte("\n" + from2 + "\n" + from1))
	f.Add([]byte("Subject: q\n\nFa F b FF >F From: F\nF > >> >F\n>>>From x\nb >From c\n\n" + from2 + "\n"))
	f.Add(benchMbox(1, 4)[:6000])
	f.Fuzz(func(t *testing.T, data []byte) {
		in := append([]byte(from1), data...)
		for _, size := range []int{16, 64, bufferSize} {
			checkSplit(t, in, size)
			for _, u := range []Unquote{UnquoteMboxrd, UnquoteMboxo, UnquoteNone} {
				checkBodyLines(t, in, size, Options{Unquote: u})
			}
			for _, max := range []int64{1, 40, 200, 1000} {
				checkBodyLines(t, in, size, Options{MaxMessageSize: max})
			}
		}
		// The whole scan must not panic either.
		for range All(context.Background(), []string{"-"}, Options{Stdin: bytes.NewReader(data)}) {
		}
	})
}

func checkSplit(t *testing.T, in []byte, bufSize int) {
	sp := newMboxSplitter(bufio.NewReaderSize(bytes.NewReader(in), bufSize), Options{}, nil)
	var pos int64
	for m, ok := sp.next(); ok; m, ok = sp.next() {
		pos += m.envLen
		if m.start != pos {
			t.Fatalf("buffer %d: message starts at %d, want %d", bufSize, m.start, pos)
		}
		if m.sep < 0 || m.sep > 2 {
			t.Fatalf("buffer %d: separator of %d bytes", bufSize, m.sep)
		}
		raw := in[m.start : m.start+m.size]
		if m.err == nil || errors.Is(m.err, ErrTruncated) {
			if want := refUnquote(raw, m.format != FormatMboxCL2); !bytes.Equal(m.data, want) {
				t.Fatalf("buffer %d: message at %d:\n%q\nwant\n%q", bufSize, m.start, m.data, want)
			}
		} else if !errors.Is(m.err, ErrEmpty) || m.size != 0 {
			t.Fatalf("buffer %d: message at %d: unexpected error %v", bufSize, m.start, m.err)
		}
		pos += m.size + int64(m.sep)
	}
	if pos != int64(len(in)) {
		t.Fatalf("buffer %d: messages account for %d of %d bytes", bufSize, pos, len(in))
	}
}

// checkBodyLines checks that reading header and body lines in bulk splits
// exactly as reading every line singly does, under the unquoting rule and
// size limit of opts, the bulk reader drawing its buffers from a pool.
func checkBodyLines(t *testing.T, in []byte, bufSize int, opts Options) {
	fast := newMboxSplitter(bufio.NewReaderSize(bytes.NewReader(in), bufSize), opts, &bufferPool{})
	slow := newMboxSplitter(bufio.NewReaderSize(bytes.NewReader(in), bufSize), opts, nil)
	slow.lineByLine = true
	for i := 0; ; i++ {
		a, okA := fast.next()
		b, okB := slow.next()
		if okA != okB {
			t.Fatalf("buffer %d: message %d exists only in one split (bulk %v)", bufSize, i, okA)
		}
		if !okA {
			return
		}
		if a.envelope != b.envelope || a.envLen != b.envLen || a.start != b.start || a.size != b.size ||
			a.sep != b.sep || a.removed != b.removed || a.format != b.format || !bytes.Equal(a.data, b.data) ||
			fmt.Sprint(a.err) != fmt.Sprint(b.err) {
			t.Fatalf("buffer %d, %+v: message %d differs:\nbulk %+v\nline %+v", bufSize, opts, i, a, b)
		}
	}
}

// refUnquote is a plain reference for mboxrd unquoting.
func refUnquote(raw []byte, unquote bool) []byte {
	out := []byte{}
	for len(raw) > 0 {
		line, rest, _ := cutLine(raw)
		raw = rest
		if unquote && len(line) > 0 && line[0] == '>' && bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
			line = line[1:]
		}
		out = append(out, line...)
	}
	return out
}
