package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/internal/header"
	"github.com/authlens/authlens/internal/textsafe"
	"github.com/authlens/authlens/received"
)

const dkimUsage = `Verify a message's DKIM signatures (RFC 6376, RFC 8463) and explain each.

Usage:
  authlens dkim [flags] FILE|DIR|- ...

Inputs are read as by the main command: message files, folders, mbox
files, Maildirs, gzip files, or - for standard input; one result per
message.

For each DKIM-Signature: the result and the precise reason (body changed,
signed headers changed, key not found or revoked, expired, weak key…), the
body hash computed and expected, how much of the body l= leaves unsigned,
whether From is signed and over-signed, and whether d= aligns with From.
--offline checks only the body hashes, with no DNS.

Examples:
  authlens dkim message.eml
  authlens dkim --at date archived.eml          # judge expiry at the message's Date
  authlens dkim --offline message.eml           # is the body intact?
  authlens dkim --dns-zone testdata/online.zone testdata/online-signed.eml

Flags:
%s`

// dkimMessageJSON is the JSON form of one message's DKIM check.
type dkimMessageJSON struct {
	Source  string `json:"source"`
	Error   string `json:"error,omitempty"`
	Offline bool   `json:"offline"`
	// NoBody says the input was a header block alone: no body hash was
	// checked.
	NoBody     bool          `json:"no_body,omitempty"`
	VerifiedAt time.Time     `json:"verified_at,omitzero"`
	Signatures []dkimSigJSON `json:"signatures"`
}

type dkimSigJSON struct {
	Index             int      `json:"index"`
	Domain            string   `json:"domain"`
	Selector          string   `json:"selector"`
	Algorithm         string   `json:"algorithm"`
	Canonicalization  string   `json:"canonicalization"`
	Result            string   `json:"result"`
	Reason            string   `json:"reason,omitempty"`
	Explanation       string   `json:"explanation"`
	Aligned           bool     `json:"aligned"`
	KeyType           string   `json:"key_type,omitempty"`
	KeyBits           int      `json:"key_bits,omitempty"`
	BodyHashComputed  string   `json:"body_hash_computed,omitempty"`
	BodyHashExpected  string   `json:"body_hash_expected,omitempty"`
	BodyIntact        *bool    `json:"body_intact,omitempty"`
	UnsignedBodyBytes int64    `json:"unsigned_body_bytes"`
	FromSigned        bool     `json:"from_signed"`
	FromOversigned    bool     `json:"from_oversigned"`
	Warnings          []string `json:"warnings,omitempty"`
}

func runDKIM(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sf := newSubFlags("dkim", stderr, true)
	offline := sf.fs.Bool("offline", false, "check only body hashes, without DNS")
	at := sf.fs.String("at", "", "judge expiry as of TIME (RFC 3339), the message's Date (date), or its delivery time (received)")
	if done, err := sf.parse(args, dkimUsage, stdout); done || err != nil {
		return err
	}
	sf.dns.at = *at
	if err := sf.dns.validate(); err != nil {
		return err
	}
	if sf.fs.NArg() == 0 {
		return usageError("name a message FILE, or - for standard input")
	}
	if !*offline {
		if err := sf.resolver(); err != nil {
			return err
		}
	}
	failed, total := 0, 0
	// One reader serves every message in turn: the header block is read
	// once, for the From domain and the signatures alike.
	br := bufio.NewReaderSize(nil, 16<<10)
	// Key records are parsed once for the run, however many messages
	// their domains signed.
	keys := dkim.NewKeyCache(0)
	err := eachMessage(ctx, sf.fs.Args(), stdin, func(source string, data []byte, readErr error) error {
		total++
		out := checkDKIM(ctx, br, keys, source, data, readErr, sf, *offline, *at)
		if out.Error != "" {
			failed++
		}
		if sf.format == formatJSON {
			return writeJSON(stdout, out)
		}
		printDKIM(stdout, out)
		return nil
	})
	if err != nil {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("stopped after %d message(s): %v", total, err)}
	}
	if failed > 0 {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("%d of %d message(s) could not be checked", failed, total)}
	}
	return nil
}

