package dkim

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// crlf ends every line of a canonical header field.
var crlf = []byte("\r\n")

// fieldName is the header field that carries a signature (RFC 6376,
// section 3.5).
const fieldName = "DKIM-Signature"

var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 32<<10) }}

var scratchPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 4<<10)
	return &b
}}

// Verify checks every DKIM-Signature field of the message read from msg
// and returns one Result per field, top to bottom (RFC 6376, section 6.1).
// A message without signatures gives an empty slice: DKIM result "none".
// The error is non-nil only when the message itself cannot be read (a
// broken header block, a read error); problems with one signature go in
// its Result.
//
// Key records are looked up through r, once per selector and domain per
// call. The body is read once, streaming.
func Verify(ctx context.Context, r Resolver, msg io.Reader, opts Options) ([]Result, error) {
	start := time.Now()
	v, err := readAndHash(msg, &opts)
	res, err := verify(ctx, r, v, err)
	opts.log(start, res, err)
	return res, err
}

// VerifyMessage is [Verify] for a message whose header block was already
// read: it takes the header fields from m and reads only m.Body. A
// Message without header fields has no signatures. The error is non-nil
// only when a field has no colon or the body cannot be read.
func VerifyMessage(ctx context.Context, r Resolver, m *Message, opts Options) ([]Result, error) {
	start := time.Now()
	v, err := splitAndHash(m, &opts)
	res, err := verify(ctx, r, v, err)
	opts.log(start, res, err)
	return res, err
}

// log writes the debug line of one call, when a logger is set.
func (o *Options) log(start time.Time, res []Result, err error) {
	if o.Logger != nil {
		o.Logger.Debug("dkim verify", "signatures", len(res), "results", summary(res), "err", err, "duration", time.Since(start))
	}
}

func summary(res []Result) string {
	var b strings.Builder
	for i := range res {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(res[i].Status))
	}
	return b.String()
}

// BodyCheck is the offline verdict on one signature's body hash.
type BodyCheck struct {
	// Index is the field's position among the message's DKIM-Signature
	// fields, 0 being the top-most.
	Index int
	// Signature is the parsed signature; nil when its tag-list does not
	// parse.
	Signature *Signature
	// Intact is true when the body hash computed here equals bh=.
	Intact bool
	// Computed and Expected are the computed body hash and bh=.
	Computed, Expected []byte
	// BodyLength is the length of the canonical body.
	BodyLength int64
	// UnsignedBodyBytes is how many canonical body bytes lie beyond l=.
	UnsignedBodyBytes int64
	// Err says why the body could not be checked (a malformed signature,
	// an unsupported algorithm) or, when not Intact, wraps
	// ErrBodyHashMismatch or ErrBodyTooShort.
	Err error
}

// CheckBodies recomputes the body hash of every DKIM-Signature field of the
// message without DNS and says whether each body is intact (RFC 6376,
// section 3.7). Combined with verdicts recorded at delivery (an
// Authentication-Results field), it tells whether a body was changed since;
// it does not by itself authenticate anything. The error is non-nil only
// when the message cannot be read.
func CheckBodies(msg io.Reader) ([]BodyCheck, error) {
	return bodyChecks(readAndHash(msg, &Options{MaxSignatures: -1}))
}

// CheckMessageBodies is [CheckBodies] for a message whose header block
// was already read: it takes the header fields from m and reads only
// m.Body.
func CheckMessageBodies(m *Message) ([]BodyCheck, error) {
	return bodyChecks(splitAndHash(m, &Options{MaxSignatures: -1}))
}

