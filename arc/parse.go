package arc

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// maxInstance is the largest instance number.
// RFC 8617, section 4.2.1: i= runs from 1 to 50.
const maxInstance = 50

// sealRequired and amsRequired are the tags each field must carry.
// RFC 8617, section 4.1.3: an AS has i=, a=, b=, cv=, d=, s= (t= is
// recommended). RFC 8617, section 4.1.2: an AMS has the DKIM-Signature
// tags without v=, i= being the instance.
var (
	sealRequired = [...]string{"i", "a", "b", "cv", "d", "s"}
	amsRequired  = [...]string{"i", "a", "b", "bh", "d", "h", "s"}
)

// ParseSeal parses the value of an ARC-Seal field (the text after the
// colon). Errors wrap [ErrBadTag], [ErrBadInstance] or [ErrSealHasHeaders]
// and name the tag at fault. When the tag-list parses, the returned Seal
// holds what could be read, Instance included, even with an error. An
// algorithm other than rsa-sha256 is not a parse error; validation rejects
// it so that the result can say so.
func ParseSeal(value string) (*Seal, error) {
	tags, err := parseTags(value)
	if err != nil {
		return nil, fmt.Errorf("%w: ARC-Seal: %w", ErrBadTag, err)
	}
	s := &Seal{}
	n, err := instanceTag(tags)
	s.Instance = n
	if err != nil {
		return s, fmt.Errorf("ARC-Seal: %w", err)
	}
	if err := requireTags(tags, sealRequired[:]); err != nil {
		return s, fmt.Errorf("ARC-Seal: %w", err)
	}
	for _, t := range tags {
		v := t.Value
		switch t.Name {
		case "a":
			s.Algorithm = dkim.Algorithm(strings.ToLower(v))
		case "b":
			if s.Signature, err = decodeB64("b", v); err != nil {
				return s, fmt.Errorf("ARC-Seal: %w", err)
			}
		case "cv":
			// RFC 8617, section 4.1.3: cv= is one of none, pass, fail.
			cv := ChainValidation(strings.ToLower(v))
			if cv != CVNone && cv != CVPass && cv != CVFail {
				return s, fmt.Errorf("%w: ARC-Seal: cv=%q is not none, pass or fail", ErrBadTag, v)
			}
			s.ChainValidation = cv
		case "d":
			if err := dkimcore.CheckDomain(v); err != nil {
				return s, fmt.Errorf("%w: ARC-Seal: d=%q: %v", ErrBadTag, v, err)
			}
			s.Domain = v
		case "s":
			if err := dkimcore.CheckSelector(v); err != nil {
				return s, fmt.Errorf("%w: ARC-Seal: s=%q: %v", ErrBadTag, v, err)
			}
			s.Selector = v
		case "t":
			if s.Timestamp, err = timeTag(v); err != nil {
				return s, fmt.Errorf("ARC-Seal: %w", err)
			}
		case "h":
			// RFC 8617, section 4.1.3: the seal covers a fixed set of
			// fields, so an h= tag is an error, not something to honour.
			return s, fmt.Errorf("%w: h=%q", ErrSealHasHeaders, v)
		}
	}
	return s, nil
}

