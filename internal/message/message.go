// Package message reads what a user hands authlens — a whole message, its
// header block alone, or headers pasted from a mail client — and extracts
// the identities authentication is about: the RFC 5322 From author
// (RFC 5322, section 3.6.2), the RFC 5321 MAIL FROM reverse path as the
// receiver recorded it in Return-Path (RFC 5321, section 4.4), and the
// Received trace fields.
//
// Pasted headers are forgiven what copy and paste does to them: leading
// blank lines, a byte-order mark, Outlook's "Microsoft Mail Internet
// Headers Version 2.0" banner, an mbox "From " separator line, and a common
// indentation on every line are removed before parsing.
//
// Damaged header blocks are read as a lenient mail reader reads them
// ([header.ReadLenient]): a line with no colon continues the field above
// it, white-space lines before the first field are skipped, bare CRs, NUL
// bytes and 8-bit field names are kept. What was forgiven is listed in
// [Message.Damage]. The reading stops — the input is not a message — when
// the first line is not a header field, and with an error naming the line
// at binary data or after too many damaged lines.
package message

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"sync"

	"github.com/emersion/go-message/charset"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/internal/header"
)

// ErrNotMessage means the input does not start with a header block.
var ErrNotMessage = errors.New("not an email message")

// Address is a mailbox with the domain that authentication checks use.
type Address struct {
	Name    string // display name, RFC 2047 words decoded
	Address string // addr-spec, as written
	Domain  string // domain part normalized by align.Normalize ("" when none)
}

// Message is the header-level view of one message.
type Message struct {
	// Fields are every header field, top to bottom.
	Fields []header.Field
	// Damage lists the lines of the header block that break RFC 5322 but
	// were read anyway, top to bottom. Line numbers count from the first
	// line of the input, blank lines and an mbox separator line included.
	Damage []header.Damage
	// From holds every mailbox of every From field, in order.
	From []Address
	// FromFields is how many From fields the message has.
	FromFields int
	// FromErr is set when a From field could not be read.
	FromErr error
	// ReturnPath is the topmost Return-Path; nil when absent. Its Address is
	// "" for the null reverse path "<>".
	ReturnPath *Address
	// Body is the body as read (nil for headers only), bounded by the
	// reader's limit; BodyTruncated reports whether it was cut.
	Body          []byte
	BodyTruncated bool

	hdr []byte // the header block, assembled once by head
	raw []byte // the whole message, assembled once by Bytes
}

// Options bound what Read accepts.
type Options struct {
	Limits       header.Limits
	MaxBodyBytes int64 // body bytes kept; 0 = 64 MiB; < 0 = body skipped
}

const defaultMaxBody = 64 << 20

// Read parses a message or pasted header block from r.
func Read(r io.Reader, opts Options) (*Message, error) {
	size := -1 // bytes left in r, when it can tell (*bytes.Reader, *strings.Reader)
	if l, ok := r.(interface{ Len() int }); ok {
		size = l.Len()
	}
	br := getReader(r)
	defer putReader(br)
	pre, lead, err := prepare(br)
	if err != nil {
		return nil, err
	}
	m, err := readRest(pre, opts, size)
	lead.apply(m)
	return m, err
}

// readerPool recycles the buffered readers of Read and Parse.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

func getReader(r io.Reader) *bufio.Reader {
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readerPool.Put(br)
}

// Parse is Read for a message held in memory. The Message aliases data
// rather than copying it — Body is a slice of data, and so is Bytes when
// the header block is stored with CRLF line ends and needed no repair — so
// data must not change while the Message is in use.
func Parse(data []byte, opts Options) (*Message, error) {
	rd := bytes.NewReader(data)
	br := getReader(rd)
	defer putReader(br)
	offset := func() int { return len(data) - rd.Len() - br.Buffered() }
	pre, lead, err := prepare(br)
	if err != nil {
		return nil, err
	}
	if pre != br {
		// Indented pasted headers: the text read is not data any more.
		m, err := readRest(pre, opts, -1)
		lead.apply(m)
		return m, err
	}
	start := offset()
	opts.Limits.BlockSize = blockSize(data[start:])
	m, err := readHeader(br, opts)
	lead.apply(m)
	if err != nil {
		return m, err
	}
	end := offset()
	if max := opts.maxBody(); max > 0 {
		body := data[end:]
		if int64(len(body)) > max {
			body, m.BodyTruncated = body[:max], true
		}
		if len(body) > 0 {
			m.Body = body
		}
	}
	// The fields are data's bytes unless line ends were normalized, which
	// would have lengthened them.
	n := 2
	for _, f := range m.Fields {
		n += len(f.Raw)
	}
	if n == end-start && bytes.HasSuffix(data[:end], []byte("\r\n\r\n")) {
		m.hdr = data[start:end]
		m.raw = data[start : end+len(m.Body)]
	}
	return m, nil
}

