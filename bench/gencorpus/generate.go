package main

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// numDomains is the number of sending domains; each has its own address
// block, SPF, DMARC and DKIM records.
const numDomains = 40

// epoch is the date of the first message; later ones are a few minutes
// apart.
var epoch = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// signedFields are the header fields every DKIM signature covers.
var signedFields = []string{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"}

// words fill the message bodies.
var words = strings.Fields(`invoice order shipping account meeting report quarterly
review update schedule payment receipt customer support ticket release notes
project budget agenda minutes draft proposal contract renewal security notice
password reset confirm subscription newsletter offer discount delivery tracking`)

// generator makes the messages of one corpus.
type generator struct {
	rng  *rand.Rand
	keys keys
}

func newGenerator(rng *rand.Rand, k keys) *generator {
	return &generator{rng: rng, keys: k}
}

// domain returns the name and the IPv4 address block of domain i.
func domain(i int) (name, net string) {
	return fmt.Sprintf("sender%02d.example", i), fmt.Sprintf("198.51.%d", 100+i)
}

// mail is one generated message before it is written to the mbox.
type mail struct {
	envelope string // the From_ line's sender
	date     time.Time
	data     []byte // CRLF line ends
}

// message generates message i.
func (g *generator) message(i int) (*mail, error) {
	r := g.rng
	d := r.IntN(numDomains)
	dom, block := domain(d)
	ip := fmt.Sprintf("%s.%d", block, 1+r.IntN(250))
	date := epoch.Add(time.Duration(i) * 97 * time.Second)
	from := fmt.Sprintf("%s@%s", pick(r, []string{"news", "billing", "alice", "bob", "support", "no-reply"}), dom)
	msg := g.body(i, from, date)

	ed := r.IntN(3) == 0
	selector := "rsa"
	if ed {
		selector = "ed"
	}
	signed, err := sign(msg, dom, selector, g.keys.signer(ed), date)
	if err != nil {
		return nil, err
	}
	// Outcome of the receiver's checks: mostly pass, some failures.
	outcome := "pass"
	switch x := r.IntN(20); {
	case x < 2:
		outcome = "fail"
	case x < 3:
		outcome = "softfail"
	}
	trace := g.receiver(r.IntN(5), dom, ip, selector, outcome, date)
	return &mail{envelope: "bounce@" + dom, date: date, data: append(trace, signed...)}, nil
}

// body returns the unsigned message: headers and a multipart body of 2 to
// 200 KB (log-uniform, so that most messages are small).
func (g *generator) body(i int, from string, date time.Time) []byte {
	r := g.rng
	size := int(math.Exp(math.Log(2000) + r.Float64()*(math.Log(200000)-math.Log(2000))))
	var b bytes.Buffer
	boundary := fmt.Sprintf("=_b%08x", r.Uint32())
	fmt.Fprintf(&b, "From: %s\r\nTo: user%d@recipient.example\r\nSubject: %s %s #%d\r\n", from, r.IntN(100), pick(r, words), pick(r, words), i)
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <%d.%x@%s>\r\nMIME-Version: 1.0\r\n", date.Format(time.RFC1123Z), i, r.Uint64(), strings.SplitN(from, "@", 2)[1])
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", boundary)
	text := size / 3
	for n := 0; n < text; {
		line := g.line()
		if r.IntN(40) == 0 {
			line = "From the desk of " + line // quoted as >From in the mbox
		}
		b.WriteString(line + "\r\n")
		n += len(line) + 2
	}
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>\r\n", boundary)
	for n := 0; n < text; {
		line := "<p>" + g.line() + "</p>"
		b.WriteString(line + "\r\n")
		n += len(line) + 2
	}
	fmt.Fprintf(&b, "</body></html>\r\n--%s\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"data%d.bin\"\r\n\r\n", boundary, i)
	raw := make([]byte, max(size-2*text, 16)*3/4)
	for j := range raw {
		raw[j] = byte(r.UintN(256))
	}
	enc := base64.StdEncoding.EncodeToString(raw)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	fmt.Fprintf(&b, "%s\r\n--%s--\r\n", enc, boundary)
	return b.Bytes()
}

func (g *generator) line() string {
	n := 6 + g.rng.IntN(10)
	w := make([]string, n)
	for i := range w {
		w[i] = pick(g.rng, words)
	}
	return strings.Join(w, " ")
}

func pick(r *rand.Rand, l []string) string { return l[r.IntN(len(l))] }

// sign prepends a relaxed/relaxed DKIM-Signature of domain and selector to
// msg. The t= tag is the message date, so that the corpus is reproducible.
func sign(msg []byte, domain, selector string, key crypto.Signer, date time.Time) ([]byte, error) {
	br := bufio.NewReader(bytes.NewReader(msg))
	fields, err := header.Read(br, header.Limits{})
	if err != nil {
		return nil, err
	}
	bh, err := dkimcore.HashBody(br, []dkimcore.BodySpec{{Canon: dkimcore.CanonRelaxed, Hash: crypto.SHA256, Length: -1}})
	if err != nil {
		return nil, err
	}
	alg := dkim.AlgRSASHA256
	if _, ok := key.(ed25519.PrivateKey); ok {
		alg = dkim.AlgEd25519SHA256
	}
	field := fmt.Sprintf("DKIM-Signature: v=1; a=%s; c=relaxed/relaxed; d=%s; s=%s; t=%d;\r\n\th=%s;\r\n\tbh=%s;\r\n\tb=\r\n",
		alg, domain, selector, date.Unix(), strings.Join(signedFields, ":"), base64.StdEncoding.EncodeToString(bh[0].Sum))
	h := sha256.New()
	dkimcore.HashHeaders(h, fields, signedFields, dkimcore.CanonRelaxed)
	last, err := dkimcore.AppendSignatureField(nil, []byte(field), dkimcore.CanonRelaxed)
	if err != nil {
		return nil, err
	}
	h.Write(last)
	digest := h.Sum(nil)
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sig, err = rsa.SignPKCS1v15(nil, k, crypto.SHA256, digest)
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, digest)
	}
	if err != nil {
		return nil, err
	}
	b64 := base64.StdEncoding.EncodeToString(sig)
	var folded strings.Builder
	for len(b64) > 70 {
		folded.WriteString(b64[:70] + "\r\n\t ")
		b64 = b64[70:]
	}
	folded.WriteString(b64)
	out := []byte(field[:len(field)-2] + folded.String() + "\r\n")
	return append(out, msg...), nil
}

