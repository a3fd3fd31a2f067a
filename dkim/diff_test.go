package dkim

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	msgauth "github.com/emersion/go-msgauth/dkim"

	"github.com/authlens/authlens/internal/dnstest"
)

// diffCorpus is a deterministic set of varied signed messages.
type diffCorpus struct {
	keys map[string]string // key record name (no trailing dot) -> TXT
	msgs []diffMsg
}

type diffMsg struct {
	name string
	data []byte
	// policy is non-empty when this package and go-msgauth are expected
	// to differ by design, and says why.
	policy string
}

var wordList = strings.Fields("the quick brown fox jumps over lazy dog lorem ipsum dolor sit amet " +
	"résumé naïve 東京 invoice meeting tomorrow urgent report attached please see")

// genHeaderValue returns a header value, sometimes folded or odd.
func genHeaderValue(rng *rand.Rand) string {
	n := 1 + rng.IntN(12)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			switch rng.IntN(10) {
			case 0:
				b.WriteString("\r\n\t")
			case 1:
				b.WriteString("\r\n   ")
			case 2:
				b.WriteString("  \t ")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString(wordList[rng.IntN(len(wordList))])
	}
	if rng.IntN(8) == 0 {
		b.WriteString(" \t") // trailing white space
	}
	return b.String()
}

// genMessage returns a CRLF message with varied headers and body.
func genMessage(rng *rand.Rand, i int, strict bool) []byte {
	var b strings.Builder
	sep := func() string {
		k := rng.IntN(6)
		if strict && k == 1 {
			k = 0
		}
		switch k {
		case 0:
			return ":"
		case 1:
			return " : "
		case 2:
			return ":\t"
		}
		return ": "
	}
	names := []string{"Subject", "To", "Cc", "Date", "Message-ID", "X-Mailer", "Received", "Received", "MIME-Version", "Content-Type", "X-Odd_Header"}
	rng.Shuffle(len(names), func(a, c int) { names[a], names[c] = names[c], names[a] })
	fromName := "From"
	if rng.IntN(5) == 0 {
		fromName = "FROM"
	}
	fmt.Fprintf(&b, "%s%sUser %d <user%d@example.com>\r\n", fromName, sep(), i, i)
	for _, n := range names[:3+rng.IntN(len(names)-3)] {
		if rng.IntN(6) == 0 {
			n = strings.ToLower(n)
		}
		fmt.Fprintf(&b, "%s%s%s\r\n", n, sep(), genHeaderValue(rng))
	}
	b.WriteString("\r\n")
	switch rng.IntN(8) {
	case 0: // empty body
	case 1: // only blank lines
		b.WriteString("\r\n\r\n\r\n")
	default:
		lines := rng.IntN(60)
		for l := 0; l < lines; l++ {
			switch rng.IntN(12) {
			case 0:
				b.WriteString(strings.Repeat("x", 998+rng.IntN(3000)))
			case 1:
				b.WriteString("")
			case 2:
				b.WriteString("  \t indented  with   runs\t\t")
			case 3:
				b.WriteString(" ")
			default:
				b.WriteString(genHeaderValue(rng))
			}
			b.WriteString("\r\n")
		}
		switch rng.IntN(4) {
		case 0:
			b.WriteString("\r\n\r\n\r\n") // trailing blank lines
		case 1:
			b.WriteString("no final line end")
		}
	}
	return []byte(strings.ReplaceAll(b.String(), "\r\n\r\n\r\n\r\n", "\r\n\r\n\r\n"))
}

