package batch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/mailbox"
)

// sliceSource is a Source over messages held in memory.
type sliceSource struct {
	msgs []*mailbox.Message
	i    int
}

func (s *sliceSource) Next() bool {
	s.i++
	return s.i <= len(s.msgs)
}

// Message returns a copy of the current message, so that Run's Release
// leaves the corpus intact for the next pass.
func (s *sliceSource) Message() *mailbox.Message {
	m := *s.msgs[s.i-1]
	return &m
}
func (s *sliceSource) Err() error { return nil }

// benchCorpus returns the messages of the mbox named by AUTHLENS_CORPUS
// (written by bench/gencorpus), or, without it, the repository's sample
// messages with bodies padded to about 40 KB, repeated to 400 messages.
func benchCorpus(b *testing.B) []*mailbox.Message {
	b.Helper()
	var msgs []*mailbox.Message
	if path := os.Getenv("AUTHLENS_CORPUS"); path != "" {
		for m, err := range mailbox.All(context.Background(), []string{path}, mailbox.Options{}) {
			if err != nil {
				b.Fatal(err)
			}
			msgs = append(msgs, m)
		}
		return msgs
	}
	files, _ := filepath.Glob("../../../testdata/*.eml")
	if len(files) == 0 {
		b.Skip("no sample messages in testdata")
	}
	pad := bytes.Repeat([]byte("lorem ipsum dolor sit amet, consectetur adipiscing elit\r\n"), 700)
	for len(msgs) < 400 {
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			data = append(data, pad...)
			msgs = append(msgs, &mailbox.Message{Location: mailbox.Location{Path: f, Index: len(msgs) + 1}, Size: int64(len(data)), Data: data})
		}
	}
	return msgs
}

// BenchmarkAnalyze measures authlens.AnalyzeBytes alone, one message at a
// time, with the body check of a scan (failed) and of a single message
// (all).
func BenchmarkAnalyze(b *testing.B) {
	msgs := benchCorpus(b)
	ctx := context.Background()
	for _, mode := range []authlens.BodyCheckMode{authlens.BodyCheckFailed, authlens.BodyCheckAll} {
		b.Run("body="+string(mode), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m := msgs[i%len(msgs)]
				i++
				if _, err := authlens.AnalyzeBytes(ctx, m.Data, authlens.Options{Source: m.Location.String(), BodyCheck: mode}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRun measures the pool on the whole corpus, per job count.
func BenchmarkRun(b *testing.B) {
	msgs := benchCorpus(b)
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				n := 0
				err := Run(context.Background(), &sliceSource{msgs: msgs}, Config{Jobs: jobs}, func(*Item) error {
					n++
					return nil
				})
				if err != nil || n != len(msgs) {
					b.Fatalf("%d items, %v", n, err)
				}
			}
			b.ReportMetric(float64(len(msgs)*b.N)/b.Elapsed().Seconds(), "msg/s")
		})
	}
}