// bodyChecks turns the body verdicts of v into BodyChecks.
func bodyChecks(v *verifier, err error) ([]BodyCheck, error) {
	if err != nil {
		return nil, err
	}
	res := v.results
	out := make([]BodyCheck, len(res))
	for i := range res {
		r := &res[i]
		bc := BodyCheck{
			Index:             r.Index,
			Signature:         r.Signature,
			Computed:          r.BodyHashComputed,
			Expected:          r.BodyHashExpected,
			BodyLength:        r.BodyLength,
			UnsignedBodyBytes: r.UnsignedBodyBytes,
			Intact:            r.BodyIntact(),
		}
		switch {
		case r.BodyHashComputed == nil:
			bc.Err = r.Err
		case r.Signature.Length > r.BodyLength:
			bc.Intact = false
			bc.Err = fmt.Errorf("%w: l=%d but the canonical body has %d bytes", ErrBodyTooShort, r.Signature.Length, r.BodyLength)
		case !bc.Intact:
			bc.Err = fmt.Errorf("%w: computed %s, bh= says %s", ErrBodyHashMismatch, b64(r.BodyHashComputed), b64(r.BodyHashExpected))
		}
		out[i] = bc
	}
	return out, nil
}

// sigState is one signature during verification.
type sigState struct {
	res   *Result
	field *header.Field
	sig   *Signature
	err   error // decided outcome, if any
	spec  int   // index of the body spec, or -1
	hash  crypto.Hash
}

type keyEntry struct {
	key *Key
	err error
}

// verifier holds the state of one Verify call.
type verifier struct {
	opts    *Options
	fields  []header.Field
	results []Result
	states  []sigState
	specs   []dkimcore.BodySpec
	keys    map[string]keyEntry
	froms   int // From fields in the message
	now     time.Time
	used    []bool
	scratch *[]byte
}

// verify finishes what readAndHash or splitAndHash began, whose outcome
// is v and err.
func verify(ctx context.Context, r Resolver, v *verifier, err error) ([]Result, error) {
	if err != nil {
		return nil, err
	}
	if len(v.states) > 0 {
		v.scratch = scratchPool.Get().(*[]byte)
		v.finish(ctx, r)
		scratchPool.Put(v.scratch)
	}
	return v.results, nil
}

// readAndHash reads the header block, parses and checks the signatures,
// and hashes the body: everything that needs no DNS.
func readAndHash(msg io.Reader, opts *Options) (*verifier, error) {
	br := readerPool.Get().(*bufio.Reader)
	defer func() {
		br.Reset(nil)
		readerPool.Put(br)
	}()
	br.Reset(msg)
	fields, err := header.Read(br, header.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadableMessage, err)
	}
	return hashFields(fields, br, opts)
}

// splitAndHash is readAndHash for a message already split.
func splitAndHash(m *Message, opts *Options) (*verifier, error) {
	fields, body, err := m.split()
	if err != nil {
		return nil, err
	}
	return hashFields(fields, body, opts)
}

// hashFields parses and checks the signatures among fields and hashes body.
func hashFields(fields []header.Field, body io.Reader, opts *Options) (*verifier, error) {
	v := &verifier{opts: opts, fields: fields, now: opts.now()}
	v.prepare()
	if len(v.states) == 0 {
		return v, nil
	}
	if err := v.hashBodies(body); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadableMessage, err)
	}
	return v, nil
}

// prepare parses every signature and runs the checks that need neither
// the body nor DNS (RFC 6376, section 6.1.1).
func (v *verifier) prepare() {
	n := 0
	for i := range v.fields {
		if v.fields[i].Is(fieldName) {
			n++
		}
		if v.fields[i].Is("From") {
			v.froms++
		}
	}
	if n == 0 {
		return
	}
	v.results = make([]Result, n)
	v.states = make([]sigState, n)
	max := v.opts.maxSignatures()
	k := 0
	for i := range v.fields {
		f := &v.fields[i]
		if !f.Is(fieldName) {
			continue
		}
		res := &v.results[k]
		st := &v.states[k]
		*res = Result{Index: k, BodyLength: -1}
		*st = sigState{res: res, field: f, spec: -1}
		v.check(st, k < max)
		if k >= max && st.err == nil {
			st.err = fmt.Errorf("%w: signature %d is beyond the limit of %d", ErrTooManySignatures, k+1, max)
		}
		k++
	}
}