// writeMbox writes m as one mbox message with LF line ends, quoting body
// lines that start with "From " (mboxrd), and returns the bytes written.
func writeMbox(w *bufio.Writer, m *mail) (int64, error) {
	var n int64
	k, _ := fmt.Fprintf(w, "From %s %s\n", m.envelope, m.date.Format("Mon Jan _2 15:04:05 2006"))
	n += int64(k)
	data := m.data
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\r\n"))
		data = rest
		if bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
			w.WriteByte('>')
			n++
		}
		w.Write(line)
		w.WriteByte('\n')
		n += int64(len(line)) + 1
	}
	if err := w.WriteByte('\n'); err != nil {
		return n, err
	}
	return n + 1, nil
}

// zone returns an RFC 1035 master file with the records of every domain.
func (g *generator) zone() []byte {
	var b bytes.Buffer
	b.WriteString("; authlens benchmark corpus: DKIM keys, SPF and DMARC records\n$TTL 3600\n")
	rsaDER, _ := x509.MarshalPKIXPublicKey(g.keys.rsa.Public())
	rsaKey := "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(rsaDER)
	edKey := "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(g.keys.ed.Public().(ed25519.PublicKey))
	for i := range numDomains {
		dom, block := domain(i)
		fmt.Fprintf(&b, "%s.\tIN\tTXT\t\"v=spf1 ip4:%s.0/24 -all\"\n", dom, block)
		fmt.Fprintf(&b, "_dmarc.%s.\tIN\tTXT\t\"v=DMARC1; p=%s; rua=mailto:dmarc@%s\"\n", dom, []string{"reject", "quarantine", "none"}[i%3], dom)
		fmt.Fprintf(&b, "rsa._domainkey.%s.\tIN\tTXT\t%s\n", dom, txtStrings(rsaKey))
		fmt.Fprintf(&b, "ed._domainkey.%s.\tIN\tTXT\t%s\n", dom, txtStrings(edKey))
	}
	return b.Bytes()
}

// txtStrings splits a TXT value into quoted character-strings of at most
// 255 bytes (RFC 1035, section 3.3).
func txtStrings(s string) string {
	var parts []string
	for len(s) > 255 {
		parts = append(parts, `"`+s[:255]+`"`)
		s = s[255:]
	}
	parts = append(parts, `"`+s+`"`)
	return "( " + strings.Join(parts, " ") + " )"
}