// checkDKIM checks the message data read from source; readErr is why it
// could not be read. br is reset to read data; keys parses key records.
func checkDKIM(ctx context.Context, br *bufio.Reader, keys *dkim.KeyCache, source string, data []byte, readErr error, sf *subFlags, offline bool, at string) dkimMessageJSON {
	out := dkimMessageJSON{Source: source, Offline: offline, Signatures: []dkimSigJSON{}}
	if readErr != nil {
		out.Error = readErr.Error()
		return out
	}
	br.Reset(bytes.NewReader(data))
	defer br.Reset(nil)
	fields, err := header.Read(br, header.Limits{})
	if err != nil {
		out.Error = fmt.Errorf("%w: %w", dkim.ErrUnreadableMessage, err).Error()
		return out
	}
	msg := &dkim.Message{Header: make([]dkim.Field, len(fields)), Body: br}
	for i, f := range fields {
		msg.Header[i] = dkim.Field{Name: f.Name, Raw: f.Raw}
	}
	from := fromDomain(fields)
	// A header block pasted alone has no body: its body hashes are not
	// checked, and nothing is reported as changed.
	noBody := noMessageBody(data)
	out.NoBody = noBody
	if offline {
		checks, err := dkim.CheckMessageBodies(msg)
		if err != nil {
			out.Error = err.Error()
			return out
		}
		for _, c := range checks {
			s := dkimSigJSON{Index: c.Index, UnsignedBodyBytes: c.UnsignedBodyBytes,
				BodyHashComputed: b64(c.Computed), BodyHashExpected: b64(c.Expected), Result: "none", Explanation: "not verified (offline): body hash only"}
			switch {
			case noBody:
				s.BodyHashComputed, s.Explanation = "", "not verified (offline), and the body hash not checked: the input has no body"
			case c.Err != nil:
				s.Explanation = c.Err.Error()
			}
			if !noBody {
				intact := c.Intact
				s.BodyIntact = &intact
			}
			fillSig(&s, c.Signature, from)
			out.Signatures = append(out.Signatures, s)
		}
		return out
	}
	when := verifyTime(at, data)
	out.VerifiedAt = when
	results, err := dkim.VerifyMessage(ctx, sf.dns.resolver, msg, dkim.Options{Now: func() time.Time { return when }, NoBody: noBody, Keys: keys})
	if err != nil {
		out.Error = err.Error()
		return out
	}
	for _, r := range results {
		s := dkimSigJSON{Index: r.Index, Result: string(r.Status), Reason: string(r.Reason), Explanation: r.Explanation,
			KeyType: r.KeyType, KeyBits: r.KeyBits, BodyHashComputed: b64(r.BodyHashComputed), BodyHashExpected: b64(r.BodyHashExpected),
			UnsignedBodyBytes: r.UnsignedBodyBytes, FromSigned: r.FromSigned, FromOversigned: r.FromOversigned}
		if r.BodyHashComputed != nil {
			intact := r.BodyIntact()
			s.BodyIntact = &intact
		}
		if noBody && r.Status == dkim.StatusPass {
			s.Explanation = "the signature over the header fields verified (bh= among them); the body was not checked: the input has no body"
		}
		for _, w := range r.Warnings {
			s.Warnings = append(s.Warnings, w.Message)
		}
		fillSig(&s, r.Signature, from)
		out.Signatures = append(out.Signatures, s)
	}
	return out
}

func fillSig(s *dkimSigJSON, sig *dkim.Signature, from string) {
	if sig == nil {
		return
	}
	s.Domain, s.Selector, s.Algorithm, s.Canonicalization = sig.Domain, sig.Selector, string(sig.Algorithm), sig.Canonicalization()
	s.Aligned = from != "" && dkim.Aligned(sig.Domain, from, align.ModeRelaxed)
}

func printDKIM(w io.Writer, m dkimMessageJSON) {
	fmt.Fprintf(w, "%s\n", textsafe.Clean(m.Source))
	if m.Error != "" {
		fmt.Fprintf(w, "  ERROR %s\n", textsafe.Clean(m.Error))
		return
	}
	if len(m.Signatures) == 0 {
		fmt.Fprintf(w, "  no DKIM-Signature field\n")
	}
	for _, s := range m.Signatures {
		fmt.Fprintf(w, "  #%d %-9s d=%s s=%s a=%s c=%s, %s\n", s.Index+1, s.Result, textsafe.Clean(s.Domain), textsafe.Clean(s.Selector), s.Algorithm, s.Canonicalization, map[bool]string{true: "aligned", false: "not aligned"}[s.Aligned])
		fmt.Fprintf(w, "     %s\n", textsafe.Clean(s.Explanation))
		if s.KeyBits > 0 {
			fmt.Fprintf(w, "     key %s %d bits\n", s.KeyType, s.KeyBits)
		}
		if s.BodyHashExpected != "" {
			state := "body not checked: the input has no body"
			switch {
			case s.BodyIntact == nil:
			case *s.BodyIntact:
				state = "body intact"
			default:
				state = "body changed: computed " + s.BodyHashComputed
			}
			fmt.Fprintf(w, "     bh=%s (%s)\n", s.BodyHashExpected, state)
		}
		for _, warn := range s.Warnings {
			fmt.Fprintf(w, "     ! %s\n", textsafe.Clean(warn))
		}
	}
}

// fromDomain returns the domain of the first From address among fields.
func fromDomain(fields []header.Field) string {
	v := ""
	for _, f := range fields {
		if f.Is("From") {
			v = f.Value()
			break
		}
	}
	if i := strings.LastIndexByte(v, '@'); i >= 0 {
		d, err := align.Normalize(strings.TrimRight(v[i+1:], "> \t"))
		if err == nil {
			return d
		}
	}
	return ""
}

// verifyTime is the moment --at names for this message.
func verifyTime(at string, data []byte) time.Time {
	switch strings.ToLower(at) {
	case "", "now":
		return time.Now()
	case "date", "received":
		m, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			return time.Now()
		}
		if at == "date" {
			if t, err := m.Header.Date(); err == nil {
				return t
			}
			return time.Now()
		}
		if rs := m.Header["Received"]; len(rs) > 0 {
			if h, err := received.Parse(rs[0]); err == nil && !h.Date.IsZero() {
				return h.Date
			}
		}
		return time.Now()
	}
	t, _ := time.Parse(time.RFC3339, at)
	return t
}

func b64(b []byte) string {
	if b == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(b)
}

// noMessageBody reports whether data holds a header block alone: nothing
// but white space after the blank line that ends it, or no blank line.
// Line ends may be CRLF or bare LF.
func noMessageBody(data []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return true
		}
		i += j + 1
		rest := data[i:]
		if len(rest) > 0 && rest[0] == '\r' {
			rest = rest[1:]
		}
		if len(rest) > 0 && rest[0] == '\n' {
			return len(bytes.TrimSpace(data[i-1:])) == 0
		}
	}
}
