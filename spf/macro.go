package spf

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// macroToken is one piece of a macro-string (RFC 7208, section 7.1): a run
// of literal text, an escape (%%, %_, %-), or a macro-expand.
type macroToken struct {
	lit     string // literal text, or the expansion of an escape
	escape  bool   // lit comes from %%, %_ or %-
	letter  byte   // lower-case macro letter; 0 for literal text
	upper   bool   // the letter was upper case: URL-escape the value
	digits  int    // keep this many right-hand parts; 0 keeps all
	reverse bool   // the "r" transformer
	delims  string // delimiters to split on; empty means "."
}

// maxMacroDigits caps the DIGIT transformer. Values have far fewer parts,
// and the cap keeps the number from overflowing.
const maxMacroDigits = 1024

// parseMacroString splits s into tokens. The letters c, r and t are only
// allowed when exp is true (RFC 7208, section 7.1: they are for explanation
// strings). When spaces is true, literal spaces are allowed, as in an
// explain-string (section 6.2).
func parseMacroString(s string, exp, spaces bool) ([]macroToken, error) {
	var toks []macroToken
	lit := -1 // start of the current literal run
	flush := func(end int) {
		if lit >= 0 {
			toks = append(toks, macroToken{lit: s[lit:end]})
			lit = -1
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c != '%' {
			if (c < 0x21 || c > 0x7e) && !(spaces && c == ' ') {
				return nil, fmt.Errorf("invalid character %q in macro-string", c)
			}
			if lit < 0 {
				lit = i
			}
			i++
			continue
		}
		flush(i)
		if i+1 >= len(s) {
			return nil, errors.New("lone % at end of macro-string")
		}
		switch s[i+1] {
		case '%':
			toks = append(toks, macroToken{lit: "%", escape: true})
			i += 2
			continue
		case '_':
			toks = append(toks, macroToken{lit: " ", escape: true})
			i += 2
			continue
		case '-':
			toks = append(toks, macroToken{lit: "%20", escape: true})
			i += 2
			continue
		case '{':
		default:
			return nil, fmt.Errorf("invalid macro %q", s[i:i+2])
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, errors.New("unterminated macro")
		}
		tok, err := parseMacroExpand(s[i+2:i+end], exp)
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
		i += end + 1
	}
	flush(len(s))
	return toks, nil
}

// parseMacroExpand parses the inside of "%{…}": macro-letter transformers
// *delimiter.
func parseMacroExpand(body string, exp bool) (macroToken, error) {
	var t macroToken
	if body == "" {
		return t, errors.New("empty macro")
	}
	letter := body[0]
	lower := letter | 0x20
	t.upper = letter >= 'A' && letter <= 'Z'
	switch lower {
	case 's', 'l', 'o', 'd', 'i', 'p', 'h', 'v':
	case 'c', 'r', 't':
		if !exp {
			return t, fmt.Errorf("macro letter %q is only allowed in explanations", letter)
		}
	default:
		return t, fmt.Errorf("unknown macro letter %q", letter)
	}
	t.letter = lower
	i := 1
	if i < len(body) && isDigit(body[i]) {
		n := 0
		for ; i < len(body) && isDigit(body[i]); i++ {
			if n < maxMacroDigits {
				n = n*10 + int(body[i]-'0')
			}
		}
		if n == 0 {
			// RFC 7208, section 7.3: a digit transformer must be nonzero.
			return t, errors.New("zero digit transformer")
		}
		t.digits = min(n, maxMacroDigits)
	}
	if i < len(body) && (body[i] == 'r' || body[i] == 'R') {
		t.reverse = true
		i++
	}
	t.delims = body[i:]
	for ; i < len(body); i++ {
		if strings.IndexByte(macroDelimiters, body[i]) < 0 {
			return t, fmt.Errorf("invalid macro delimiter %q", body[i])
		}
	}
	return t, nil
}

// macroDelimiters are the delimiter characters of RFC 7208, section 7.1.
const macroDelimiters = ".-+,/_="

// macroEnv holds the values macro letters expand to (RFC 7208, section
// 7.2).
type macroEnv struct {
	sender       string // s
	local        string // l
	senderDomain string // o
	domain       string // d
	ip           netip.Addr
	helo         string // h
	receiver     string // r
	now          func() time.Time
	ptr          func() string // p, computed on demand
}

// value returns the unprocessed value of a macro letter.
func (e *macroEnv) value(letter byte) string {
	switch letter {
	case 's':
		return e.sender
	case 'l':
		return e.local
	case 'o':
		return e.senderDomain
	case 'd':
		return e.domain
	case 'h':
		return e.helo
	case 'i':
		return dotIP(e.ip)
	case 'c':
		return e.ip.String()
	case 'v':
		if e.ip.Is4() {
			return "in-addr"
		}
		return "ip6"
	case 'p':
		if e.ptr == nil {
			return "unknown"
		}
		return e.ptr()
	case 'r':
		if e.receiver == "" {
			return "unknown"
		}
		return e.receiver
	case 't':
		now := time.Now
		if e.now != nil {
			now = e.now
		}
		return strconv.FormatInt(now().Unix(), 10)
	}
	return ""
}

// dotIP writes ip in the dotted form of the i macro: the four decimal
// octets of IPv4, or the 32 nibbles of IPv6 separated by dots (RFC 7208,
// section 7.3). Hex digits are upper case, as the reference
// implementation writes them; DNS names compare case-insensitively.
func dotIP(ip netip.Addr) string {
	if ip.Is4() {
		return ip.String()
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, 63)
	for _, x := range ip.As16() {
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, hex[x>>4], '.', hex[x&0xf])
	}
	return string(b)
}

