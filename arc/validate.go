package arc

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// clockSkew is how far in the future a seal's t= may lie before it is
// flagged, for sealers whose clocks are off.
const clockSkew = 24 * time.Hour

// readerPool holds the buffered readers messages are read through, so a
// batch of messages does not allocate one per message.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 32<<10) }}

// Validate reads a message from msg and validates its ARC chain (RFC 8617,
// section 5.2). Keys are fetched through r, which may be nil when
// opts.Offline is set.
//
// A message without header fields has no chain: StatusNone. The error is
// non-nil only when the message cannot be read; it then wraps
// [ErrUnreadableMessage]. Every problem with the chain is reported in the
// Result: Status fail, the instance at fault, a Reason and Err.
func Validate(ctx context.Context, r Resolver, msg io.Reader, opts Options) (*Result, error) {
	br := readerPool.Get().(*bufio.Reader)
	defer func() {
		br.Reset(nil)
		readerPool.Put(br)
	}()
	br.Reset(msg)
	fields, err := header.Read(br, header.Limits{})
	if err != nil && !errors.Is(err, header.ErrEmpty) {
		return nil, fmt.Errorf("%w: %w", ErrUnreadableMessage, err)
	}
	return validate(ctx, r, fields, br, nil, opts)
}

// ValidateMessage is [Validate] for a message whose header block was
// already read: it takes the header fields from m and reads only m.Body.
// parsed lists ARC-Authentication-Results fields the caller has already
// parsed with [authres.ParseARC]; the others are parsed here, so nil is
// fine. The error is non-nil only when a field has no colon or the body
// cannot be read; it then wraps [ErrUnreadableMessage].
func ValidateMessage(ctx context.Context, r Resolver, m *dkim.Message, parsed []ParsedResults, opts Options) (*Result, error) {
	fields := make([]header.Field, len(m.Header))
	for i, f := range m.Header {
		hf, ok := dkimcore.Field(f.Name, f.Raw)
		if !ok {
			return nil, fmt.Errorf("%w: header field %d (%.40q) has no colon", ErrUnreadableMessage, i+1, f.Raw)
		}
		fields[i] = hf
	}
	body := m.Body
	if body == nil {
		body = bytes.NewReader(nil)
	}
	return validate(ctx, r, fields, body, parsed, opts)
}

// validate is Validate once the header block is read.
func validate(ctx context.Context, r Resolver, fields []header.Field, body io.Reader, pre []ParsedResults, opts Options) (*Result, error) {
	c := collect(fields, pre)
	res := &Result{Offline: opts.Offline, NoBody: opts.NoBody}
	if c.err != nil {
		res.fail(c.failedAt, c.err)
		return res, nil
	}
	if len(c.sets) == 0 {
		res.Status, res.Reason, res.Explanation = StatusNone, ReasonNoChain, ReasonNoChain.Description()
		return res, nil
	}
	v := &verifier{r: r, keyc: opts.Keys, fields: fields, c: c, known: opts.Bodies}
	if opts.NoBody {
		v.bodies = make([]bodyState, len(c.sets))
		for i := range c.sets {
			v.bodies[i].err = c.amsErrs[i]
		}
	} else if err := v.hashBodies(body); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadableMessage, err)
	}
	now := time.Now()
	if opts.Now != nil {
		now = opts.Now()
	}
	res.Sets = make([]SetResult, len(c.sets))
	for i := range c.sets {
		s := &c.sets[i]
		sr := &res.Sets[i]
		sr.Set = s
		sr.Instance = s.Instance
		sr.Sealer, sr.Selector, sr.ChainValidation = s.Seal.Domain, s.Seal.Selector, s.Seal.ChainValidation
		sr.SealedAt = s.Seal.Timestamp
		sr.FutureTimestamp = !sr.SealedAt.IsZero() && sr.SealedAt.After(now.Add(clockSkew))
		if m := s.MessageSignature; m != nil {
			sr.SignerDomain, sr.SignerSelector = m.Domain, m.Selector
		}
		sr.BodyIntact = v.bodies[i].intact
		sr.BodyChecked = !opts.NoBody
		sr.Saw = hopView(s.Results)
	}
	v.run(ctx, res, &opts)
	res.setTrust(opts.TrustedSealers)
	return res, nil
}

