// Command dkimref is the DKIM baseline of bench/run.sh, sharing no code
// with authlens. It reads an mbox (split with bytes.Index on "\nFrom ",
// mboxrd ">From " lines unquoted, line ends made CRLF) and the zone file
// holding the corpus's DKIM keys, and then, with -mode:
//
//   - msgauth: verifies every message with go-msgauth's
//     dkim.VerifyWithOptions, keys looked up in memory. The run is timed
//     whole, reading included.
//   - crypto: the crypto limit. For every DKIM-Signature it prepares,
//     untimed, exactly the bytes the signature covers (the canonical body
//     up to l=, the canonical signed header fields and the signature field
//     with b= empty, RFC 6376, sections 3.4 and 3.7) and the parsed public
//     key; then it times only hashing those bytes with SHA-256 and one
//     RSA or Ed25519 verification.
//
// It prints "seconds cpu-seconds messages signatures passed" on standard
// output: the wall-clock and CPU time of the timed part (the CPU time of
// the one thread that does the work, from getrusage(2); Linux only), and exits non-zero when a signature of the
// corpus does not verify in crypto mode (the reference canonicalization
// would then be wrong).
//
// Usage:
//
//	dkimref -mode msgauth|crypto -zone corpus.zone corpus.mbox
package main

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/miekg/dns"
)

func main() {
	mode := flag.String("mode", "msgauth", "msgauth or crypto")
	zone := flag.String("zone", "", "zone file with the DKIM key records")
	flag.Parse()
	if flag.NArg() != 1 || *zone == "" || (*mode != "msgauth" && *mode != "crypto") {
		fmt.Fprintln(os.Stderr, "usage: dkimref -mode msgauth|crypto -zone FILE MBOX")
		os.Exit(2)
	}
	if err := run(*mode, *zone, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "dkimref:", err)
		os.Exit(1)
	}
}

type stats struct {
	msgs, sigs, passed int
	timed, cpu         time.Duration // crypto mode: wall clock and thread CPU time of the timed part
	queue              []covered
}

func run(mode, zonePath, mboxPath string) error {
	txt, err := loadZone(zonePath)
	if err != nil {
		return err
	}
	// One thread does all the work, so that its CPU time is the run's.
	runtime.LockOSThread()
	var st stats
	start := time.Now()
	cpu0 := threadCPU()
	var each func(msg []byte) error
	switch mode {
	case "msgauth":
		opts := &dkim.VerifyOptions{LookupTXT: func(name string) ([]string, error) {
			if v, ok := txt[strings.ToLower(strings.TrimSuffix(name, "."))]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("no TXT record for %s", name)
		}}
		each = func(msg []byte) error {
			vs, err := dkim.VerifyWithOptions(bytes.NewReader(msg), opts)
			if err != nil {
				return err
			}
			st.sigs += len(vs)
			for _, v := range vs {
				if v.Err == nil {
					st.passed++
				}
			}
			return nil
		}
	case "crypto":
		keys := map[string]crypto.PublicKey{}
		each = func(msg []byte) error {
			return limit(msg, txt, keys, &st)
		}
	}
	if err := eachMessage(mboxPath, func(msg []byte) error {
		st.msgs++
		return each(msg)
	}); err != nil {
		return err
	}
	if mode == "msgauth" {
		st.timed = time.Since(start)
		st.cpu = threadCPU() - cpu0
	} else {
		st.flush()
	}
	fmt.Printf("%.3f %.3f %d %d %d\n", st.timed.Seconds(), st.cpu.Seconds(), st.msgs, st.sigs, st.passed)
	if mode == "crypto" && st.passed != st.sigs {
		return fmt.Errorf("%d of %d signatures do not verify", st.sigs-st.passed, st.sigs)
	}
	return nil
}

// loadZone reads the TXT records of a zone file, by lower-case name
// without the final dot.
func loadZone(path string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zp := dns.NewZoneParser(f, ".", path)
	out := map[string][]string{}
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if t, ok := rr.(*dns.TXT); ok {
			name := strings.ToLower(strings.TrimSuffix(t.Hdr.Name, "."))
			out[name] = append(out[name], strings.Join(t.Txt, ""))
		}
	}
	return out, zp.Err()
}

