package dkim

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authlens/authlens/internal/dnstest"
)

const baseMsg = "From: Joe SixPack <joe@football.example.com>\r\n" +
	"To: Suzie Q <suzie@shopping.example.net>\r\n" +
	"Subject: Is dinner ready?\r\n" +
	"Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n" +
	"Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n" +
	"\r\n" +
	"Hi.\r\n" +
	"\r\n" +
	"We lost the game.  Are you hungry yet?\r\n" +
	"\r\n" +
	"Joe.\r\n"

// fixture is one "valid, then break one thing" setup.
type fixture struct {
	msg   string              // message before signing
	spec  signSpec            // the signature
	specs []signSpec          // more signatures, applied after spec
	post  func(string) string // edits the signed message
	zone  *dnstest.Zone
	opts  Options
	rsa   string // key records, to re-publish differently
	ed    string
	rsa1k string
}

// TestVerifyBreakOne signs a valid message, breaks one thing, and checks
// the status, reason, sentinel error and warnings.
func TestVerifyBreakOne(t *testing.T) {
	rsaKey := loadKey(t, "rsa2048.pem")
	rsa1k := loadKey(t, "rsa1024.pem")
	edKey := loadKey(t, "ed25519.pem")
	now := time.Unix(1700003600, 0)

	prepare := func() *fixture {
		f := &fixture{
			msg: baseMsg,
			spec: signSpec{key: rsaKey, domain: "example.com", selector: "sel", length: -1,
				headers: []string{"From", "To", "Subject", "Date"}},
			zone:  dnstest.NewZone(),
			opts:  Options{Now: func() time.Time { return now }},
			rsa:   keyRecord(t, rsaKey),
			ed:    keyRecord(t, edKey),
			rsa1k: keyRecord(t, rsa1k),
		}
		f.zone.AddTXT("sel._domainkey.example.com", f.rsa)
		f.zone.AddTXT("ed._domainkey.example.com", f.ed)
		f.zone.AddTXT("small._domainkey.example.com", f.rsa1k)
		return f
	}

	tests := []struct {
		name     string
		mod      func(f *fixture)
		idx      int // which result the case is about
		status   Status
		reason   Reason
		err      error
		warnings []WarningCode
		check    func(t *testing.T, res []Result)
	}{
		{
			// RFC 6376, section 6.1: a valid signature passes.
			name:     "valid rsa",
			mod:      func(f *fixture) {},
			status:   StatusPass,
			reason:   ReasonPass,
			warnings: []WarningCode{WarnFromNotOversigned},
		},
		{
			// RFC 8463, section 3: ed25519-sha256.
			name: "valid ed25519",
			mod: func(f *fixture) {
				f.spec.key, f.spec.alg, f.spec.selector = edKey, AlgEd25519SHA256, "ed"
			},
			status: StatusPass, reason: ReasonPass,
		},
		{
			// RFC 6376, section 5.4.2: listing From once more than it
			// occurs over-signs it.
			name: "over-signed From",
			mod: func(f *fixture) {
				f.spec.headers = []string{"From", "From", "To", "Subject"}
			},
			status: StatusPass, reason: ReasonPass,
			check: func(t *testing.T, res []Result) {
				if !res[0].FromOversigned || res[0].HasWarning(WarnFromNotOversigned) {
					t.Errorf("FromOversigned=%v warnings=%v", res[0].FromOversigned, res[0].Warnings)
				}
			},
		},
		{
			// RFC 6376, section 3.4.4: relaxed body canonicalization
			// tolerates changed white space at line ends.
			name: "relaxed tolerates trailing white space",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "Hi.\r\n", "Hi.  \t\r\n", 1) }
			},
			status: StatusPass, reason: ReasonPass,
		},
		{
			// RFC 6376, section 3.7: a changed body changes the body hash.
			name: "body changed",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "lost", "won", 1) }
			},
			status: StatusFail, reason: ReasonBodyHashMismatch, err: ErrBodyHashMismatch,
			check: func(t *testing.T, res []Result) {
				if res[0].BodyIntact() || bytes.Equal(res[0].BodyHashComputed, res[0].BodyHashExpected) {
					t.Error("body reported intact")
				}
			},
		},
		{
			// RFC 6376, section 3.4.3: simple body canonicalization does
			// not tolerate changed white space.
			name: "simple body breaks on white space",
			mod: func(f *fixture) {
				f.spec.bc = CanonSimple
				f.post = func(s string) string { return strings.Replace(s, "Hi.\r\n", "Hi. \r\n", 1) }
			},
			status: StatusFail, reason: ReasonBodyHashMismatch, err: ErrBodyHashMismatch,
		},
		{
			// RFC 6376, section 6.1.3: a changed signed header field
			// breaks the signature.
			name: "signed header changed",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "Is dinner ready?", "Is lunch ready?", 1) }
			},
			status: StatusFail, reason: ReasonSignatureMismatch, err: ErrSignatureMismatch,
			check: func(t *testing.T, res []Result) {
				if !res[0].BodyIntact() {
					t.Error("body should be intact")
				}
			},
		},
		{
			// RFC 6376, section 5.4: fields not in h= are not covered.
			name: "unsigned header added",
			mod: func(f *fixture) {
				f.post = func(s string) string { return "X-Added: yes\r\n" + s }
			},
			status: StatusPass, reason: ReasonPass,
		},
		{
			// RFC 6376, section 6.1.2, step 3: no key record is PERMFAIL.
			name:   "key not found",
			mod:    func(f *fixture) { f.zone.Remove("sel._domainkey.example.com") },
			status: StatusPermError, reason: ReasonKeyNotFound, err: ErrKeyNotFound,
		},
		{
			// RFC 6376, section 6.1.2, step 2: a failed query is TEMPFAIL.
			name:   "key lookup fails",
			mod:    func(f *fixture) { f.zone.SetServFail("sel._domainkey.example.com", "TXT") },
			status: StatusTempError, reason: ReasonKeyUnavailable, err: ErrKeyUnavailable,
		},
		{
			// RFC 6376, section 3.6.1: an empty p= means revoked.
			name: "key revoked",
			mod: func(f *fixture) {
				f.zone.Remove("sel._domainkey.example.com").AddTXT("sel._domainkey.example.com", "v=DKIM1; k=rsa; p=")
			},
			status: StatusPermError, reason: ReasonKeyRevoked, err: ErrKeyRevoked,
		},
		{
			// RFC 6376, section 3.6.1: a record that does not parse.
			name: "key malformed",
			mod: func(f *fixture) {
				f.zone.Remove("sel._domainkey.example.com").AddTXT("sel._domainkey.example.com", "v=DKIM1; k=rsa; p=!!!")
			},
			status: StatusPermError, reason: ReasonKeyMalformed, err: ErrKeySyntax,
		},
		{
			// RFC 6376, section 6.1.2, step 7: k= must suit a=.
			name: "key type mismatch",
			mod: func(f *fixture) {
				f.zone.Remove("sel._domainkey.example.com").AddTXT("sel._domainkey.example.com", f.ed)
			},
			status: StatusPermError, reason: ReasonKeyTypeMismatch, err: ErrKeyTypeMismatch,
		},
		{
			// RFC 6376, section 6.1.2, step 6: the key's h= must allow
			// the hash of a=.
			name: "key hash mismatch",
			mod: func(f *fixture) {
				f.zone.Remove("sel._domainkey.example.com").AddTXT("sel._domainkey.example.com",
					strings.Replace(f.rsa, "k=rsa;", "k=rsa; h=sha1;", 1))
			},
			status: StatusPermError, reason: ReasonKeyHashMismatch, err: ErrKeyHashMismatch,
		},
		{
			// RFC 6376, section 3.6.1: s= must include email or *.
			name: "key service mismatch",
			mod: func(f *fixture) {
				f.zone.Remove("sel._domainkey.example.com").AddTXT("sel._domainkey.example.com",
					strings.Replace(f.rsa, "k=rsa;", "k=rsa; s=tlsrpt;", 1))
			},
			status: StatusPermError, reason: ReasonKeyServiceMismatch, err: ErrKeyServiceMismatch,
		},
		{
			// RFC 6376, section 3.5: x= in the past may be invalid.
			name:   "expired",
			mod:    func(f *fixture) { f.spec.extra = "x=1700000600" },
			status: StatusPermError, reason: ReasonExpired, err: ErrExpired,
		},
		{
			// RFC 6376, section 3.5: the same message verified as of a
			// time before x= passes.
			name: "expired, verified as of delivery",
			mod: func(f *fixture) {
				f.spec.extra = "x=1700000600"
				f.opts.Now = func() time.Time { return time.Unix(1700000060, 0) }
			},
			status: StatusPass, reason: ReasonPass,
		},
		{
			// RFC 6376, section 3.5: a t= in the future may be ignored.
			name:   "from the future",
			mod:    func(f *fixture) { f.spec.t = now.Add(72 * time.Hour) },
			status: StatusPermError, reason: ReasonFutureTimestamp, err: ErrFutureTimestamp,
		},
		{
			// RFC 6376, section 3.5: a t= a little in the future is clock
			// skew: pass with a warning.
			name:   "clock skew",
			mod:    func(f *fixture) { f.spec.t = now.Add(2 * time.Hour) },
			status: StatusPass, reason: ReasonPass,
			warnings: []WarningCode{WarnFutureTimestamp},
		},
		{
			// RFC 6376, section 3.5: bh= is required.
			name: "malformed: bh= missing",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "bh=", "xh=", 1) }
			},
			status: StatusPermError, reason: ReasonMalformedSignature, err: ErrMalformedSignature,
			check: func(t *testing.T, res []Result) {
				if !strings.Contains(res[0].Err.Error(), "bh=") {
					t.Errorf("error does not name the tag: %v", res[0].Err)
				}
			},
		},
		{
			// RFC 6376, section 3.2: a tag may not occur twice.
			name: "malformed: duplicate tag",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "s=sel;", "s=sel; s=sel;", 1) }
			},
			status: StatusPermError, reason: ReasonMalformedSignature, err: ErrDuplicateTag,
		},
		{
			// RFC 6376, section 6.1.1: v= must be 1.
			name: "unsupported version",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "v=1;", "v=2;", 1) }
			},
			status: StatusPermError, reason: ReasonUnsupportedVersion, err: ErrUnsupportedVersion,
		},
		{
			// RFC 6376, section 6.1.1: an unknown a= is PERMFAIL.
			name: "unsupported algorithm",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "a=rsa-sha256", "a=rsa-sha512", 1) }
			},
			status: StatusPermError, reason: ReasonUnsupportedAlgorithm, err: ErrUnsupportedAlgorithm,
		},
		{
			// RFC 6376, section 3.4: an unknown canonicalization.
			name: "unsupported canonicalization",
			mod: func(f *fixture) {
				f.post = func(s string) string { return strings.Replace(s, "c=relaxed/relaxed", "c=relaxed/fancy", 1) }
			},
			status: StatusPermError, reason: ReasonUnsupportedAlgorithm, err: ErrUnsupportedAlgorithm,
		},
		{
			// RFC 8301, section 3.1: rsa-sha1 must not be considered valid.
			name:   "rsa-sha1",
			mod:    func(f *fixture) { f.spec.alg = AlgRSASHA1 },
			status: StatusPermError, reason: ReasonWeakHash, err: ErrWeakHash,
			check: func(t *testing.T, res []Result) {
				if !res[0].BodyIntact() {
					t.Error("the body hash should still be computed and match")
				}
			},
		},
		{
			// RFC 8301, section 3.2: 1024-bit keys must be accepted, but
			// deserve a warning.
			name:   "1024-bit key",
			mod:    func(f *fixture) { f.spec.key, f.spec.selector = rsa1k, "small" },
			status: StatusPass, reason: ReasonPass,
			warnings: []WarningCode{WarnWeakKey},
			check: func(t *testing.T, res []Result) {
				if res[0].KeyBits != 1024 || res[0].KeyType != "rsa" {
					t.Errorf("key %s/%d", res[0].KeyType, res[0].KeyBits)
				}
			},
		},
		{
			// RFC 8301, section 3.2: keys below the verifier's floor are
			// refused.
			name: "key below MinRSABits",
			mod: func(f *fixture) {
				f.spec.key, f.spec.selector = rsa1k, "small"
				f.opts.MinRSABits = 2048
			},
			status: StatusPermError, reason: ReasonWeakKey, err: ErrWeakKey,
		},
		{
			// RFC 6376, section 6.1.1: i= must be within d=.
			name:   "i= outside d=",
			mod:    func(f *fixture) { f.spec.extra = "i=joe@example.org" },
			status: StatusPermError, reason: ReasonIdentityOutsideDomain, err: ErrIdentityOutsideDomain,
		},
		{
			// RFC 6376, section 6.1.1: a subdomain of d= is fine.
			name:   "i= in a subdomain",
			mod:    func(f *fixture) { f.spec.extra = "i=joe@mail.example.com" },
			status: StatusPass, reason: ReasonPass,
		},
		{
			// RFC 6376, section 3.6.1: a key flagged t=s allows i= only
			// exactly at d=.
			name: "i= in a subdomain, key t=s",
			mod: func(f *fixture) {
				f.spec.extra = "i=joe@mail.example.com"
				f.zone.Remove("sel._domainkey.example.com").AddTXT("sel._domainkey.example.com",
					strings.Replace(f.rsa, "k=rsa;", "k=rsa; t=s;", 1))
			},
			status: StatusPermError, reason: ReasonIdentityOutsideDomain, err: ErrIdentityOutsideDomain,
		},
		{
			// RFC 6376, section 5.4: From must be signed.
			name:   "From not signed",
			mod:    func(f *fixture) { f.spec.headers = []string{"To", "Subject"} },
			status: StatusPermError, reason: ReasonFromNotSigned, err: ErrFromNotSigned,
			warnings: []WarningCode{WarnFromNotSigned},
		},
		{
			// RFC 6376, sections 3.5 and 8.2: with l=, text appended
			// after signing is not covered; pass, and say how much.
			name: "l= with appended text",
			mod: func(f *fixture) {
				f.spec.length = int64(len(canonRelaxedBody(t, baseMsg)))
				f.post = func(s string) string { return s + "Buy cheap stuff!\r\n" }
			},
			status: StatusPass, reason: ReasonPass,
			warnings: []WarningCode{WarnBodyLength},
			check: func(t *testing.T, res []Result) {
				if got := res[0].UnsignedBodyBytes; got != int64(len("Buy cheap stuff!\r\n")) {
					t.Errorf("UnsignedBodyBytes = %d", got)
				}
			},
		},
		{
			// RFC 6376, section 6.1.3: a body shorter than l= fails.
			name: "l= longer than the body",
			mod: func(f *fixture) {
				f.spec.length = int64(len(canonRelaxedBody(t, baseMsg)))
				f.post = func(s string) string { return strings.TrimSuffix(s, "Joe.\r\n") }
			},
			status: StatusPermError, reason: ReasonBodyTooShort, err: ErrBodyTooShort,
		},
		{
			// RFC 6376, sections 5.4.2 and 8.15: a second From above the
			// signed one leaves the signature valid, with a warning.
			name: "second From prepended",
			mod: func(f *fixture) {
				f.post = func(s string) string { return "From: attacker@evil.example\r\n" + s }
			},
			status: StatusPass, reason: ReasonPass,
			warnings: []WarningCode{WarnUnsignedFrom},
		},
		{
			// RFC 6376, section 5.4.2: when From is over-signed, adding
			// one breaks the signature.
			name: "over-signed From, second From added",
			mod: func(f *fixture) {
				f.spec.headers = []string{"From", "From", "To", "Subject"}
				f.post = func(s string) string { return "From: attacker@evil.example\r\n" + s }
			},
			status: StatusFail, reason: ReasonSignatureMismatch, err: ErrSignatureMismatch,
		},
		{
			// RFC 6376, section 6.1: verifiers may limit how many
			// signatures they verify.
			name: "too many signatures",
			mod: func(f *fixture) {
				f.specs = []signSpec{{key: edKey, alg: AlgEd25519SHA256, domain: "example.com", selector: "ed", length: -1, headers: []string{"From"}}}
				f.opts.MaxSignatures = 1
			},
			idx:    1,
			status: StatusPolicy, reason: ReasonTooManySignatures, err: ErrTooManySignatures,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := prepare()
			tc.mod(f)
			signed := testSign(t, []byte(f.msg), f.spec)
			for _, sp := range f.specs {
				signed = testSign(t, signed, sp)
			}
			msg := string(signed)
			if f.post != nil {
				msg = f.post(msg)
			}
			res, err := Verify(context.Background(), f.zone.Resolver(), strings.NewReader(msg), f.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) == 0 {
				t.Fatal("no results")
			}
			r := res[tc.idx]
			if r.Status != tc.status || r.Reason != tc.reason {
				t.Errorf("got %s/%s (%v), want %s/%s", r.Status, r.Reason, r.Err, tc.status, tc.reason)
			}
			if tc.err == nil && r.Err != nil {
				t.Errorf("unexpected error %v", r.Err)
			}
			if tc.err != nil && !errors.Is(r.Err, tc.err) {
				t.Errorf("error %v is not %v", r.Err, tc.err)
			}
			if r.Explanation == "" {
				t.Error("no explanation")
			}
			for _, w := range tc.warnings {
				if !r.HasWarning(w) {
					t.Errorf("missing warning %s in %v", w, r.Warnings)
				}
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

// canonRelaxedBody returns the relaxed canonical body of msg.
func canonRelaxedBody(tb testing.TB, msg string) []byte {
	tb.Helper()
	_, body, _ := strings.Cut(msg, "\r\n\r\n")
	var out bytes.Buffer
	bc := newBodyCanonicalizer(&out, CanonRelaxed)
	bc.Write([]byte(body))
	bc.Close()
	return out.Bytes()
}

// TestVerifyKeyCache checks that two signatures with the same selector and
// domain cause one lookup.
func TestVerifyKeyCache(t *testing.T) {
	key := loadKey(t, "rsa2048.pem")
	z := dnstest.NewZone().AddTXT("sel._domainkey.example.com", keyRecord(t, key))
	sp := signSpec{key: key, domain: "example.com", selector: "sel", length: -1, headers: []string{"From"}}
	msg := testSign(t, []byte(baseMsg), sp)
	sp.bc = CanonSimple
	msg = testSign(t, msg, sp)
	r := z.Resolver()
	res, err := Verify(context.Background(), r, bytes.NewReader(msg), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range res {
		if x.Status != StatusPass {
			t.Errorf("%s", x.String())
		}
	}
	if n := r.Count(); n != 1 {
		t.Errorf("%d lookups, want 1", n)
	}
}

// TestVerifyUnreadable checks that only an unreadable message is a
// top-level error, and that an unsigned message gives no results.
func TestVerifyUnreadable(t *testing.T) {
	z := dnstest.NewZone()
	_, err := Verify(context.Background(), z.Resolver(), strings.NewReader("not a header\r\n\r\nbody"), Options{})
	if !errors.Is(err, ErrUnreadableMessage) {
		t.Errorf("err = %v, want ErrUnreadableMessage", err)
	}
	res, err := Verify(context.Background(), z.Resolver(), strings.NewReader(baseMsg), Options{})
	if err != nil || len(res) != 0 {
		t.Errorf("unsigned: %v, %v", res, err)
	}
}

// TestCheckBodies checks the offline body verdicts.
func TestCheckBodies(t *testing.T) {
	key := loadKey(t, "rsa2048.pem")
	sp := signSpec{key: key, domain: "example.com", selector: "sel", length: -1, headers: []string{"From"}}
	msg := string(testSign(t, []byte(baseMsg), sp))
	tests := []struct {
		name   string
		msg    string
		intact bool
		err    error
	}{
		{"intact", msg, true, nil},
		{"LF line ends", strings.ReplaceAll(msg, "\r\n", "\n"), true, nil},
		{"changed", strings.Replace(msg, "lost", "won", 1), false, ErrBodyHashMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bcs, err := CheckBodies(strings.NewReader(tc.msg))
			if err != nil {
				t.Fatal(err)
			}
			if len(bcs) != 1 {
				t.Fatalf("%d checks", len(bcs))
			}
			if bcs[0].Intact != tc.intact {
				t.Errorf("Intact = %v", bcs[0].Intact)
			}
			if tc.err != nil && !errors.Is(bcs[0].Err, tc.err) || tc.err == nil && bcs[0].Err != nil {
				t.Errorf("Err = %v, want %v", bcs[0].Err, tc.err)
			}
		})
	}
}
