package arc

import (
	"bytes"
	"context"
	"testing"
)

// FuzzParseARCSet parses arbitrary header blocks. Property: no panic, and
// when parsing succeeds every set is complete, numbered 1..N in order, with
// N at most 50; validating the same bytes offline never panics either.
func FuzzParseARCSet(f *testing.F) {
	f.Add([]byte(chainOf(2) + tail))
	f.Add([]byte(fakeSet(1, "none") + tail))
	f.Add([]byte(fakeSet(3, "pass") + fakeSet(1, "none") + tail))
	f.Add([]byte("ARC-Seal: i=1; a=rsa-sha256;; cv=none\r\n\r\n"))
	f.Add([]byte("ARC-Authentication-Results: i=50; x; spf=pass\r\nARC-Message-Signature: i=50; h=\r\n\r\n"))
	f.Add([]byte("ARC-Message-Signature: i=1; a=rsa-sha256; d=a; s=b; h=::; bh=YQ==; b=YQ==; l=3\r\n\r\nab\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sets, err := ParseSets(bytes.NewReader(data))
		if err == nil {
			if len(sets) > maxInstance {
				t.Fatalf("%d sets", len(sets))
			}
			for i, s := range sets {
				if s.Instance != i+1 || s.Instance < 1 || s.Instance > maxInstance {
					t.Fatalf("set %d has instance %d", i, s.Instance)
				}
				if s.Seal == nil || s.MessageSignature == nil || s.Results == nil {
					t.Fatalf("set %d incomplete", s.Instance)
				}
			}
		}
		res, err := Validate(context.Background(), nil, bytes.NewReader(data), Options{Offline: true})
		if err == nil && res.Status == "" {
			t.Fatalf("no status")
		}
	})
}