// check parses one signature and applies the checks of RFC 6376, section
// 6.1.1.
func (v *verifier) check(st *sigState, hashBody bool) {
	raw := st.field.RawValue()
	value := string(raw)
	tags, err := dkimcore.ParseTagListInto(value, make(dkimcore.TagList, 0, 12))
	if err != nil {
		st.err = err
		return
	}
	sig, err := signatureFromTags(tags)
	st.sig = sig
	st.res.Signature = sig
	if sig.BodyHash != nil {
		st.res.BodyHashExpected = sig.BodyHash
	}
	if sig.Headers != nil {
		v.fromWarnings(st)
	}
	if err != nil {
		st.err = err
		return
	}
	// RFC 6376, section 6.1.1: v= must be 1.
	if sig.Version != 1 {
		st.err = fmt.Errorf("%w: v=%d", ErrUnsupportedVersion, sig.Version)
		return
	}
	// Body canonicalization and hash: registered whenever known, so that
	// the body verdict is available even when the signature fails for
	// another reason. Signatures beyond MaxSignatures are not hashed, so
	// that a message with many distinct l= values costs no more.
	h, _ := sig.Algorithm.Hash()
	canonOK := isCanon(sig.HeaderCanon) && isCanon(sig.BodyCanon)
	if hashBody && h != 0 && h.Available() && isCanon(sig.BodyCanon) {
		st.hash = h
		st.spec = len(v.specs)
		v.specs = append(v.specs, dkimcore.BodySpec{Canon: dkimcore.Canonicalization(sig.BodyCanon), Hash: h, Length: sig.Length})
	}
	switch {
	case sig.Algorithm == AlgRSASHA1:
		// RFC 8301, section 3.1: verifiers must not consider rsa-sha1
		// signatures valid.
		st.err = fmt.Errorf("%w: a=%s", ErrWeakHash, sig.Algorithm)
		return
	case h == 0:
		st.err = fmt.Errorf("%w: a=%s", ErrUnsupportedAlgorithm, sig.Algorithm)
		return
	case !canonOK:
		st.err = fmt.Errorf("%w: c=%s", ErrUnsupportedAlgorithm, sig.Canonicalization())
		return
	}
	// RFC 6376, section 3.5: q= lists query methods; dns/txt is the only
	// one defined.
	if !hasQueryDNSTXT(sig.QueryMethods) {
		st.err = fmt.Errorf("%w: q=%s has no dns/txt", ErrUnsupportedAlgorithm, strings.Join(sig.QueryMethods, ":"))
		return
	}
	// RFC 6376, section 6.1.1: the domain of i= must be d= or a subdomain
	// of it.
	if !dkimcore.IdentityWithin(sig.Identity, sig.Domain, false) {
		st.err = fmt.Errorf("%w: i=%s, d=%s", ErrIdentityOutsideDomain, sig.Identity, sig.Domain)
		return
	}
	// RFC 6376, section 6.1.1: h= must include From (section 5.4).
	if !st.res.FromSigned {
		st.err = fmt.Errorf("%w: h=%s", ErrFromNotSigned, strings.Join(sig.Headers, ":"))
		return
	}
	// RFC 6376, section 3.5: a signature whose x= has passed may be
	// considered invalid; one whose t= is in the future may be ignored.
	if !sig.Expiration.IsZero() && v.now.After(sig.Expiration) {
		st.err = fmt.Errorf("%w: x=%d (%s) is before %s", ErrExpired, sig.Expiration.Unix(),
			sig.Expiration.Format(time.RFC3339), v.now.UTC().Format(time.RFC3339))
		return
	}
	if !sig.Timestamp.IsZero() && sig.Timestamp.After(v.now) {
		if sig.Timestamp.After(v.now.Add(clockSkew)) {
			st.err = fmt.Errorf("%w: t=%d (%s) is more than %v after %s", ErrFutureTimestamp, sig.Timestamp.Unix(),
				sig.Timestamp.Format(time.RFC3339), clockSkew, v.now.UTC().Format(time.RFC3339))
			return
		}
		st.res.Warnings = append(st.res.Warnings, Warning{WarnFutureTimestamp,
			fmt.Sprintf("t=%d is %v after the verification time; the signer's clock is probably off", sig.Timestamp.Unix(), sig.Timestamp.Sub(v.now))})
	}
}

func isCanon(c Canonicalization) bool { return c == CanonSimple || c == CanonRelaxed }