// transform applies the transformers and delimiters of t to v (RFC 7208,
// section 7.3): split on the delimiters, reverse if asked, keep the
// right-hand parts, join with dots, and URL-escape for upper-case letters.
func (t macroToken) transform(v string) string {
	if t.digits > 0 || t.reverse || t.delims != "" {
		delims := t.delims
		if delims == "" {
			delims = "."
		}
		parts := splitAny(v, delims)
		if t.reverse {
			for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
				parts[i], parts[j] = parts[j], parts[i]
			}
		}
		if t.digits > 0 && t.digits < len(parts) {
			parts = parts[len(parts)-t.digits:]
		}
		v = strings.Join(parts, ".")
	}
	if t.upper {
		v = urlEscape(v)
	}
	return v
}

// splitAny splits s at every byte found in delims, keeping empty parts.
func splitAny(s, delims string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(delims, s[i]) >= 0 {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// urlEscape escapes every byte outside the URI unreserved set (RFC 7208,
// section 7.3, with RFC 3986, section 2.3).
func urlEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// boundedBuffer collects expansion output within a fixed bound. In tail
// mode it keeps the last limit bytes (domain names are truncated from the
// left); otherwise it keeps the first limit bytes.
type boundedBuffer struct {
	b     []byte
	limit int
	tail  bool
}

func (w *boundedBuffer) write(s string) {
	if !w.tail {
		if room := w.limit - len(w.b); room < len(s) {
			s = s[:max(room, 0)]
		}
		w.b = append(w.b, s...)
		return
	}
	if len(s) >= w.limit {
		w.b = append(w.b[:0], s[len(s)-w.limit:]...)
		return
	}
	w.b = append(w.b, s...)
	if len(w.b) > 2*w.limit {
		n := copy(w.b, w.b[len(w.b)-w.limit:])
		w.b = w.b[:n]
	}
}

func (w *boundedBuffer) String() string {
	if w.tail && len(w.b) > w.limit {
		return string(w.b[len(w.b)-w.limit:])
	}
	return string(w.b)
}

// expand expands toks with env into at most limit bytes.
func (e *macroEnv) expand(toks []macroToken, limit int, tail bool) string {
	w := &boundedBuffer{limit: limit, tail: tail}
	for _, t := range toks {
		if !tail && len(w.b) >= limit {
			break
		}
		if t.letter == 0 {
			w.write(t.lit)
			continue
		}
		w.write(t.transform(e.value(t.letter)))
	}
	return w.String()
}

// domainWindow is how much of an expanded domain-spec is kept: enough to
// see the label boundary in front of the last 253 characters.
const domainWindow = 2 * maxDomainLen

// expandDomain expands a domain-spec and applies the length rule of
// RFC 7208, section 7.3: a name longer than 253 characters loses labels
// from the left until it fits. A final dot is dropped.
func (e *macroEnv) expandDomain(spec string) (string, error) {
	toks, err := parseMacroString(spec, false, false)
	if err != nil {
		return "", fmt.Errorf("%w: %s", ErrMacro, err)
	}
	name := strings.TrimSuffix(e.expand(toks, domainWindow, true), ".")
	for len(name) > maxDomainLen {
		i := strings.IndexByte(name, '.')
		if i < 0 {
			name = name[len(name)-maxDomainLen:]
			break
		}
		name = name[i+1:]
	}
	return name, nil
}

// expandExplanation expands an explanation string (RFC 7208, section 6.2),
// where the letters c, r and t and literal spaces are allowed.
func (e *macroEnv) expandExplanation(s string) (string, error) {
	toks, err := parseMacroString(s, true, true)
	if err != nil {
		return "", fmt.Errorf("%w: %s", ErrMacro, err)
	}
	return e.expand(toks, maxExplanationLen, false), nil
}