// eachMessage calls fn with every message of the mbox at path, the From_
// line removed, mboxrd quoting undone and line ends made CRLF.
func eachMessage(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	const block = 1 << 20
	buf := make([]byte, 0, 2*block)
	var msg []byte
	start, from, eof := 0, 0, false
	for {
		var m []byte
		if i := bytes.Index(buf[from:], []byte("\nFrom ")); i >= 0 {
			end := from + i + 1
			m, start, from = buf[start:end], end, end
		} else if eof {
			if start == len(buf) {
				return nil
			}
			m, start = buf[start:], len(buf)
		} else {
			rest := copy(buf, buf[start:])
			from, start, buf = max(0, from-start-6), 0, buf[:rest]
			if cap(buf)-len(buf) < block {
				buf = append(make([]byte, 0, 2*cap(buf)), buf...)
			}
			k, rerr := io.ReadFull(f, buf[len(buf):len(buf)+block])
			buf = buf[:len(buf)+k]
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				eof = true
			} else if rerr != nil {
				return rerr
			}
			continue
		}
		if i := bytes.IndexByte(m, '\n'); bytes.HasPrefix(m, []byte("From ")) && i >= 0 {
			m = m[i+1:]
		}
		msg = msg[:0]
		for len(m) > 0 {
			line, rest, _ := bytes.Cut(m, []byte("\n"))
			m = rest
			line = bytes.TrimSuffix(line, []byte("\r"))
			if len(line) > 0 && line[0] == '>' && bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
				line = line[1:]
			}
			msg = append(msg, line...)
			msg = append(msg, '\r', '\n')
		}
		if err := fn(msg); err != nil {
			return err
		}
	}
}

// covered is what one signature covers, ready to hash.
type covered struct {
	body, headers []byte
	key           crypto.PublicKey
	ed            bool
	sig           []byte
}

// limit prepares every signature of msg and queues it; a full queue is
// hashed and verified under the clock.
func limit(msg []byte, txt map[string][]string, keys map[string]crypto.PublicKey, st *stats) error {
	fields, body := splitHeader(msg)
	for _, f := range fields {
		name, value, _ := bytes.Cut(f, []byte(":"))
		if !strings.EqualFold(string(bytes.TrimSpace(name)), "DKIM-Signature") {
			continue
		}
		c, err := prepare(f, value, fields, body, txt, keys)
		if err != nil {
			return err
		}
		st.queue = append(st.queue, c)
	}
	if len(st.queue) >= batch {
		st.flush()
	}
	return nil
}

// batch is how many signatures are prepared before they are timed
// together, so that reading the clocks costs nothing measurable.
const batch = 256

// flush hashes and verifies the queued signatures, timing them by the
// wall clock and by the CPU time of the thread.
func (st *stats) flush() {
	if len(st.queue) == 0 {
		return
	}
	c0 := threadCPU()
	t0 := time.Now()
	for _, c := range st.queue {
		bh := sha256.Sum256(c.body)
		_ = bh
		h := sha256.New()
		h.Write(c.headers)
		d := h.Sum(nil)
		var ok bool
		if c.ed {
			ok = ed25519.Verify(c.key.(ed25519.PublicKey), d, c.sig)
		} else {
			ok = rsa.VerifyPKCS1v15(c.key.(*rsa.PublicKey), crypto.SHA256, d, c.sig) == nil
		}
		if ok {
			st.passed++
		}
	}
	st.timed += time.Since(t0)
	st.cpu += threadCPU() - c0
	st.sigs += len(st.queue)
	clear(st.queue)
	st.queue = st.queue[:0]
}

// threadCPU returns the CPU time (user and system) of the calling thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageThread is RUSAGE_THREAD of getrusage(2) on Linux.
const rusageThread = 1