// buildDiffCorpus signs n messages with go-msgauth/dkim.
//
// With strict set, header fields never have white space before the colon
// (obsolete syntax, RFC 5322, section 4.5.1), which dkimpy refuses.
func buildDiffCorpus(tb testing.TB, n int, strict bool) *diffCorpus {
	tb.Helper()
	rsaKey := loadKey(tb, "rsa2048.pem")
	edKey := loadKey(tb, "ed25519.pem")
	c := &diffCorpus{keys: map[string]string{
		"rsa._domainkey.example.com":     keyRecord(tb, rsaKey),
		"ed._domainkey.example.com":      keyRecord(tb, edKey),
		"rsa._domainkey.sub.example.net": keyRecord(tb, rsaKey),
	}}
	rng := rand.New(rand.NewPCG(6376, 8463))
	canons := []msgauth.Canonicalization{msgauth.CanonicalizationSimple, msgauth.CanonicalizationRelaxed}
	for i := 0; i < n; i++ {
		msg := genMessage(rng, i, strict)
		nsig := 1 + rng.IntN(3)
		for s := 0; s < nsig; s++ {
			opts := &msgauth.SignOptions{
				Domain:                 "example.com",
				Selector:               "rsa",
				Signer:                 rsaKey,
				HeaderCanonicalization: canons[rng.IntN(2)],
				BodyCanonicalization:   canons[rng.IntN(2)],
			}
			switch rng.IntN(3) {
			case 0:
				opts.Selector, opts.Signer = "ed", edKey
			case 1:
				opts.Domain = "sub.example.net"
				opts.Identifier = "bounce@mail.sub.example.net"
			}
			switch rng.IntN(3) {
			case 0:
				opts.HeaderKeys = []string{"From", "Subject", "To", "Date"}
			case 1:
				opts.HeaderKeys = []string{"From", "From", "subject", "Received", "Received", "Received", "X-Missing"}
			}
			var out bytes.Buffer
			if err := msgauth.Sign(&out, bytes.NewReader(msg), opts); err != nil {
				tb.Fatalf("message %d: sign: %v", i, err)
			}
			msg = out.Bytes()
		}
		dm := diffMsg{name: fmt.Sprintf("msg%03d", i), data: msg}
		switch rng.IntN(10) {
		case 0: // body changed
			dm.data = append(bytes.Clone(msg), "appended\r\n"...)
			dm.name += "-body-changed"
		case 1: // header changed
			dm.data = bytes.Replace(msg, []byte("User "), []byte("Usr "), 1)
			dm.name += "-from-changed"
		case 2: // saved with Unix line ends
			dm.data = bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))
			dm.name += "-lf"
		}
		c.msgs = append(c.msgs, dm)
	}
	// Signatures go-msgauth cannot make, and rejects by policy: l=.
	for i := 0; i < 5; i++ {
		msg := genMessage(rng, n+i, strict)
		_, body, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
		var cb bytes.Buffer
		bc := newBodyCanonicalizer(&cb, CanonRelaxed)
		bc.Write(body)
		bc.Close()
		signed := testSign(tb, msg, signSpec{key: rsaKey, domain: "example.com", selector: "rsa",
			length: int64(cb.Len()), headers: []string{"From", "Subject"}, noT: true})
		c.msgs = append(c.msgs, diffMsg{name: fmt.Sprintf("ltag%d", i), data: append(signed, "unsigned tail\r\n"...),
			policy: "l=: go-msgauth fails every l= signature; RFC 6376 section 3.5 allows them, so this package passes with a warning"})
	}
	return c
}

// TestDifferentialGoMsgauth checks that this package agrees with
// go-msgauth/dkim on every signature of a few hundred varied messages,
// keys served from loopback DNS.
func TestDifferentialGoMsgauth(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	c := buildDiffCorpus(t, n, false)
	z := dnstest.NewZone()
	for name, txt := range c.keys {
		z.AddTXT(name, splitTXT(txt)...)
	}
	r := loopbackResolver(t, z)
	lookup := func(name string) ([]string, error) {
		if v, ok := c.keys[strings.TrimSuffix(name, ".")]; ok {
			return []string{v}, nil
		}
		return nil, fmt.Errorf("no such key %s", name)
	}
	var sigs, agreePass, agreeFail, policy int
	for _, m := range c.msgs {
		theirs, err := msgauth.VerifyWithOptions(bytes.NewReader(m.data), &msgauth.VerifyOptions{LookupTXT: lookup})
		if err != nil {
			t.Fatalf("%s: go-msgauth: %v", m.name, err)
		}
		ours, err := Verify(context.Background(), r, bytes.NewReader(m.data), Options{})
		if err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if len(ours) != len(theirs) {
			t.Fatalf("%s: %d results, go-msgauth %d", m.name, len(ours), len(theirs))
		}
		for i := range ours {
			sigs++
			theyPass := theirs[i].Err == nil
			wePass := ours[i].Status == StatusPass
			switch {
			case theyPass == wePass && wePass:
				agreePass++
			case theyPass == wePass:
				agreeFail++
			case m.policy != "":
				policy++
				t.Logf("%s sig %d: differs by policy: ours %s, go-msgauth %v (%s)", m.name, i, ours[i].Status, theirs[i].Err, m.policy)
			default:
				t.Errorf("%s sig %d: ours %s (%v), go-msgauth err=%v", m.name, i, ours[i].Status, ours[i].Err, theirs[i].Err)
			}
		}
	}
	t.Logf("%d messages, %d signatures: agree pass %d, agree fail %d, differ by policy %d", len(c.msgs), sigs, agreePass, agreeFail, policy)
	if agreePass == 0 || agreeFail == 0 {
		t.Error("corpus should have both passing and failing signatures")
	}
}

