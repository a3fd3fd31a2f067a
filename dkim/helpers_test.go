package dkim

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/internal/dnstest"
	"github.com/authlens/authlens/internal/header"
)

// loadKey reads a test-only PKCS#8 private key from testdata.
func loadKey(tb testing.TB, name string) crypto.Signer {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	blk, _ := pem.Decode(data)
	if blk == nil {
		tb.Fatalf("%s: no PEM block", name)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return k.(crypto.Signer)
}

// keyRecord returns the DKIM TXT record for a signer's public key.
func keyRecord(tb testing.TB, k crypto.Signer) string {
	tb.Helper()
	switch pub := k.Public().(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			tb.Fatal(err)
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	}
	tb.Fatalf("unknown key type %T", k)
	return ""
}

// signSpec describes a signature made by testSign.
type signSpec struct {
	key      crypto.Signer
	alg      Algorithm
	domain   string
	selector string
	hc, bc   Canonicalization
	headers  []string
	length   int64  // l=; negative for none
	extra    string // more tags, e.g. "i=@example.com; x=123"
	t        time.Time
	// corrupt, when set, edits the canonical header data before signing,
	// to produce a signature that cannot verify.
	noT bool
}

// testSign signs msg as sp says and returns the message with the
// DKIM-Signature field prepended. It is a test-only signer, built on the
// package's own canonicalization so that tags go-msgauth cannot produce
// (l=, x=, i= outside d=) can be tested; the differential and vector
// tests check that canonicalization independently.
func testSign(tb testing.TB, msg []byte, sp signSpec) []byte {
	tb.Helper()
	br := bufio.NewReader(bytes.NewReader(msg))
	fields, err := header.Read(br, header.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	if sp.hc == "" {
		sp.hc = CanonRelaxed
	}
	if sp.bc == "" {
		sp.bc = CanonRelaxed
	}
	if sp.alg == "" {
		sp.alg = AlgRSASHA256
	}
	h, _ := sp.alg.Hash()
	bhs, err := hashBody(br, []bodySpec{{Canon: sp.bc, Hash: h, Length: sp.length}})
	if err != nil {
		tb.Fatal(err)
	}
	var v strings.Builder
	fmt.Fprintf(&v, "v=1; a=%s; c=%s/%s; d=%s; s=%s;", sp.alg, sp.hc, sp.bc, sp.domain, sp.selector)
	if !sp.noT {
		ts := sp.t
		if ts.IsZero() {
			ts = time.Unix(1700000000, 0)
		}
		fmt.Fprintf(&v, " t=%d;", ts.Unix())
	}
	if sp.length >= 0 {
		fmt.Fprintf(&v, " l=%d;", sp.length)
	}
	if sp.extra != "" {
		fmt.Fprintf(&v, " %s;", sp.extra)
	}
	fmt.Fprintf(&v, "\r\n\th=%s;\r\n\tbh=%s;\r\n\tb=", strings.Join(sp.headers, ":"), base64.StdEncoding.EncodeToString(bhs[0].Sum))
	field := []byte("DKIM-Signature: " + v.String() + "\r\n")
	hh := h.New()
	hashHeaderFields(hh, fields, sp.headers, sp.hc)
	last, err := appendSignatureField(nil, field, sp.hc)
	if err != nil {
		tb.Fatal(err)
	}
	hh.Write(last)
	digest := hh.Sum(nil)
	var sig []byte
	switch k := sp.key.(type) {
	case *rsa.PrivateKey:
		sig, err = rsa.SignPKCS1v15(nil, k, h, digest)
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, digest)
	default:
		sig, err = sp.key.Sign(rand.Reader, digest, h)
	}
	if err != nil {
		tb.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(sig)
	// Fold b= as signers do.
	var folded strings.Builder
	for len(b64) > 64 {
		folded.WriteString(b64[:64] + "\r\n\t ")
		b64 = b64[64:]
	}
	folded.WriteString(b64)
	field = append(field[:len(field)-2], folded.String()+"\r\n"...)
	return append(field, msg...)
}

// loopbackResolver serves z from a DNS server on 127.0.0.1 and returns
// the project's DNS client pointed at it: a patient one (a busy machine's
// slow answer must not read as a timeout), and a quick one for the names
// the zone drops on purpose, so those cases stay fast.
func loopbackResolver(tb testing.TB, z *dnstest.Zone) Resolver {
	tb.Helper()
	srv := dnstest.StartServer(tb, z)
	client := func(timeout time.Duration, tries int) *dnsclient.Client {
		c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}, Timeout: timeout, Tries: tries, CacheSize: -1, MaxFailures: -1})
		if err != nil {
			tb.Fatal(err)
		}
		return c
	}
	return splitResolver{zone: z, quick: client(300*time.Millisecond, 1), patient: client(5*time.Second, 2)}
}

// splitResolver sends TXT questions the zone drops to quick, others to
// patient.
type splitResolver struct {
	zone           *dnstest.Zone
	quick, patient Resolver
}

func (r splitResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	if r.zone.Drops(name, dns.TypeTXT) {
		return r.quick.LookupTXT(ctx, name)
	}
	return r.patient.LookupTXT(ctx, name)
}

// atTime returns an Options.Now for the Unix time sec.
func atTime(sec int64) func() time.Time {
	return func() time.Time { return time.Unix(sec, 0) }
}

var _ = context.Background