// readRest reads the header block and the body from a prepared reader;
// size is the number of bytes left in it, or -1 when unknown.
func readRest(pre *bufio.Reader, opts Options, size int) (*Message, error) {
	m, err := readHeader(pre, opts)
	if err != nil {
		return m, err
	}
	if max := opts.maxBody(); max > 0 {
		body, err := readBody(pre, max+1, size)
		if err != nil {
			return m, fmt.Errorf("reading the body: %w", err)
		}
		if int64(len(body)) > max {
			body, m.BodyTruncated = body[:max], true
		}
		if len(body) > 0 {
			m.Body = body
		}
	}
	return m, nil
}

// blockSize returns the size of the header block at the start of data,
// every line end counted as CRLF: the bytes up to the empty line that ends
// it plus one for each line ending in a bare LF.
func blockSize(data []byte) int {
	lines := 0
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		lines++
		if rest := data[i:]; len(rest) > 0 && rest[0] == '\n' || len(rest) > 1 && rest[0] == '\r' && rest[1] == '\n' {
			return i + lines
		}
	}
	return len(data) + lines + 2
}

// readHeader reads the header block and extracts the identities.
func readHeader(br *bufio.Reader, opts Options) (*Message, error) {
	fields, dmg, err := header.ReadLenient(br, opts.Limits)
	if err != nil {
		if errors.Is(err, header.ErrEmpty) || errors.Is(err, header.ErrSyntax) && len(fields) == 0 {
			return nil, fmt.Errorf("%w: %w", ErrNotMessage, err)
		}
		return nil, err
	}
	m := &Message{Fields: fields, Damage: dmg}
	m.extract()
	return m, nil
}

// maxBody is the body limit in bytes, or a negative number when the body
// is skipped.
func (o Options) maxBody() int64 {
	if o.MaxBodyBytes == 0 {
		return defaultMaxBody
	}
	return o.MaxBodyBytes
}

// readBody reads at most limit bytes. With a known input size the buffer
// is allocated once, at its final size.
func readBody(r io.Reader, limit int64, size int) ([]byte, error) {
	if size < 0 {
		return io.ReadAll(io.LimitReader(r, limit))
	}
	buf := make([]byte, 0, min(int64(size), limit)+1)
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// lead is what prepare removed in front of the header block.
type lead struct {
	lines  int             // lines removed: blank, white space, mbox separator
	damage []header.Damage // white-space lines among them
}

// apply counts m's damage lines from the start of the input and puts the
// removed white-space lines first. m may be nil.
func (l lead) apply(m *Message) {
	if m == nil || l.lines == 0 && len(l.damage) == 0 {
		return
	}
	for i := range m.Damage {
		m.Damage[i].Line += l.lines
	}
	if len(l.damage) > 0 {
		m.Damage = append(l.damage, m.Damage...)
	}
}

// prepare removes what copy and paste adds in front of and around a header
// block and returns a reader positioned at the first header field.
func prepare(br *bufio.Reader) (*bufio.Reader, lead, error) {
	var ld lead
	// A byte-order mark.
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	// Classic Mac OS line ends: CR alone. Without a single LF in the first
	// lines, every CR is read as a line end.
	if b, _ := br.Peek(min(br.Size(), 4096)); bytes.IndexByte(b, '\n') < 0 && bytes.IndexByte(b, '\r') >= 0 {
		br = bufio.NewReader(crLines{br})
		ld.damage = append(ld.damage, header.Damage{Line: 1, Kind: header.DamageCRLineEnds})
	}
	// Leading blank lines, and lines of only white space (damage: a
	// lenient reader skips them too).
	for {
		b, err := br.Peek(1)
		if err != nil {
			return nil, ld, fmt.Errorf("%w: %w", ErrNotMessage, header.ErrEmpty)
		}
		switch b[0] {
		case '\n':
			ld.lines++
			br.Discard(1)
			continue
		case '\r':
			br.Discard(1)
			continue
		case ' ', '\t':
			if n := spaceLine(br); n > 0 {
				ld.lines++
				ld.damage = append(ld.damage, header.Damage{Line: ld.lines, Kind: header.DamageBlankFirst})
				br.Discard(n)
				continue
			}
		}
		break
	}
	// The banner older Outlook puts above the headers it shows.
	if b, _ := br.Peek(len(outlookBanner)); string(b) == outlookBanner {
		if _, err := br.ReadSlice('\n'); err != nil {
			return nil, ld, fmt.Errorf("%w: only Outlook's header banner", ErrNotMessage)
		}
		ld.lines++
	}
	// An mbox separator line.
	if b, _ := br.Peek(5); string(b) == "From " {
		if _, err := br.ReadSlice('\n'); err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, ld, fmt.Errorf("%w: only an mbox separator line", ErrNotMessage)
		}
		ld.lines++
	}
	// A common indentation (headers pasted from a web page or a quote).
	b, _ := br.Peek(1)
	if len(b) == 1 && (b[0] == ' ' || b[0] == '\t') {
		pre, err := dedent(br)
		return pre, ld, err
	}
	return br, ld, nil
}