// dkimpyScript verifies every signature of the messages named on the
// command line with dkimpy, keys from a JSON file, and prints one JSON
// object per message: {"name": ..., "results": [true, false, ...]}, or
// {"name": ..., "error": ...} when dkimpy cannot parse the message.
const dkimpyScript = `
import json, sys, dkim
keys = json.load(open(sys.argv[1]))
def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    v = keys.get(name.rstrip('.'))
    return v.encode() if v is not None else None
for path in sys.argv[2:]:
    data = open(path, 'rb').read()
    try:
        d = dkim.DKIM(data)
    except Exception as e:
        print(json.dumps({"name": path, "error": str(e)}))
        continue
    n = len([h for h in d.headers if h[0].lower() == b'dkim-signature'])
    out = []
    for i in range(n):
        try:
            out.append(bool(d.verify(idx=i, dnsfunc=dnsfunc)))
        except Exception as e:
            out.append(False)
    print(json.dumps({"name": path, "results": out}))
`

// dkimpyPython returns a Python interpreter that can import dkimpy, or "".
func dkimpyPython() string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import dkim").Run() == nil {
			return p
		}
	}
	return ""
}

// TestDifferentialDkimpy checks a sample of the corpus against dkimpy
// (Debian python3-dkim), when installed. No network: keys come from a
// JSON file.
func TestDifferentialDkimpy(t *testing.T) {
	py := dkimpyPython()
	if py == "" {
		t.Skip("dkimpy not installed (python3 -c 'import dkim' fails); apt-get install python3-dkim to run this test")
	}
	c := buildDiffCorpus(t, 80, true)
	dir := t.TempDir()
	keys, _ := json.Marshal(c.keys)
	keyFile := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(keyFile, keys, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-c", dkimpyScript, keyFile}
	byPath := map[string]diffMsg{}
	for _, m := range c.msgs {
		p := filepath.Join(dir, m.name+".eml")
		if err := os.WriteFile(p, m.data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
		byPath[p] = m
	}
	cmd := exec.Command(py, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if os.Getenv("DKIM_DIFF_KEEP") != "" {
		t.Logf("messages kept in %s", dir)
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("dkimpy: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("dkimpy: %v", err)
	}
	z := dnstest.NewZone()
	for name, txt := range c.keys {
		z.AddTXT(name, splitTXT(txt)...)
	}
	r := loopbackResolver(t, z)
	var sigs, agree, policy, unparsed int
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		var got struct {
			Name    string `json:"name"`
			Results []bool `json:"results"`
			Error   string `json:"error"`
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("dkimpy output %q: %v", line, err)
		}
		m := byPath[got.Name]
		if got.Error != "" {
			// dkimpy refuses obsolete header syntax such as white space
			// before the colon (RFC 5322, section 4.5), which this
			// package and go-msgauth accept.
			unparsed++
			t.Logf("%s: dkimpy cannot parse the message: %s", m.name, got.Error)
			continue
		}
		ours, err := Verify(context.Background(), r, bytes.NewReader(m.data), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ours) != len(got.Results) {
			t.Errorf("%s: %d results, dkimpy %d", m.name, len(ours), len(got.Results))
			continue
		}
		for i, theyPass := range got.Results {
			sigs++
			wePass := ours[i].Status == StatusPass
			switch {
			case wePass == theyPass:
				agree++
			case m.policy != "" && !strings.HasPrefix(m.name, "ltag"):
				policy++
			default:
				t.Errorf("%s sig %d: ours %s (%v), dkimpy pass=%v", m.name, i, ours[i].Status, ours[i].Err, theyPass)
			}
		}
	}
	t.Logf("dkimpy: %d signatures, agree %d, differ by policy %d; %d messages dkimpy cannot parse", sigs, agree, policy, unparsed)
	if sigs == 0 {
		t.Error("no signatures compared")
	}
}

var _ crypto.Hash