// ParseMessageSignature parses the value of an ARC-Message-Signature field.
// Errors wrap [ErrBadTag], [ErrBadInstance] or [ErrSignsSeal]; as with
// [ParseSeal], the returned value holds what could be read.
func ParseMessageSignature(value string) (*MessageSignature, error) {
	tags, err := parseTags(value)
	if err != nil {
		return nil, fmt.Errorf("%w: ARC-Message-Signature: %w", ErrBadTag, err)
	}
	m := &MessageSignature{Length: -1, HeaderCanon: dkim.CanonSimple, BodyCanon: dkim.CanonSimple}
	n, err := instanceTag(tags)
	m.Instance = n
	if err != nil {
		return m, fmt.Errorf("ARC-Message-Signature: %w", err)
	}
	if err := requireTags(tags, amsRequired[:]); err != nil {
		return m, fmt.Errorf("ARC-Message-Signature: %w", err)
	}
	for _, t := range tags {
		v := t.Value
		switch t.Name {
		case "a":
			m.Algorithm = dkim.Algorithm(strings.ToLower(v))
		case "b":
			if m.Signature, err = decodeB64("b", v); err != nil {
				return m, fmt.Errorf("ARC-Message-Signature: %w", err)
			}
		case "bh":
			if m.BodyHash, err = decodeB64("bh", v); err != nil {
				return m, fmt.Errorf("ARC-Message-Signature: %w", err)
			}
		case "c":
			// RFC 6376, section 3.5: c= is header[/body]; a missing body
			// part means simple.
			h, b, _ := strings.Cut(dkimcore.StripFWS(v), "/")
			m.HeaderCanon = dkim.Canonicalization(strings.ToLower(h))
			if b != "" {
				m.BodyCanon = dkim.Canonicalization(strings.ToLower(b))
			}
			if !isCanon(m.HeaderCanon) || !isCanon(m.BodyCanon) {
				return m, fmt.Errorf("%w: ARC-Message-Signature: c=%q", ErrUnsupportedAlgorithm, v)
			}
		case "d":
			if err := dkimcore.CheckDomain(v); err != nil {
				return m, fmt.Errorf("%w: ARC-Message-Signature: d=%q: %v", ErrBadTag, v, err)
			}
			m.Domain = v
		case "s":
			if err := dkimcore.CheckSelector(v); err != nil {
				return m, fmt.Errorf("%w: ARC-Message-Signature: s=%q: %v", ErrBadTag, v, err)
			}
			m.Selector = v
		case "h":
			hs, err := headerList(v)
			if err != nil {
				return m, fmt.Errorf("%w: ARC-Message-Signature: h=: %v", ErrBadTag, err)
			}
			m.Headers = hs
		case "l":
			l, err := digits(v, 76)
			if err != nil {
				return m, fmt.Errorf("%w: ARC-Message-Signature: l=%q: %v", ErrBadTag, v, err)
			}
			m.Length = l
		case "t":
			if m.Timestamp, err = timeTag(v); err != nil {
				return m, fmt.Errorf("ARC-Message-Signature: %w", err)
			}
		}
	}
	// RFC 8617, section 4.1.2: the AMS does not cover ARC-Seal fields;
	// those are the seal's business, and a later seal is added after the
	// AMS is made.
	for _, h := range m.Headers {
		if strings.EqualFold(h, FieldSeal) {
			return m, fmt.Errorf("%w: h= lists %s", ErrSignsSeal, h)
		}
	}
	return m, nil
}

// ParseSets reads a header block from r (a whole message may be given; the
// body is not read) and returns its ARC sets, oldest first. It checks the
// structure of RFC 8617, section 5.2, steps 1 and 3 and the tags of every
// field; it does not check cv= or signatures. A message without ARC fields
// gives no sets and no error. Errors wrap a structural sentinel such as
// [ErrInstanceGap], [ErrDuplicateInstance], [ErrMissingHeader],
// [ErrTooManySets], [ErrBadInstance], [ErrBadTag] or [ErrBadResults], or
// [ErrUnreadableMessage].
func ParseSets(r io.Reader) ([]Set, error) {
	fields, err := header.Read(bufio.NewReader(r), header.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadableMessage, err)
	}
	c := collect(fields, nil)
	if c.err != nil {
		return nil, c.err
	}
	if c.amsErr != nil {
		return nil, c.amsErr
	}
	return c.sets, nil
}

// chain is the ARC part of one message, grouped into sets.
type chain struct {
	sets []Set
	// inst gives, per header field, its ARC instance, or 0 for fields
	// that are not ARC fields.
	inst []int
	// amsErrs holds, per set, the AMS parse error: it fails the chain
	// only for the newest set (RFC 8617, section 5.2, step 4 and 5).
	amsErrs []error
	// amsErr is the first of amsErrs, for ParseSets.
	amsErr error
	// err is the first structural failure, and failedAt its instance.
	err      error
	failedAt int
}

// arcKind tells the three ARC fields apart.
type arcKind int

const (
	kindNone arcKind = iota
	kindSeal
	kindAMS
	kindAAR
)

func kindOf(f *header.Field) arcKind {
	switch {
	case f.Is(FieldSeal):
		return kindSeal
	case f.Is(FieldMessageSignature):
		return kindAMS
	case f.Is(FieldResults):
		return kindAAR
	}
	return kindNone
}

// parsedField is one ARC field on its way into a set.
type parsedField struct {
	kind arcKind
	idx  int
	inst int
	seal *Seal
	ams  *MessageSignature
	aar  *authres.Header
	err  error
}

// ParsedResults is an ARC-Authentication-Results field that the caller
// has already parsed with [authres.ParseARC], given to [ValidateMessage] so
// that it is not parsed a second time.
type ParsedResults struct {
	// Field is the index of the field in the message's header fields, 0
	// being the top-most. An index that is not an
	// ARC-Authentication-Results field is ignored.
	Field int
	// Header and Err are what authres.ParseARC returned for the field's
	// value; validation trusts them to be so.
	Header *authres.Header
	Err    error
}

