package trust

import (
	"reflect"
	"testing"
)

// countingBlock counts how often each field's value is read.
type countingBlock struct {
	block
	reads map[int]int
}

func (h countingBlock) Value(i int) string {
	h.reads[i]++
	return h.block.Value(i)
}

// TestWithReceived checks that Read parses each Received field once, that
// a caller's ReceivedHeader serves the hops Read and the caller share, and
// that the boundary is the same as with a plain Header.
func TestWithReceived(t *testing.T) {
	const text = `Received: from mx.example.org (mx.example.org [192.0.2.7]) by mail.example.net with ESMTP; Mon, 1 Jan 2024 00:00:02 +0000
Authentication-Results: mail.example.net; spf=pass smtp.mailfrom=example.org
Received: from out.example.org (out.example.org [198.51.100.2]) by mx.example.org with ESMTP; Mon, 1 Jan 2024 00:00:01 +0000
Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.org
From: a@example.org`
	plain := parse(t, text)
	want := Read(plain, Options{})

	h := countingBlock{plain, map[int]int{}}
	rh := WithReceived(h)
	if WithReceived(rh) != rh {
		t.Error("WithReceived wrapped a ReceivedHeader again")
	}
	got := Read(rh, Options{})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("boundary through WithReceived:\n%+v\nwant\n%+v", got, want)
	}
	// The caller traces the chain after Read: the hops are the ones Read
	// parsed, and no Received field was read twice.
	for _, i := range []int{0, 2} {
		if p := rh.Received(i); p.Err != nil || p.Hop == nil || p.Hop.By == "" {
			t.Errorf("field %d: %+v", i, p)
		}
		if h.reads[i] != 1 {
			t.Errorf("Received field %d read %d times, want once", i, h.reads[i])
		}
	}
}
