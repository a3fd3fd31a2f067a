package mailbox

import (
	"bytes"
	"strings"
	"testing"
)

// naiveFromLine is the reference for indexFromLine: it tries every line
// start in turn.
func naiveFromLine(p []byte) int {
	for j := 0; j < len(p); {
		line := p[j:]
		if q := bytes.TrimLeft(line, ">"); bytes.HasPrefix(q, []byte("From ")) && (len(q) == len(line) || line[0] == '>') {
			return j
		}
		k := bytes.IndexByte(line, '\n')
		if k < 0 {
			break
		}
		j += k + 1
	}
	return -1
}

func TestIndexFromLine(t *testing.T) {
	long := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 3) + "\n"
	tests := []struct {
		in   string
		want int
	}{
		{"", -1},
		{"From ", 0},
		{"From", -1},
		{">From x\n", 0},
		{">>>From x\n", 0},
		{">\n", -1},
		{"> From x\n", -1},
		{"a From x\n", -1},
		{"text\nFrom x\n", 5},
		{"text\nFrom", -1},
		{"text\nFromage\n", -1},
		{"text\n>From x\n", 5},
		{"text\n>> quoted\nFred\n>>From y\n", 20},
		{"\n\nFrom ", 2},
		{"\r\nFrom x\r\n", 2},
		{"F\nF\nFr\nFro\nFrom\nFrom ", 16},
		{long + long + "From x\n", 2 * len(long)},
		{long + ">" + long + "FFFF\n>>>>>>>>\nFrom ", 2*len(long) + 15},
		// A '\n' and an 'F' in the same word but not next to each other,
		// below and above a real line start.
		{"ab\ncdFgh\x01\nFrom x", 10},
		{"a\n\x01From x\nFrom y\n", 10},
		{strings.Repeat("x", 7) + "\nFrom", -1},
		{strings.Repeat("x", 7) + "\nFrom ", 8},
		{strings.Repeat("x", 8) + "\nFrom ", 9},
		{strings.Repeat("x", 15) + "\n>From ", 16},
	}
	for _, tt := range tests {
		if got := indexFromLine([]byte(tt.in)); got != tt.want {
			t.Errorf("indexFromLine(%q) = %d, want %d", tt.in, got, tt.want)
		}
		if got := naiveFromLine([]byte(tt.in)); got != tt.want {
			t.Errorf("naiveFromLine(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
	// Every position and alignment of a line start, in bodies where the
	// search jumps from 'F' to 'F' (text), from space to space (base64),
	// or looks at every line start (both are frequent).
	bodies := map[string]string{
		"base64": strings.Repeat(long, 8),
		"text":   strings.Repeat("account minutes report order update meeting customer review budget\n", 8),
		"dense":  strings.Repeat("Fa F b FF >F From: F\nF > >> >F\n", 20),
		"mixed":  strings.Repeat(long, 2) + strings.Repeat("Fa F b FF >F From: F\nF > >> >F\n", 20) + strings.Repeat(long, 2),
	}
	for name, body := range bodies {
		for pos := 0; pos <= len(body); pos++ {
			for _, mark := range []string{"\nFrom x", "\n>From x", "\n>>From ", "\nFrom", "\nx>From "} {
				in := []byte(body[:pos] + mark + body[pos:])
				if got, want := indexFromLine(in), naiveFromLine(in); got != want {
					t.Fatalf("%s, mark %q at %d: %d, want %d", name, mark, pos, got, want)
				}
			}
		}
	}
}

// FuzzIndexFromLine holds indexFromLine to the same answer as the naive
// search over every line start.
func FuzzIndexFromLine(f *testing.F) {
	f.Add([]byte("text\nFrom x\n"))
	f.Add([]byte("ab\ncdFgh\x01\nFrom x"))
	f.Add([]byte("\n>\n>>From \nF\n"))
	f.Add(benchMbox(1, 2)[:2000])
	f.Fuzz(func(t *testing.T, p []byte) {
		if got, want := indexFromLine(p), naiveFromLine(p); got != want {
			t.Fatalf("indexFromLine(%q) = %d, want %d", p, got, want)
		}
	})
}

// BenchmarkIndexFromLine compares the search for the next From or quoted
// From line, and its word-at-a-time part alone, with bytes.Index for
// "From " (which the reader used before) and for "\nFrom ", and with a
// bytes.IndexByte call per line, over export-like bodies with no such line.
func BenchmarkIndexFromLine(b *testing.B) {
	in := benchMbox(4<<20, 3)
	// Keep the bodies only: drop every line that either search stops at.
	var body []byte
	for line := range bytes.Lines(in) {
		if !bytes.Contains(line, []byte("From ")) && line[0] != '>' {
			body = append(body, line...)
		}
	}
	b.Run("indexFromLine", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if indexFromLine(body) >= 0 {
				b.Fatal("found a From line")
			}
		}
	})
	b.Run("fromLineIn", func(b *testing.B) { // 16 bytes a step throughout
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if fromLineIn(body, 1, len(body)) >= 0 {
				b.Fatal("found a From line")
			}
		}
	})
	b.Run("bytes.Index-From", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if bytes.Index(body, []byte("From ")) >= 0 {
				b.Fatal("found a From line")
			}
		}
	})
	b.Run("bytes.Index-nlFrom", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if bytes.Index(body, []byte("\nFrom ")) >= 0 {
				b.Fatal("found a From line")
			}
		}
	})
	b.Run("IndexByte-lines", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			for p := body; ; {
				i := bytes.IndexByte(p, '\n')
				if i < 0 {
					break
				}
				if quotedOrFrom(p[i+1:]) {
					b.Fatal("found a From line")
				}
				p = p[i+1:]
			}
		}
	})
}