// collect parses every ARC field and groups them by instance, taking the
// ARC-Authentication-Results already parsed from pre.
// It records the first structural failure in c.err.
func collect(fields []header.Field, pre []ParsedResults) *chain {
	c := &chain{inst: make([]int, len(fields))}
	var parsed []parsedField
	fail := func(inst int, err error) {
		if c.err == nil {
			c.err, c.failedAt = err, inst
		}
	}
	maxInst := 0
	for i := range fields {
		f := &fields[i]
		k := kindOf(f)
		if k == kindNone {
			continue
		}
		p := parsedField{kind: k, idx: i}
		switch k {
		case kindSeal:
			p.seal, p.err = ParseSeal(string(f.RawValue()))
			if p.seal != nil {
				p.inst = p.seal.Instance
			}
		case kindAMS:
			p.ams, p.err = ParseMessageSignature(string(f.RawValue()))
			if p.ams != nil {
				p.inst = p.ams.Instance
			}
		case kindAAR:
			p.aar, p.inst, p.err = results(pre, i, f)
		}
		if p.inst <= 0 {
			p.inst = looseInstance(string(f.RawValue()))
		}
		if p.inst > maxInst {
			maxInst = p.inst
		}
		parsed = append(parsed, p)
	}
	if len(parsed) == 0 {
		return c
	}
	// RFC 8617, section 5.2, step 1: more than 50 sets fail the chain.
	if maxInst > maxInstance {
		fail(maxInst, fmt.Errorf("%w: instance %d", ErrTooManySets, maxInst))
		return c
	}
	for _, p := range parsed {
		if p.inst <= 0 {
			if p.err == nil {
				p.err = fmt.Errorf("%w: %s has no usable i=", ErrBadInstance, fields[p.idx].Name)
			}
			fail(0, p.err)
			return c
		}
		c.inst[p.idx] = p.inst
	}
	// Group by instance, refusing duplicates.
	sets := make([]Set, maxInst)
	amsErrs := make([]error, maxInst)
	for _, p := range parsed {
		s := &sets[p.inst-1]
		s.Instance = p.inst
		raw := fields[p.idx].Raw
		var dup bool
		switch p.kind {
		case kindSeal:
			dup = s.SealField != nil
			s.Seal, s.SealField = p.seal, raw
		case kindAMS:
			dup = s.MessageSignatureField != nil
			s.MessageSignature, s.MessageSignatureField = p.ams, raw
			amsErrs[p.inst-1] = p.err
		case kindAAR:
			dup = s.ResultsField != nil
			s.Results, s.ResultsField = p.aar, raw
		}
		if dup {
			// RFC 8617, section 5.2, step 3: exactly one of each field
			// per instance.
			fail(p.inst, fmt.Errorf("%w: two %s fields with i=%d", ErrDuplicateInstance, fields[p.idx].Name, p.inst))
			return c
		}
	}
	// RFC 8617, section 5.2, step 3: instances 1..N, no gaps, every set
	// complete.
	for i := range sets {
		s := &sets[i]
		inst := i + 1
		switch {
		case s.SealField == nil && s.MessageSignatureField == nil && s.ResultsField == nil:
			fail(inst, fmt.Errorf("%w: no ARC set with i=%d below i=%d", ErrInstanceGap, inst, maxInst))
		case s.SealField == nil:
			fail(inst, fmt.Errorf("%w: no %s with i=%d", ErrMissingHeader, FieldSeal, inst))
		case s.MessageSignatureField == nil:
			fail(inst, fmt.Errorf("%w: no %s with i=%d", ErrMissingHeader, FieldMessageSignature, inst))
		case s.ResultsField == nil:
			fail(inst, fmt.Errorf("%w: no %s with i=%d", ErrMissingHeader, FieldResults, inst))
		}
		if c.err != nil {
			return c
		}
	}
	// Field errors other than the AMS's fail the chain outright.
	for _, p := range parsed {
		if p.err != nil && p.kind != kindAMS {
			fail(p.inst, p.err)
			return c
		}
	}
	c.sets = sets
	c.amsErrs = amsErrs
	for _, err := range amsErrs {
		if err != nil {
			c.amsErr = err
			break
		}
	}
	return c
}

// parseResults parses an AAR value and returns its instance.
// RFC 8617, section 4.1.1: the value is "i=N;" followed by an
// Authentication-Results payload.
func parseResults(value string) (*authres.Header, int, error) {
	return checkResults(authres.ParseARC(value))
}

// results is parseResults for f, the i-th header field, taking the parsed
// field from pre when it has it.
func results(pre []ParsedResults, i int, f *header.Field) (*authres.Header, int, error) {
	for _, p := range pre {
		if p.Field == i {
			return checkResults(p.Header, p.Err)
		}
	}
	return parseResults(f.Value())
}

