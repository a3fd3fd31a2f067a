// Command gencorpus writes a reproducible mbox corpus for benchmarking
// authlens: messages of 2 to 200 KB, multipart, DKIM-signed with RSA-2048
// and Ed25519 keys, carrying the Authentication-Results headers of several
// receivers (Gmail, Microsoft 365 with compauth and antispam fields,
// Fastmail's one field per method, a forged lower field, ARC sets). Beside
// the mbox it writes an RFC 1035 zone file with the DKIM keys and the SPF
// and DMARC records of every sending domain, for online runs.
//
// Usage:
//
//	go run ./bench/gencorpus -n 5000 -seed 1 -out DIR
//	go run ./bench/gencorpus -mb 600 -seed 1 -out DIR
//
// The same flags always give the same bytes.
package main

import (
	"bufio"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

//go:embed rsa2048.pem
var rsaPEM []byte

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func run() error {
	n := flag.Int("n", 5000, "number of messages")
	mb := flag.Int64("mb", 0, "write messages until the mbox holds this many MiB (overrides -n)")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "output directory (required)")
	flag.Parse()
	if *out == "" {
		return errors.New("-out DIR is required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	keys, err := loadKeys(*seed)
	if err != nil {
		return err
	}
	g := newGenerator(rand.New(rand.NewPCG(*seed, 0x61757468)), keys)
	f, err := os.Create(filepath.Join(*out, "corpus.mbox"))
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var written int64
	count := 0
	for i := 0; ; i++ {
		if *mb > 0 && written >= *mb<<20 {
			break
		}
		if *mb <= 0 && i >= *n {
			break
		}
		m, err := g.message(i)
		if err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
		k, err := writeMbox(w, m)
		if err != nil {
			return err
		}
		written += k
		count++
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "corpus.zone"), g.zone(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gencorpus: %d messages, %d bytes in %s\n", count, written, filepath.Join(*out, "corpus.mbox"))
	return nil
}

// keys are the signing keys of every domain of the corpus.
type keys struct {
	rsa *rsa.PrivateKey
	ed  ed25519.PrivateKey
}

// loadKeys returns the fixed RSA-2048 test key and an Ed25519 key derived
// from the seed.
func loadKeys(seed uint64) (keys, error) {
	block, _ := pem.Decode(rsaPEM)
	if block == nil {
		return keys{}, errors.New("embedded RSA key: no PEM block")
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return keys{}, fmt.Errorf("embedded RSA key: %w", err)
	}
	var edSeed [ed25519.SeedSize]byte
	r := rand.New(rand.NewPCG(seed, 0x6564))
	for i := range edSeed {
		edSeed[i] = byte(r.UintN(256))
	}
	return keys{rsa: k, ed: ed25519.NewKeyFromSeed(edSeed[:])}, nil
}

func (k keys) signer(ed bool) crypto.Signer {
	if ed {
		return k.ed
	}
	return k.rsa
}
