package mailbox

import (
	"math/bits"
	"sync"
)

// Size classes of pooled message buffers: powers of two from 4 KiB to
// 16 MiB. Larger messages get buffers of their own.
const (
	minClassShift = 12
	numClasses    = 13
)

// bufferPool recycles the message buffers of one scan, so that a scan
// whose caller hands messages back with [Message.Release] allocates about
// as many buffers as it has messages in flight, not one per message. It is
// safe for concurrent use: messages are often released by other
// goroutines than the scanning one. Unlike a sync.Pool, it keeps its
// buffers across garbage collections, up to maxFreeBytes.
type bufferPool struct {
	mu    sync.Mutex
	free  [numClasses][][]byte // buffers with cap 1<<(minClassShift+k)
	bytes int                  // total capacity of the free buffers
}

// maxFreeBytes bounds the memory a bufferPool keeps for reuse.
const maxFreeBytes = 32 << 20

// class returns the size class that holds n bytes, or -1 when n is too
// large to pool.
func class(n int) int {
	if n <= 1<<minClassShift {
		return 0
	}
	k := bits.Len(uint(n-1)) - minClassShift
	if k >= numClasses {
		return -1
	}
	return k
}

// get returns a buffer of length n. A nil pool allocates.
func (p *bufferPool) get(n int) []byte {
	k := class(n)
	if p == nil || k < 0 {
		return make([]byte, n)
	}
	p.mu.Lock()
	if l := len(p.free[k]); l > 0 {
		b := p.free[k][l-1]
		p.free[k] = p.free[k][:l-1]
		p.bytes -= cap(b)
		p.mu.Unlock()
		return b[:n]
	}
	p.mu.Unlock()
	return make([]byte, n, 1<<(minClassShift+k))
}

// put makes b available to a later get. Buffers that get did not size,
// and buffers beyond maxFreeBytes, are dropped.
func (p *bufferPool) put(b []byte) {
	k := class(cap(b))
	if p == nil || k < 0 || cap(b) != 1<<(minClassShift+k) {
		return
	}
	p.mu.Lock()
	if p.bytes+cap(b) <= maxFreeBytes {
		p.free[k] = append(p.free[k], b[:0])
		p.bytes += cap(b)
	}
	p.mu.Unlock()
}