// checkResults is parseResults for a field parsed already.
func checkResults(h *authres.Header, err error) (*authres.Header, int, error) {
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrBadResults, err)
	}
	if h.Instance < 1 || h.Instance > maxInstance {
		return h, h.Instance, fmt.Errorf("%w: %s i=%d", ErrBadInstance, FieldResults, h.Instance)
	}
	return h, h.Instance, nil
}

// looseInstance finds an "i=<digits>" in a field that did not parse, so
// that a failure can still name its set. It returns 0 when there is none.
func looseInstance(value string) int {
	for part := range strings.SplitSeq(value, ";") {
		name, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(name) != "i" {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" || len(v) > 3 {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0
		}
		return n
	}
	return 0
}

// parseTags parses an ARC tag-list. It is the DKIM tag-list parser made strict
// about empty tag-specs, which the DKIM parser tolerates for deployed DKIM
// signers but ARC verifiers (dkimpy, the ARC test suite) refuse.
// RFC 6376, section 3.2: tag-list = tag-spec *( ";" tag-spec ) [ ";" ], and
// a tag-spec is never empty, so ";;" is a syntax error.
func parseTags(value string) (dkimcore.TagList, error) {
	tags, err := dkimcore.ParseTagList(value)
	if err != nil {
		return nil, err
	}
	empty := true // only white space since the start or the last ";"
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case c == ';':
			if empty {
				return nil, fmt.Errorf("empty tag-spec before offset %d", i)
			}
			empty = true
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			empty = false
		}
	}
	return tags, nil
}

// instanceTag reads i=. It returns the number even when it is above 50,
// so that too many sets can be told from a malformed tag.
func instanceTag(tags dkimcore.TagList) (int, error) {
	v, ok := tags.Lookup("i")
	if !ok {
		return 0, fmt.Errorf("%w: required tag i= is missing", ErrBadInstance)
	}
	n, err := digits(v, 3)
	if err != nil {
		return 0, fmt.Errorf("%w: i=%q: %v", ErrBadInstance, v, err)
	}
	if n < 1 {
		return 0, fmt.Errorf("%w: i=%d is below 1", ErrBadInstance, n)
	}
	if n > maxInstance {
		return int(n), fmt.Errorf("%w: i=%d is above %d", ErrBadInstance, n, maxInstance)
	}
	return int(n), nil
}

func requireTags(tags dkimcore.TagList, names []string) error {
	for _, name := range names {
		if tags.Get(name) == nil {
			return fmt.Errorf("%w: required tag %s= is missing", ErrBadTag, name)
		}
	}
	return nil
}

// decodeB64 decodes a base64 tag value, ignoring folding white space.
func decodeB64(name, v string) ([]byte, error) {
	v = dkimcore.StripFWS(v)
	if v == "" {
		return nil, fmt.Errorf("%w: %s= is empty", ErrBadTag, name)
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(v, "="))
		if err != nil {
			return nil, fmt.Errorf("%w: %s= is not valid base64", ErrBadTag, name)
		}
	}
	return b, nil
}

// timeTag parses t=. RFC 6376, section 3.5: 1*12DIGIT seconds since the
// epoch.
func timeTag(v string) (time.Time, error) {
	n, err := digits(v, 12)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: t=%q: %v", ErrBadTag, v, err)
	}
	return time.Unix(n, 0).UTC(), nil
}

// digits parses a decimal of at most max digits, nothing else allowed.
func digits(v string, max int) (int64, error) {
	if v == "" {
		return 0, fmt.Errorf("empty")
	}
	if len(v) > max {
		return 0, fmt.Errorf("more than %d digits", max)
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, fmt.Errorf("not a decimal number")
		}
	}
	return strconv.ParseInt(v, 10, 64)
}

// headerList splits an h= value into field names; unlike DKIM, an empty
// list is accepted (the AMS then signs only itself), as are empty names.
// RFC 6376, section 3.5: hdr-name *( [FWS] ":" [FWS] hdr-name ).
func headerList(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return []string{}, nil
	}
	out := []string{}
	for part := range strings.SplitSeq(v, ":") {
		name := strings.Trim(part, " \t\r\n")
		if name == "" {
			// An empty name between two colons names no field and so
			// contributes nothing to the hash, like a name the message
			// lacks (RFC 6376, section 5.4); dkimpy and the ARC test
			// suite accept it.
			continue
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; c < 33 || c > 126 {
				return nil, fmt.Errorf("invalid character 0x%02x in field name %q", c, name)
			}
		}
		out = append(out, name)
	}
	return out, nil
}

func isCanon(c dkim.Canonicalization) bool {
	return c == dkim.CanonSimple || c == dkim.CanonRelaxed
}