// crLines reads CR line ends as LF.
type crLines struct{ r io.Reader }

func (c crLines) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// outlookBanner is the first line of the headers older versions of
// Outlook show ("Internet headers"), which people paste with them.
const outlookBanner = "Microsoft Mail Internet Headers Version 2.0"

// spaceLine returns the length of the line at the start of br, its line
// end included, when it holds only spaces and tabs (and CRs); otherwise,
// or when the line is longer than br's buffer, 0.
func spaceLine(br *bufio.Reader) int {
	for n := 64; ; n = min(2*n, br.Size()) {
		b, err := br.Peek(n)
		for i, c := range b {
			switch c {
			case ' ', '\t', '\r':
			case '\n':
				return i + 1
			default:
				return 0
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			return len(b) // white space up to the end of the input
		case err != nil || n == br.Size():
			return 0
		}
	}
}

// dedent reads the header block (up to the first blank line, bounded) and
// removes the indentation common to all its lines. The body is passed on
// unchanged.
func dedent(br *bufio.Reader) (*bufio.Reader, error) {
	const maxIndented = 2 << 20
	var lines [][]byte
	size := 0
	for size < maxIndented {
		l, err := br.ReadBytes('\n')
		size += len(l)
		if len(bytes.TrimSpace(l)) == 0 && len(l) > 0 {
			lines = append(lines, l)
			break
		}
		if len(l) > 0 {
			lines = append(lines, l)
		}
		if err != nil {
			break
		}
	}
	prefix := ""
	for i, l := range lines {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		ws := string(l[:len(l)-len(bytes.TrimLeft(l, " \t"))])
		if i == 0 || len(ws) < len(prefix) {
			prefix = ws
		}
	}
	var out bytes.Buffer
	for _, l := range lines {
		out.Write(bytes.TrimPrefix(l, []byte(prefix)))
	}
	return bufio.NewReaderSize(io.MultiReader(&out, br), 4096), nil
}

// extract fills From and ReturnPath from the header fields.
func (m *Message) extract() {
	dec := &mime.WordDecoder{CharsetReader: charset.Reader}
	parser := mail.AddressParser{WordDecoder: dec}
	for _, f := range m.Fields {
		switch {
		case f.Is("From"):
			m.FromFields++
			addrs, err := parseAddressList(&parser, f.Value())
			if err != nil && m.FromErr == nil {
				m.FromErr = fmt.Errorf("From field at line %d: %w", f.Line, err)
			}
			m.From = append(m.From, addrs...)
		case f.Is("Return-Path") && m.ReturnPath == nil:
			m.ReturnPath = parseReturnPath(f.Value())
		}
	}
}

// parseAddressList reads a From field value. Where the strict RFC 5322
// parser refuses (real mail often breaks its rules), it falls back to
// picking the addr-spec out of angle brackets or the @-bearing token.
func parseAddressList(p *mail.AddressParser, v string) ([]Address, error) {
	list, err := p.ParseList(v)
	if err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, newAddress(a.Name, a.Address))
		}
		return out, nil
	}
	if addr := looseAddrSpec(v); addr != "" {
		name := strings.TrimSpace(v[:max(0, strings.Index(v, addr)-1)])
		if dn, derr := p.WordDecoder.DecodeHeader(strings.Trim(name, `" `)); derr == nil {
			name = dn
		}
		return []Address{newAddress(name, addr)}, nil
	}
	return nil, err
}