func hasQueryDNSTXT(ms []string) bool {
	for _, m := range ms {
		if m == "dns/txt" {
			return true
		}
	}
	return false
}

// fromWarnings records how h= covers From.
func (v *verifier) fromWarnings(st *sigState) {
	n := 0
	for _, h := range st.sig.Headers {
		if strings.EqualFold(h, "From") {
			n++
		}
	}
	res := st.res
	res.FromSigned = n > 0
	res.FromOversigned = n > v.froms
	switch {
	case n == 0:
		res.Warnings = append(res.Warnings, Warning{WarnFromNotSigned,
			"From is not signed: anyone could change the author shown to the reader"})
	case n < v.froms:
		res.Warnings = append(res.Warnings, Warning{WarnUnsignedFrom,
			fmt.Sprintf("the message has %d From fields and h= covers %d: an unsigned From was added, and it may be the one a reader sees (RFC 6376, section 8.15)", v.froms, n)})
	case n == v.froms:
		res.Warnings = append(res.Warnings, Warning{WarnFromNotOversigned,
			"From is not over-signed: h= lists it only as often as it appears, so another From could be added without breaking the signature (RFC 6376, section 8.15)"})
	}
}

// hashBodies streams the body through every registered body spec, or
// takes the hashes from Options.Bodies when it has them all.
func (v *verifier) hashBodies(body io.Reader) error {
	if len(v.specs) == 0 || v.opts.NoBody {
		return nil
	}
	sums, ok := v.knownBodies()
	if !ok {
		var err error
		if sums, err = dkimcore.HashBody(body, v.specs); err != nil {
			return err
		}
	}
	for i := range v.states {
		st := &v.states[i]
		if st.spec < 0 {
			continue
		}
		bh := sums[st.spec]
		res := st.res
		res.BodyHashComputed = bh.Sum
		res.BodyLength = bh.CanonicalLength
		if l := st.sig.Length; l >= 0 {
			if l <= bh.CanonicalLength {
				res.UnsignedBodyBytes = bh.CanonicalLength - l
			}
			res.Warnings = append(res.Warnings, Warning{WarnBodyLength,
				fmt.Sprintf("l=%d: only the first %d bytes of the canonical body are signed; %d bytes after them are not and could have been added by anyone (RFC 6376, section 8.2)", l, l, res.UnsignedBodyBytes)})
		}
	}
	return nil
}

// knownBodies returns the body hash of every registered spec from
// Options.Bodies, matched by signature index; false when one is missing.
func (v *verifier) knownBodies() ([]dkimcore.BodyHash, bool) {
	if len(v.opts.Bodies) == 0 {
		return nil, false
	}
	sums := make([]dkimcore.BodyHash, len(v.specs))
	for i := range v.states {
		st := &v.states[i]
		if st.spec < 0 {
			continue
		}
		k := st.res.Index
		if k >= len(v.opts.Bodies) || v.opts.Bodies[k].Index != k || v.opts.Bodies[k].Computed == nil {
			return nil, false
		}
		sums[st.spec] = dkimcore.BodyHash{Sum: v.opts.Bodies[k].Computed, CanonicalLength: v.opts.Bodies[k].BodyLength}
	}
	return sums, true
}

// finish fetches keys, compares body hashes and verifies signatures (RFC
// 6376, sections 6.1.2 and 6.1.3), then fills in the results.
func (v *verifier) finish(ctx context.Context, r Resolver) {
	for i := range v.states {
		st := &v.states[i]
		if st.err == nil {
			st.err = v.verifyOne(ctx, r, st)
		}
		res := st.res
		res.Err = st.err
		res.Status, res.Reason, res.Explanation = classify(st.err)
	}
}

