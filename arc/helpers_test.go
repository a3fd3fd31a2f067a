package arc

import (
	"bufio"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dkimcore"
	"github.com/authlens/authlens/internal/header"
)

// testSealer adds ARC sets to messages in tests, the way a forwarding hop
// would (RFC 8617, section 5.1).
type testSealer struct {
	key              *rsa.PrivateKey
	domain, selector string
}

func newTestSealer(t *testing.T, domain, selector string) *testSealer {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return &testSealer{key: k, domain: domain, selector: selector}
}

// keyName and keyRecord are the DNS name and TXT value of the public key.
func (ts *testSealer) keyName() string { return ts.selector + "._domainkey." + ts.domain }

func (ts *testSealer) keyRecord(t *testing.T) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&ts.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
}

func (ts *testSealer) sign(t *testing.T, data []byte) string {
	t.Helper()
	sum := sha256.Sum256(data)
	sig, err := rsa.SignPKCS1v15(rand.Reader, ts.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// seal adds the next ARC set to msg (CRLF line ends) with aar as the
// results payload and cv as the chain status the hop found.
func (ts *testSealer) seal(t *testing.T, msg, aar string, cv ChainValidation) string {
	t.Helper()
	head, body, _ := strings.Cut(msg, "\r\n\r\n")
	fields, err := header.Read(bufio.NewReader(strings.NewReader(head+"\r\n\r\n")), header.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	c := collect(fields, nil)
	if c.err != nil {
		t.Fatalf("sealing a broken chain: %v", c.err)
	}
	n := len(c.sets) + 1
	aarField := fmt.Sprintf("ARC-Authentication-Results: i=%d; %s\r\n", n, aar)

	// The AMS: relaxed/relaxed over From, To, Subject, Date and the AAR.
	bh, err := dkimcore.HashBody(strings.NewReader(body), []dkimcore.BodySpec{{Canon: dkimcore.CanonRelaxed, Hash: crypto.SHA256, Length: -1}})
	if err != nil {
		t.Fatal(err)
	}
	amsHead := fmt.Sprintf("ARC-Message-Signature: i=%d; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=%s;\r\n t=1700000000; h=from:to:subject:date:arc-authentication-results;\r\n bh=%s; b=",
		n, ts.domain, ts.selector, base64.StdEncoding.EncodeToString(bh[0].Sum))
	// The new AAR goes on top, so it is the first field, as the verifier
	// will see it.
	visible := append([]header.Field{{Name: "ARC-Authentication-Results", Raw: []byte(aarField)}}, fields...)
	var hb strings.Builder
	dkimcore.HashHeaders(&hb, visible, []string{"from", "to", "subject", "date", "arc-authentication-results"}, dkimcore.CanonRelaxed)
	self, err := dkimcore.AppendSignatureField(nil, []byte(amsHead+"\r\n"), dkimcore.CanonRelaxed)
	if err != nil {
		t.Fatal(err)
	}
	amsField := amsHead + ts.sign(t, append([]byte(hb.String()), self...)) + "\r\n"

	// The AS: every earlier set, then this one, b= emptied.
	asHead := fmt.Sprintf("ARC-Seal: i=%d; a=rsa-sha256; t=1700000000; cv=%s; d=%s; s=%s;\r\n b=", n, cv, ts.domain, ts.selector)
	var sb []byte
	for _, s := range c.sets {
		sb = dkimcore.CanonicalizeHeader(sb, s.ResultsField, dkimcore.CanonRelaxed)
		sb = dkimcore.CanonicalizeHeader(sb, s.MessageSignatureField, dkimcore.CanonRelaxed)
		sb = dkimcore.CanonicalizeHeader(sb, s.SealField, dkimcore.CanonRelaxed)
	}
	sb = dkimcore.CanonicalizeHeader(sb, []byte(aarField), dkimcore.CanonRelaxed)
	sb = dkimcore.CanonicalizeHeader(sb, []byte(amsField), dkimcore.CanonRelaxed)
	sb, err = dkimcore.AppendSignatureField(sb, []byte(asHead+"\r\n"), dkimcore.CanonRelaxed)
	if err != nil {
		t.Fatal(err)
	}
	asField := asHead + ts.sign(t, sb) + "\r\n"
	return asField + amsField + aarField + msg
}

// baseMessage is an unsealed message, as the author sent it.
const baseMessage = "From: Alice <alice@example.com>\r\n" +
	"To: list@lists.example.net\r\n" +
	"Subject: hello\r\n" +
	"Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n" +
	"Message-ID: <1@example.com>\r\n" +
	"\r\n" +
	"Hello, list.\r\n"