// run applies RFC 8617, section 5.2, steps 2 to 7, to a chain whose
// structure is sound.
func (v *verifier) run(ctx context.Context, res *Result, opts *Options) {
	sets := v.c.sets
	n := len(sets)
	// RFC 8617, section 5.2, step 2: a newest seal recording cv=fail
	// ends validation.
	if sets[n-1].Seal.ChainValidation == CVFail {
		res.fail(n, fmt.Errorf("%w: i=%d", ErrChainFailed, n))
		return
	}
	// RFC 8617, section 5.2, step 3: cv= is none at i=1 and pass after.
	for i := range sets {
		cv := sets[i].Seal.ChainValidation
		switch {
		case i == 0 && cv != CVNone:
			res.fail(1, fmt.Errorf("%w: i=1 has cv=%s, want none", ErrChainBroken, cv))
			return
		case i > 0 && cv != CVPass:
			res.fail(i+1, fmt.Errorf("%w: i=%d has cv=%s, want pass", ErrChainBroken, i+1, cv))
			return
		}
	}
	amsOK := func(i int) error {
		var err error
		if opts.Offline {
			err = v.checkAMSOffline(i)
		} else {
			err = v.verifyAMS(ctx, i)
			res.Sets[i-1].AMSVerified = err == nil
		}
		res.Sets[i-1].AMSErr = err
		return err
	}
	// A key that could not be fetched (a temporary DNS failure) leaves
	// the chain undecided rather than failed: the checks go on, and only
	// a definite failure elsewhere makes it fail.
	var tempErr error
	tempAt := 0
	undecided := func(i int, err error) bool {
		if !errors.Is(err, ErrKeyUnavailable) {
			return false
		}
		if tempErr == nil {
			tempErr, tempAt = err, i
		}
		return true
	}
	// RFC 8617, section 5.2, step 4: the newest AMS must verify.
	if err := amsOK(n); err != nil && !undecided(n, err) {
		res.fail(n, err)
		return
	}
	// RFC 8617, section 5.2, step 5: walk the older AMSs down from N-1;
	// oldest-pass is the instance above the first one that fails, or 0
	// when none does. Older AMSs failing does not fail the chain: hops
	// are expected to change the message.
	for i := n - 1; i >= 1; i-- {
		if err := amsOK(i); err != nil {
			if undecided(i, err) {
				continue
			}
			res.OldestPass = i + 1
			break
		}
	}
	// RFC 8617, section 5.2, step 6: every seal, newest first, must
	// verify. Offline, only the algorithm is checked.
	for i := n; i >= 1; i-- {
		var err error
		if opts.Offline {
			err = checkAlgorithm(sets[i-1].Seal.Algorithm)
		} else {
			err = v.verifySeal(ctx, i)
			res.Sets[i-1].SealVerified = err == nil
			res.Sets[i-1].SealErr = err
		}
		if err != nil && !undecided(i, err) {
			res.fail(i, err)
			return
		}
	}
	if tempErr != nil {
		res.Status, res.FailedInstance, res.Err = StatusTempError, tempAt, tempErr
		res.Reason, res.Explanation = classify(tempErr)
		res.OldestPass = 0
		return
	}
	// RFC 8617, section 5.2, step 7: the chain passes.
	res.Status, res.Reason, res.Explanation = StatusPass, ReasonPass, ReasonPass.Description()
	switch {
	case res.Offline && res.NoBody:
		res.Explanation = "the chain is well formed; the seals and signatures were not verified (offline), and the body hashes were not checked (no body)"
	case res.Offline:
		res.Explanation = "the chain is well formed and the newest hop's message signature body hash still matches; the seals and signatures were not verified (offline)"
	case res.NoBody:
		res.Explanation = ReasonPass.Description() + "; the body hashes were not checked (no body)"
	}
}

// fail records a failed chain.
func (res *Result) fail(inst int, err error) {
	res.Status = StatusFail
	res.FailedInstance = inst
	res.Err = err
	res.Reason, res.Explanation = classify(err)
	res.OldestPass = 0
}

// hashBodies computes every AMS body hash in one pass over the body
// (RFC 6376, section 3.7, as RFC 8617, section 4.1.2 requires).
func (v *verifier) hashBodies(body io.Reader) error {
	sets := v.c.sets
	v.bodies = make([]bodyState, len(sets))
	var specs []dkimcore.BodySpec
	var idx []int
	for i := range sets {
		m := sets[i].MessageSignature
		if m == nil || m.BodyHash == nil || !isCanon(m.BodyCanon) {
			v.bodies[i].err = v.c.amsErrs[i]
			continue
		}
		specs = append(specs, dkimcore.BodySpec{Canon: dkimcore.Canonicalization(m.BodyCanon), Hash: crypto.SHA256, Length: m.Length})
		idx = append(idx, i)
	}
	if len(specs) == 0 {
		return nil
	}
	sums, ok := v.knownBodies(specs)
	if !ok {
		var err error
		if sums, err = dkimcore.HashBody(body, specs); err != nil {
			return err
		}
	}
	for k, i := range idx {
		m := sets[i].MessageSignature
		b := &v.bodies[i]
		switch {
		case m.Length > sums[k].CanonicalLength:
			b.err = fmt.Errorf("%w: l=%d but the canonical body has %d bytes", ErrBodyHashMismatch, m.Length, sums[k].CanonicalLength)
		case !bytes.Equal(sums[k].Sum, m.BodyHash):
			b.err = fmt.Errorf("%w: i=%d", ErrBodyHashMismatch, i+1)
		default:
			b.intact = true
		}
	}
	return nil
}

// knownBodies returns the hash of every spec from Options.Bodies: that of
// a DKIM signature with the same body canonicalization, hash and l=.
// False when one has none.
func (v *verifier) knownBodies(specs []dkimcore.BodySpec) ([]dkimcore.BodyHash, bool) {
	if len(v.known) == 0 {
		return nil, false
	}
	sums := make([]dkimcore.BodyHash, len(specs))
	for i, sp := range specs {
		found := false
		for _, b := range v.known {
			s := b.Signature
			if s == nil || b.Computed == nil || dkimcore.Canonicalization(s.BodyCanon) != sp.Canon || s.Length != sp.Length {
				continue
			}
			if h, _ := s.Algorithm.Hash(); h != sp.Hash {
				continue
			}
			sums[i], found = dkimcore.BodyHash{Sum: b.Computed, CanonicalLength: b.BodyLength}, true
			break
		}
		if !found {
			return nil, false
		}
	}
	return sums, true
}
