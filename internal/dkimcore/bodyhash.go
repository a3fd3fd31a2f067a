package dkimcore

import (
	"crypto"
	"fmt"
	"hash"
	"io"
	"sync"
)

// BodySpec names one body hash to compute: the body canonicalization, the
// hash function and how many canonical bytes to hash.
type BodySpec struct {
	// Canon is the body canonicalization (the part of c= after "/").
	Canon Canonicalization
	// Hash is the hash function of the signature algorithm.
	Hash crypto.Hash
	// Length is the l= value: how many bytes of the canonical body are
	// hashed. A negative Length hashes the whole body.
	Length int64
}

// BodyHash is the outcome of hashing a body for one [BodySpec].
type BodyHash struct {
	// Sum is the hash of the canonical body, limited to Length bytes.
	Sum []byte
	// CanonicalLength is the length of the whole canonical body, which
	// may exceed the hashed part when the spec has a Length.
	CanonicalLength int64
}

// HashBody reads the body from r once and computes one hash per spec
// (RFC 6376, section 3.7: the body hash is the hash of the canonical body,
// truncated to l= bytes when l= is given). Each canonicalization runs once
// and each distinct spec is hashed once, however many specs repeat it, and
// the body is streamed: memory stays bounded whatever its size. The only
// errors are read errors from r and unavailable hash functions.
func HashBody(r io.Reader, specs []BodySpec) ([]BodyHash, error) {
	var bh bodyHasher
	idx := make([]int, len(specs))
	for i, s := range specs {
		j, err := bh.add(s)
		if err != nil {
			return nil, err
		}
		idx[i] = j
	}
	if err := bh.run(r); err != nil {
		return nil, err
	}
	out := make([]BodyHash, len(specs))
	for i := range specs {
		out[i] = bh.result(idx[i])
	}
	return out, nil
}

// bodyHasher computes several body hashes over one pass of the body.
type bodyHasher struct {
	specs  []BodySpec
	sinks  []bodySink
	canons [2]*canonRun // simple, relaxed
	sums   [][]byte
}

type bodySink struct {
	h         hash.Hash
	remaining int64 // bytes still to hash; negative means all
}

type canonRun struct {
	c     bodyCanon
	sinks []int
	buf   *[]byte
}

var canonBufPool = sync.Pool{New: func() any {
	b := make([]byte, 0, canonBufSize)
	return &b
}}

// add registers s and returns its index among the distinct specs.
func (bh *bodyHasher) add(s BodySpec) (int, error) {
	if s.Length < 0 {
		s.Length = -1
	}
	if s.Canon != CanonRelaxed {
		s.Canon = CanonSimple
	}
	for i, t := range bh.specs {
		if t == s {
			return i, nil
		}
	}
	if !s.Hash.Available() {
		return 0, fmt.Errorf("%w: hash function %v not available", ErrUnsupportedAlgorithm, s.Hash)
	}
	bh.specs = append(bh.specs, s)
	bh.sinks = append(bh.sinks, bodySink{h: s.Hash.New(), remaining: s.Length})
	k := 0
	if s.Canon == CanonRelaxed {
		k = 1
	}
	if bh.canons[k] == nil {
		bh.canons[k] = &canonRun{}
	}
	bh.canons[k].sinks = append(bh.canons[k].sinks, len(bh.sinks)-1)
	return len(bh.specs) - 1, nil
}

// run streams the body from r through every canonicalization.
func (bh *bodyHasher) run(r io.Reader) error {
	if len(bh.specs) == 0 {
		return nil
	}
	var ws []io.Writer
	for k, run := range bh.canons {
		if run == nil {
			continue
		}
		run.buf = canonBufPool.Get().(*[]byte)
		run.c.reset(k == 1, *run.buf, func(b []byte) {
			for _, si := range run.sinks {
				s := &bh.sinks[si]
				switch {
				case s.remaining < 0:
					s.h.Write(b)
				case s.remaining > 0:
					n := int64(len(b))
					if n > s.remaining {
						n = s.remaining
					}
					s.h.Write(b[:n])
					s.remaining -= n
				}
			}
		})
		ws = append(ws, &run.c)
	}
	var w io.Writer
	if len(ws) == 1 {
		w = ws[0]
	} else {
		w = io.MultiWriter(ws...)
	}
	_, err := io.Copy(w, r)
	for _, run := range bh.canons {
		if run != nil {
			run.c.Close()
			*run.buf = run.c.buf[:0]
			canonBufPool.Put(run.buf)
			run.c.buf = nil
		}
	}
	if err != nil {
		return fmt.Errorf("dkim: reading body: %w", err)
	}
	bh.sums = make([][]byte, len(bh.sinks))
	for i := range bh.sinks {
		bh.sums[i] = bh.sinks[i].h.Sum(nil)
	}
	return nil
}

// result returns the hash of distinct spec i after run.
func (bh *bodyHasher) result(i int) BodyHash {
	s := bh.specs[i]
	k := 0
	if s.Canon == CanonRelaxed {
		k = 1
	}
	return BodyHash{Sum: bh.sums[i], CanonicalLength: bh.canons[k].c.n}
}