func (v *verifier) verifyOne(ctx context.Context, r Resolver, st *sigState) error {
	sig := st.sig
	key, err := v.key(ctx, r, sig.Selector, sig.Domain)
	if key != nil {
		st.res.Key, st.res.KeyType, st.res.KeyBits = key, key.Type, key.Bits
	}
	if err != nil {
		return err
	}
	if err := dkimcore.CheckKey(key.core(), &dkimcore.Signer{Algorithm: dkimcore.Algorithm(sig.Algorithm), Identity: sig.Identity, Domain: sig.Domain}, v.opts.minRSABits()); err != nil {
		return err
	}
	v.keyWarnings(st.res, key)
	// RFC 6376, section 6.1.3: the body hash must equal bh=, and l= may
	// not exceed the body.
	res := st.res
	// Without the body (Options.NoBody), bh= is checked only as one of
	// the signed tags below.
	if !v.opts.NoBody {
		if sig.Length > res.BodyLength {
			return fmt.Errorf("%w: l=%d but the canonical body has %d bytes", ErrBodyTooShort, sig.Length, res.BodyLength)
		}
		if !bytes.Equal(res.BodyHashComputed, sig.BodyHash) {
			return fmt.Errorf("%w: computed %s, bh= says %s", ErrBodyHashMismatch, b64(res.BodyHashComputed), b64(sig.BodyHash))
		}
	}
	h := st.hash.New()
	*v.scratch = v.hashHeaders(h, st, (*v.scratch)[:0])
	digest := h.Sum(nil)
	if err := dkimcore.VerifyDigest(key.Public, dkimcore.Algorithm(sig.Algorithm), digest, sig.B); err != nil {
		return err
	}
	return nil
}

// key returns the key for selector and domain, fetching it at most once
// per Verify call.
func (v *verifier) key(ctx context.Context, r Resolver, selector, domain string) (*Key, error) {
	name := strings.ToLower(selector) + "\x00" + strings.ToLower(domain)
	if e, ok := v.keys[name]; ok {
		return e.key, e.err
	}
	k, err := v.opts.Keys.Lookup(ctx, r, selector, domain)
	if v.keys == nil {
		v.keys = make(map[string]keyEntry, 2)
	}
	v.keys[name] = keyEntry{k, err}
	return k, err
}

func (v *verifier) keyWarnings(res *Result, key *Key) {
	if key.Type == "rsa" && key.Bits < recommendedBits {
		res.Warnings = append(res.Warnings, Warning{WarnWeakKey,
			fmt.Sprintf("%d-bit RSA key: accepted, but RFC 8301, section 3.2 asks signers for at least 2048 bits", key.Bits)})
	}
	if key.Format == KeyFormatPKCS1 {
		res.Warnings = append(res.Warnings, Warning{WarnPKCS1Key,
			"the key is published as a bare RSAPublicKey, not a SubjectPublicKeyInfo; some verifiers reject it"})
	}
	if key.HasFlag("y") {
		res.Warnings = append(res.Warnings, Warning{WarnTestingKey,
			"the key is flagged t=y: the domain is testing DKIM and asks verifiers not to treat signed and unsigned mail differently (RFC 6376, section 3.6.1)"})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// hashHeaders writes the signed header fields and the signature field
// itself to h (RFC 6376, section 3.7) and returns the scratch buffer.
func (v *verifier) hashHeaders(h hash.Hash, st *sigState, scratch []byte) []byte {
	if cap(v.used) < len(v.fields) {
		v.used = make([]bool, len(v.fields))
	}
	used := v.used[:len(v.fields)]
	clear(used)
	hc := dkimcore.Canonicalization(st.sig.HeaderCanon)
	scratch = dkimcore.HashSelected(h, v.fields, st.sig.Headers, hc, used, scratch)
	// The signature field, b= emptied, canonicalized, no final CRLF.
	raw := st.field.Raw
	off := len(raw) - len(st.field.RawValue())
	b := st.sig.tags.Get("b")
	mid := len(scratch)
	scratch = append(scratch, raw[:off+b.EqualEnd]...)
	scratch = append(scratch, raw[off+b.SpecEnd:]...)
	out := len(scratch)
	scratch = dkimcore.CanonicalizeHeader(scratch, scratch[mid:out], hc)
	c := bytes.TrimSuffix(scratch[out:], crlf)
	h.Write(c)
	return scratch[:0]
}

// b64 formats a hash for messages.
func b64(b []byte) string {
	if b == nil {
		return "(none)"
	}
	return encodeB64(b)
}
