package dkim

import (
	"bytes"
	"context"
	"crypto"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	msgauth "github.com/emersion/go-msgauth/dkim"
)

// memResolver answers TXT lookups from memory, so that benchmarks measure
// verification, not DNS.
type memResolver map[string]string

func (m memResolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	if v, ok := m[strings.TrimSuffix(name, ".")]; ok {
		return []string{v}, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrKeyNotFound, name)
}

// benchCorpus is a realistic mix: bodies of 2 to 200 KB, signed with
// rsa-2048 or ed25519 (some with both), relaxed or simple.
func benchCorpus(b *testing.B) ([][]byte, memResolver, int64) {
	b.Helper()
	rsaKey := loadKey(b, "rsa2048.pem")
	edKey := loadKey(b, "ed25519.pem")
	keys := memResolver{
		"rsa._domainkey.example.com": keyRecord(b, rsaKey),
		"ed._domainkey.example.com":  keyRecord(b, edKey),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var msgs [][]byte
	var total int64
	sizes := []int{2 << 10, 5 << 10, 10 << 10, 20 << 10, 50 << 10, 100 << 10, 200 << 10}
	for i := 0; i < 28; i++ {
		var body strings.Builder
		for body.Len() < sizes[i%len(sizes)] {
			n := 10 + rng.IntN(8)
			for w := 0; w < n; w++ {
				body.WriteString(wordList[rng.IntN(len(wordList))])
				body.WriteByte(' ')
			}
			body.WriteString("\r\n")
			if rng.IntN(8) == 0 {
				body.WriteString("\r\n")
			}
		}
		msg := []byte(fmt.Sprintf("Received: from mx.example.net by mx.example.org; Tue, 1 Jul 2025 10:00:00 +0000\r\n"+
			"Received: from client by mx.example.net; Tue, 1 Jul 2025 09:59:59 +0000\r\n"+
			"From: Sender %d <s%d@example.com>\r\nTo: r@example.org\r\nSubject: %s\r\n"+
			"Date: Tue, 1 Jul 2025 09:59:58 +0000\r\nMessage-ID: <%d@example.com>\r\n"+
			"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s",
			i, i, genHeaderValue(rng), i, body.String()))
		sign := func(sel string, k crypto.Signer, c msgauth.Canonicalization) {
			var out bytes.Buffer
			err := msgauth.Sign(&out, bytes.NewReader(msg), &msgauth.SignOptions{
				Domain: "example.com", Selector: sel, Signer: k,
				HeaderCanonicalization: msgauth.CanonicalizationRelaxed, BodyCanonicalization: c,
				HeaderKeys: []string{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"},
			})
			if err != nil {
				b.Fatal(err)
			}
			msg = out.Bytes()
		}
		var canon msgauth.Canonicalization = msgauth.CanonicalizationRelaxed
		if i%4 == 3 {
			canon = msgauth.CanonicalizationSimple
		}
		switch i % 3 {
		case 0:
			sign("rsa", rsaKey, canon)
		case 1:
			sign("ed", edKey, canon)
		case 2: // dual-signed, as RFC 8463 recommends
			sign("rsa", rsaKey, canon)
			sign("ed", edKey, canon)
		}
		msgs = append(msgs, msg)
		total += int64(len(msg))
	}
	return msgs, keys, total
}

// BenchmarkVerify compares this package with go-msgauth/dkim on the same
// messages and in-memory keys. Each op verifies the whole corpus; the
// msgs/s and MB/s metrics are per message and per byte.
func BenchmarkVerify(b *testing.B) {
	msgs, keys, total := benchCorpus(b)
	report := func(b *testing.B) {
		sec := b.Elapsed().Seconds()
		b.ReportMetric(float64(len(msgs)*b.N)/sec, "msgs/s")
		b.ReportMetric(float64(total*int64(b.N))/sec/1e6, "MB/s")
	}
	b.Run("authlens", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		for b.Loop() {
			for _, m := range msgs {
				res, err := Verify(ctx, keys, bytes.NewReader(m), Options{})
				if err != nil || len(res) == 0 || res[0].Status != StatusPass {
					b.Fatalf("%v %v", res, err)
				}
			}
		}
		report(b)
	})
	b.Run("authlens-keycache", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		opts := Options{Keys: NewKeyCache(0)}
		for b.Loop() {
			for _, m := range msgs {
				res, err := Verify(ctx, keys, bytes.NewReader(m), opts)
				if err != nil || len(res) == 0 || res[0].Status != StatusPass {
					b.Fatalf("%v %v", res, err)
				}
			}
		}
		report(b)
	})
	b.Run("go-msgauth", func(b *testing.B) {
		b.ReportAllocs()
		opts := &msgauth.VerifyOptions{LookupTXT: func(name string) ([]string, error) {
			return keys.LookupTXT(context.Background(), name)
		}}
		for b.Loop() {
			for _, m := range msgs {
				v, err := msgauth.VerifyWithOptions(bytes.NewReader(m), opts)
				if err != nil || len(v) == 0 || v[0].Err != nil {
					b.Fatalf("%v %v", v, err)
				}
			}
		}
		report(b)
	})
}

// BenchmarkHashBody measures body canonicalization and hashing alone, on
// prose with single spaces (most mail), on base64 lines (attachments) and on
// text full of tabs and runs of spaces (the slow path of relaxed).
func BenchmarkHashBody(b *testing.B) {
	bodies := []struct{ name, line string }{
		{"prose", "The quick brown fox jumps over the lazy dog, and then it runs away.\r\n"},
		{"base64", "TG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQsIGNvbnNlY3RldHVyIGFkaXBpc2NpbmcgZWxp\r\n"},
		{"spaces", "The quick  brown fox\tjumps over the lazy dog.   \r\n"},
	}
	for _, body := range bodies {
		data := bytes.Repeat([]byte(body.line), 100_000/len(body.line))
		for _, c := range []Canonicalization{CanonSimple, CanonRelaxed} {
			b.Run(body.name+"/"+string(c), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := hashBody(bytes.NewReader(data), []bodySpec{{Canon: c, Hash: crypto.SHA256, Length: -1}}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCanonBody measures body canonicalization without hashing, on
// CRLF and on bare-LF lines (as read from an mbox).
func BenchmarkCanonBody(b *testing.B) {
	bodies := []struct{ name, line string }{
		{"prose", "The quick brown fox jumps over the lazy dog, and then it runs away.\r\n"},
		{"prose-lf", "The quick brown fox jumps over the lazy dog, and then it runs away.\n"},
		{"base64-lf", "TG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQsIGNvbnNlY3RldHVyIGFkaXBpc2NpbmcgZWxp\n"},
		{"spaces", "The quick  brown fox\tjumps over the lazy dog.   \r\n"},
	}
	for _, body := range bodies {
		data := bytes.Repeat([]byte(body.line), 100_000/len(body.line))
		for _, c := range []Canonicalization{CanonSimple, CanonRelaxed} {
			b.Run(body.name+"/"+string(c), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					w := newBodyCanonicalizer(io.Discard, c)
					w.Write(data)
					w.Close()
				}
			})
		}
	}
}