// looseAddrSpec finds an addr-spec in v without full RFC 5322 parsing.
func looseAddrSpec(v string) string {
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			if a := strings.TrimSpace(v[i+1 : i+j]); strings.Contains(a, "@") {
				return a
			}
		}
	}
	for _, tok := range strings.Fields(v) {
		tok = strings.Trim(tok, `<>"(),;`)
		if strings.Count(tok, "@") == 1 && !strings.HasPrefix(tok, "@") && !strings.HasSuffix(tok, "@") {
			return tok
		}
	}
	return ""
}

// parseReturnPath reads "<addr>" or "<>" (RFC 5321, section 4.4).
func parseReturnPath(v string) *Address {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 0 {
			v = v[i+1 : i+j]
		}
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return &Address{}
	}
	a := newAddress("", v)
	if a.Domain == "" {
		// Not an address: some systems write the bare domain.
		a.Domain = DomainOf(v)
	}
	return &a
}

func newAddress(name, addr string) Address {
	a := Address{Name: name, Address: addr}
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		if d, err := align.Normalize(addr[at+1:]); err == nil {
			a.Domain = d
		}
	}
	return a
}

// DomainOf returns the normalized domain of an address or bare domain, as
// written in an Authentication-Results property such as smtp.mailfrom
// ("user@example.com", "example.com", "<user@example.com>", "<>").
func DomainOf(v string) string {
	v = strings.Trim(strings.TrimSpace(v), "<>")
	if at := strings.LastIndexByte(v, '@'); at >= 0 {
		v = v[at+1:]
	}
	d, err := align.Normalize(v)
	if err != nil {
		return ""
	}
	return d
}

// head returns the header block as read: its fields with CRLF line ends
// and the empty line that ends it.
func (m *Message) head() []byte {
	if m.hdr == nil {
		n := 2
		for _, f := range m.Fields {
			n += len(f.Raw)
		}
		h := make([]byte, 0, n)
		for _, f := range m.Fields {
			h = append(h, f.Raw...)
		}
		m.hdr = append(h, '\r', '\n')
	}
	return m.hdr
}

// Bytes returns the message as read: its header fields (CRLF line ends)
// and body, in one slice.
func (m *Message) Bytes() []byte {
	if m.raw == nil {
		h := m.head()
		m.raw = append(append(make([]byte, 0, len(h)+len(m.Body)), h...), m.Body...)
	}
	return m.raw
}

// Reader returns a reader over [Message.Bytes] that does not assemble
// them.
func (m *Message) Reader() io.Reader {
	return &parsedReader{m: m}
}

// parsedReader is the reader of a Message. The header block is assembled
// only if the whole message is read.
type parsedReader struct {
	m     *Message
	parts *partsReader
}

func (r *parsedReader) Read(p []byte) (int, error) { return r.whole().Read(p) }

func (r *parsedReader) WriteTo(w io.Writer) (int64, error) { return r.whole().WriteTo(w) }

func (r *parsedReader) whole() *partsReader {
	if r.parts == nil {
		r.parts = &partsReader{r.m.head(), r.m.Body}
	}
	return r.parts
}

// partsReader reads two byte slices one after the other. Unlike
// io.MultiReader, its WriteTo needs no copy buffer: each part is written
// whole.
type partsReader [2][]byte

func (r *partsReader) Read(p []byte) (int, error) {
	if len(r[0]) == 0 {
		r[0], r[1] = r[1], nil
	}
	if len(r[0]) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r[0])
	r[0] = r[0][n:]
	return n, nil
}

func (r *partsReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for i := range r {
		if len(r[i]) == 0 {
			continue
		}
		n, err := w.Write(r[i])
		total += int64(n)
		r[i] = r[i][n:]
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