// prepare builds the covered bytes of the signature field f, whose value
// is value, and checks the body hash.
func prepare(f, value []byte, fields [][]byte, body []byte, txt map[string][]string, keys map[string]crypto.PublicKey) (covered, error) {
	tags := map[string]string{}
	for _, t := range strings.Split(string(value), ";") {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		tags[strings.TrimSpace(k)] = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, v)
	}
	var c covered
	hc, bc, _ := strings.Cut(tags["c"], "/")
	if hc == "" {
		hc = "simple"
	}
	if bc == "" {
		bc = "simple"
	}
	switch tags["a"] {
	case "rsa-sha256":
	case "ed25519-sha256":
		c.ed = true
	default:
		return c, fmt.Errorf("unexpected a=%s", tags["a"])
	}
	c.body = canonBody(body, bc == "relaxed")
	if l, ok := tags["l"]; ok {
		n, err := strconv.Atoi(l)
		if err != nil || n > len(c.body) {
			return c, fmt.Errorf("bad l=%s", l)
		}
		c.body = c.body[:n]
	}
	if want := tags["bh"]; base64.StdEncoding.EncodeToString(sha256Sum(c.body)) != want {
		return c, fmt.Errorf("body hash differs from bh=%s", want)
	}
	used := make([]bool, len(fields))
	for _, name := range strings.Split(tags["h"], ":") {
		for j := len(fields) - 1; j >= 0; j-- {
			n, _, _ := bytes.Cut(fields[j], []byte(":"))
			if !used[j] && strings.EqualFold(string(bytes.TrimRight(n, " \t")), name) {
				used[j] = true
				c.headers = canonHeader(c.headers, fields[j], hc == "relaxed")
				break
			}
		}
	}
	// The signature field itself, b= emptied, without its final CRLF.
	i := bytes.Index(f, []byte("b="))
	for i > 0 && !(f[i-1] == ';' || f[i-1] == ' ' || f[i-1] == '\t' || f[i-1] == '\n') {
		j := bytes.Index(f[i+1:], []byte("b="))
		if j < 0 {
			return c, errors.New("no b= tag")
		}
		i += 1 + j
	}
	end := bytes.IndexByte(f[i:], ';')
	if end < 0 {
		end = len(f) - i - 2
	}
	self := append(append([]byte{}, f[:i+2]...), f[i+end:]...)
	if !bytes.HasSuffix(self, []byte("\r\n")) {
		self = append(self, '\r', '\n')
	}
	c.headers = canonHeader(c.headers, self, hc == "relaxed")
	c.headers = bytes.TrimSuffix(c.headers, []byte("\r\n"))
	sig, err := base64.StdEncoding.DecodeString(tags["b"])
	if err != nil {
		return c, fmt.Errorf("b=: %w", err)
	}
	c.sig = sig
	name := tags["s"] + "._domainkey." + strings.ToLower(tags["d"])
	key, ok := keys[name]
	if !ok {
		key, err = parseKey(txt[name])
		if err != nil {
			return c, fmt.Errorf("%s: %w", name, err)
		}
		keys[name] = key
	}
	c.key = key
	return c, nil
}

func sha256Sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func parseKey(records []string) (crypto.PublicKey, error) {
	if len(records) == 0 {
		return nil, errors.New("no key record")
	}
	var p, k string
	for _, t := range strings.Split(records[0], ";") {
		name, v, _ := strings.Cut(strings.TrimSpace(t), "=")
		switch name {
		case "p":
			p = strings.ReplaceAll(v, " ", "")
		case "k":
			k = v
		}
	}
	der, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return nil, err
	}
	if k == "ed25519" {
		return ed25519.PublicKey(der), nil
	}
	return x509.ParsePKIXPublicKey(der)
}

// splitHeader returns the header fields of msg (each with its folding and
// final CRLF) and the body.
func splitHeader(msg []byte) ([][]byte, []byte) {
	var fields [][]byte
	for len(msg) > 0 {
		if bytes.HasPrefix(msg, []byte("\r\n")) {
			return fields, msg[2:]
		}
		end := 0
		for {
			i := bytes.Index(msg[end:], []byte("\r\n"))
			if i < 0 {
				end = len(msg)
				break
			}
			end += i + 2
			if end >= len(msg) || (msg[end] != ' ' && msg[end] != '\t') {
				break
			}
		}
		fields = append(fields, msg[:end])
		msg = msg[end:]
	}
	return fields, nil
}

// canonHeader appends field in simple or relaxed form (RFC 6376, sections
// 3.4.1 and 3.4.2).
func canonHeader(dst, field []byte, relaxed bool) []byte {
	if !relaxed {
		return append(dst, field...)
	}
	name, value, _ := bytes.Cut(field, []byte(":"))
	dst = append(dst, bytes.ToLower(bytes.TrimRight(name, " \t"))...)
	dst = append(dst, ':')
	v := strings.Join(strings.Fields(strings.ReplaceAll(string(value), "\r\n", "")), " ")
	dst = append(dst, v...)
	return append(dst, '\r', '\n')
}

// canonBody returns body in simple or relaxed form (RFC 6376, sections
// 3.4.3 and 3.4.4).
func canonBody(body []byte, relaxed bool) []byte {
	lines := strings.Split(string(body), "\r\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out bytes.Buffer
	for i, l := range lines {
		if relaxed {
			l = strings.TrimRight(l, " \t")
			var b strings.Builder
			space := false
			for _, r := range l {
				if r == ' ' || r == '\t' {
					space = true
					continue
				}
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.WriteRune(r)
			}
			l = b.String()
		}
		lines[i] = l
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for _, l := range lines {
		out.WriteString(l)
		out.WriteString("\r\n")
	}
	if !relaxed && out.Len() == 0 {
		out.WriteString("\r\n")
	}
	return out.Bytes()
}
