package bounce

import (
	"bufio"
	"bytes"
	"io"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchInputs are a real report and inputs built to make careless
// parsing quadratic: brackets with no address, unclosed style elements,
// a diagnostic folded over thousands of lines, thousands of recipients.
func benchInputs(b *testing.B) map[string][]byte {
	real, err := os.ReadFile(filepath.Join("..", "testdata", "bounce-postfix-gmail-5.7.26.eml"))
	if err != nil {
		b.Fatal(err)
	}
	const n = 200000
	return map[string][]byte{
		"real-dsn":   real,
		"brackets":   []byte("Subject: Undeliverable: x\n\n" + strings.Repeat("<", n) + ">\n550 5.7.1 x\n"),
		"style":      []byte("Subject: Undeliverable: x\nContent-Type: text/html\n\n" + strings.Repeat("<style>", n/7) + "\n550 5.7.1 x\n"),
		"folded":     []byte("Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: a@b\nDiagnostic-Code: x\n" + strings.Repeat(" 550-5.7.1 y\n", n/13)),
		"recipients": []byte("Subject: Undeliverable: x\n\n" + strings.Repeat("<a@b.c>: 550 5.7.26 dmarc\n", n/26)),
	}
}

// BenchmarkParseMessage measures ParseMessage against a baseline that
// makes one linear pass over the same bytes (textproto reads the header,
// the body is lower-cased and its lines counted), and reports the ratio: it should stay a small constant for every input,
// the pathological ones included.
func BenchmarkParseMessage(b *testing.B) {
	for name, data := range benchInputs(b) {
		var base, parse float64
		b.Run(name+"/baseline", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
				tp.ReadMIMEHeader()
				body, _ := io.ReadAll(tp.R)
				_ = strings.Count(strings.ToLower(string(body)), "\n")
			}
			base = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		})
		b.Run(name+"/parse", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				ParseMessage(bytes.NewReader(data))
			}
			parse = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if base > 0 {
				b.ReportMetric(parse/base, "x-baseline")
			}
		})
	}
}
