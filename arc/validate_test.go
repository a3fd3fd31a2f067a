package arc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authlens/authlens/dnsclient"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/internal/dnstest"
)

// chainFixture is a message sealed by two hops, with the zone that holds
// both keys.
type chainFixture struct {
	msg  string
	zone *dnstest.Zone
}

// newChain seals baseMessage at a mailing list (i=1) and then at a
// mailbox provider (i=2).
func newChain(t *testing.T) chainFixture {
	t.Helper()
	list := newTestSealer(t, "lists.example.net", "arc1")
	mbox := newTestSealer(t, "mail.example.org", "arc2")
	zone := dnstest.NewZone()
	zone.AddTXT(list.keyName(), list.keyRecord(t))
	zone.AddTXT(mbox.keyName(), mbox.keyRecord(t))
	msg := list.seal(t, baseMessage, "lists.example.net; spf=pass smtp.mailfrom=alice@example.com; dkim=pass header.d=example.com; dmarc=pass header.from=example.com", CVNone)
	msg = mbox.seal(t, msg, "mx.example.org; spf=fail smtp.mailfrom=bounces@lists.example.net; dkim=fail header.d=example.com; dmarc=fail header.from=example.com; arc=pass", CVPass)
	return chainFixture{msg: msg, zone: zone}
}

// TestValidateMutations starts from a valid two-hop chain and breaks one
// thing per case.
func TestValidateMutations(t *testing.T) {
	fx := newChain(t)
	tests := []struct {
		name       string
		mutate     func(msg string, z *dnstest.Zone) string
		status     Status
		reason     Reason
		failedInst int
		sentinel   error
	}{
		{"valid", nil, StatusPass, ReasonPass, 0, nil},
		// RFC 8617, section 5.2, step 4: the newest AMS covers the body.
		{"body changed after the last hop", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "Hello, list.", "Hello, world.", 1)
		}, StatusFail, ReasonBodyHashMismatch, 2, ErrBodyHashMismatch},
		// RFC 8617, section 5.2, step 4: and the signed header fields.
		{"subject changed after the last hop", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "Subject: hello", "Subject: HELLO there", 1)
		}, StatusFail, ReasonAMSSignature, 2, ErrAMSSignature},
		// RFC 8617, section 5.2, step 6: the seal of i=2 covers AMS 1,
		// which no AMS signs.
		{"older AMS rewritten", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed;", "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; x=1;", 1)
		}, StatusFail, ReasonSealSignature, 2, ErrSealSignature},
		// The AMS of i=2 signs the bottom-most AAR (RFC 6376, section
		// 5.4.2), which is that of i=1.
		{"older AAR rewritten", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "i=1; lists.example.net; spf=pass", "i=1; lists.example.net; spf=neutral", 1)
		}, StatusFail, ReasonAMSSignature, 2, ErrAMSSignature},
		// RFC 6376, section 6.1.2: a missing key record fails the set.
		{"sealer key removed", func(m string, z *dnstest.Zone) string {
			z.Remove("arc2._domainkey.mail.example.org")
			return m
		}, StatusFail, ReasonKeyNotFound, 2, ErrKeyNotFound},
		// RFC 8617, section 5.2, step 3: cv=none only at i=1.
		{"newest seal claims cv=none", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "cv=pass", "cv=none", 1)
		}, StatusFail, ReasonChainBroken, 2, ErrChainBroken},
		// RFC 8617, section 5.2, step 2.
		{"newest seal records cv=fail", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "cv=pass", "cv=fail", 1)
		}, StatusFail, ReasonChainFailed, 2, ErrChainFailed},
		// RFC 8617, section 4.1.3: only rsa-sha256. The i=2 seal covers
		// the i=1 seal, so the newest seal is what breaks first.
		{"ed25519 named in the older seal", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "ARC-Seal: i=1; a=rsa-sha256", "ARC-Seal: i=1; a=ed25519-sha256", 1)
		}, StatusFail, ReasonSealSignature, 2, ErrSealSignature},
		{"ed25519 named in the newest AMS", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "ARC-Message-Signature: i=2; a=rsa-sha256", "ARC-Message-Signature: i=2; a=ed25519-sha256", 1)
		}, StatusFail, ReasonUnsupportedAlgorithm, 2, ErrUnsupportedAlgorithm},
		// RFC 8617, section 4.1.3: no h= in a seal.
		{"h= in a seal", func(m string, _ *dnstest.Zone) string {
			return strings.Replace(m, "ARC-Seal: i=1; a=rsa-sha256;", "ARC-Seal: i=1; h=from; a=rsa-sha256;", 1)
		}, StatusFail, ReasonSealHasHeaders, 1, ErrSealHasHeaders},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zone := fx.zone.Clone()
			msg := fx.msg
			if tc.mutate != nil {
				msg = tc.mutate(msg, zone)
			}
			res, err := Validate(context.Background(), zone.Resolver(), strings.NewReader(msg), Options{})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if res.Status != tc.status || res.Reason != tc.reason || res.FailedInstance != tc.failedInst {
				t.Fatalf("got %s/%s at i=%d (%v), want %s/%s at i=%d", res.Status, res.Reason, res.FailedInstance, res.Err, tc.status, tc.reason, tc.failedInst)
			}
			if tc.sentinel != nil && !errors.Is(res.Err, tc.sentinel) {
				t.Errorf("Err = %v, want it to wrap %v", res.Err, tc.sentinel)
			}
			if res.Explanation == "" {
				t.Errorf("no explanation")
			}
		})
	}
}

// TestOldestPass checks RFC 8617, section 5.2, step 5: a body changed
// between two hops breaks the older AMS but not the chain.
func TestOldestPass(t *testing.T) {
	list := newTestSealer(t, "lists.example.net", "arc1")
	mbox := newTestSealer(t, "mail.example.org", "arc2")
	zone := dnstest.NewZone()
	zone.AddTXT(list.keyName(), list.keyRecord(t))
	zone.AddTXT(mbox.keyName(), mbox.keyRecord(t))
	msg := list.seal(t, baseMessage, "lists.example.net; dkim=pass header.d=example.com", CVNone)
	// The list adds a footer after sealing; the next hop seals that.
	msg += "-- \r\nTo unsubscribe, write to list-leave@lists.example.net\r\n"
	msg = mbox.seal(t, msg, "mx.example.org; dkim=fail header.d=example.com; arc=pass", CVPass)

	for _, offline := range []bool{false, true} {
		t.Run(fmt.Sprintf("offline=%v", offline), func(t *testing.T) {
			res, err := Validate(context.Background(), zone.Resolver(), strings.NewReader(msg), Options{Offline: offline})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusPass || res.OldestPass != 2 || res.Offline != offline {
				t.Fatalf("status %s (%v), oldest-pass %d, offline %v", res.Status, res.Err, res.OldestPass, res.Offline)
			}
			if res.Sets[0].BodyIntact || !errors.Is(res.Sets[0].AMSErr, ErrBodyHashMismatch) || !res.Sets[1].BodyIntact {
				t.Errorf("body intact per set: %v %v, AMS 1 error %v", res.Sets[0].BodyIntact, res.Sets[1].BodyIntact, res.Sets[0].AMSErr)
			}
			if !offline && (!res.Sets[0].SealVerified || !res.Sets[1].SealVerified) {
				t.Errorf("seals not verified")
			}
		})
	}
}

func TestTrustedSealers(t *testing.T) {
	fx := newChain(t)
	tests := []struct {
		name           string
		trusted        []string
		all, newestYes bool
	}{
		{"none listed", nil, false, false},
		{"newest only", []string{"MAIL.example.org."}, false, true},
		{"both", []string{"mail.example.org", "lists.example.net"}, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Validate(context.Background(), fx.zone.Resolver(), strings.NewReader(fx.msg), Options{TrustedSealers: tc.trusted})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusPass || res.Trusted != tc.all || res.NewestTrusted != tc.newestYes {
				t.Errorf("status %s, trusted %v, newest trusted %v", res.Status, res.Trusted, res.NewestTrusted)
			}
		})
	}
}

func TestForwardingFinding(t *testing.T) {
	fx := newChain(t)
	validate := func(opts Options, msg string) *Result {
		t.Helper()
		res, err := Validate(context.Background(), fx.zone.Resolver(), strings.NewReader(msg), opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	trusted := Options{TrustedSealers: []string{"lists.example.net", "mail.example.org"}}
	broken := strings.Replace(fx.msg, "Hello, list.", "Hello, world.", 1)
	tests := []struct {
		name         string
		res          *Result
		from         string
		finalAligned bool
		code         string
		sev          finding.Severity
	}{
		{"forwarded, untrusted sealers", validate(Options{}, fx.msg), "example.com", false, "arc-forwarding-override", finding.Medium},
		{"forwarded, trusted sealers", validate(trusted, fx.msg), "example.com", false, "arc-forwarding-override", finding.Low},
		{"aligned at the end anyway", validate(Options{}, fx.msg), "example.com", true, "", ""},
		{"first hop saw nothing aligned", validate(Options{}, fx.msg), "other.example", false, "arc-no-aligned-origin", finding.Info},
		{"broken chain", validate(Options{}, broken), "example.com", false, "arc-chain-broken", finding.Medium},
		{"no chain", validate(Options{}, baseMessage), "example.com", false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := ForwardingFinding(tc.res, tc.from, tc.finalAligned)
			if tc.code == "" {
				if f != nil {
					t.Fatalf("unexpected finding %+v", f)
				}
				return
			}
			if f == nil || string(f.Code) != tc.code || f.Severity != tc.sev || f.Message == "" {
				t.Fatalf("got %+v, want %s/%s", f, tc.code, tc.sev)
			}
		})
	}
}

func TestParseSeal(t *testing.T) {
	tests := []struct {
		name  string
		value string
		err   error
		inst  int
	}{
		{"good", "i=3; a=rsa-sha256; cv=pass; d=example.org; s=sel; t=12345; b=YWJj", nil, 3},
		{"instance 51", "i=51; a=rsa-sha256; cv=pass; d=example.org; s=sel; b=YWJj", ErrBadInstance, 51},
		{"instance zero", "i=0; a=rsa-sha256; cv=none; d=example.org; s=sel; b=YWJj", ErrBadInstance, 0},
		{"no cv", "i=1; a=rsa-sha256; d=example.org; s=sel; b=YWJj", ErrBadTag, 1},
		{"bad cv", "i=1; a=rsa-sha256; cv=maybe; d=example.org; s=sel; b=YWJj", ErrBadTag, 1},
		{"h present", "i=1; a=rsa-sha256; cv=none; d=example.org; s=sel; h=from; b=YWJj", ErrSealHasHeaders, 1},
		{"empty tag-spec", "i=1; a=rsa-sha256;; cv=none; d=example.org; s=sel; b=YWJj", ErrBadTag, 0},
		{"duplicate tag", "i=1; i=1; a=rsa-sha256; cv=none; d=example.org; s=sel; b=YWJj", ErrBadTag, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSeal(tc.value)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			inst := 0
			if s != nil {
				inst = s.Instance
			}
			if inst != tc.inst {
				t.Errorf("instance %d, want %d", inst, tc.inst)
			}
		})
	}
}

func TestParseMessageSignature(t *testing.T) {
	const base = "i=2; a=rsa-sha256; d=example.org; s=sel; bh=YWJj; b=YWJj; "
	tests := []struct {
		name  string
		value string
		err   error
	}{
		{"good", base + "c=relaxed/simple; h=From : To", nil},
		{"empty h", base + "h=", nil},
		{"no h", base, ErrBadTag},
		{"signs the seal", base + "h=from:arc-seal", ErrSignsSeal},
		{"unknown c", base + "h=from; c=fancy/relaxed", ErrUnsupportedAlgorithm},
		{"bad t", base + "h=from; t=soon", ErrBadTag},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseMessageSignature(tc.value)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && (m.Instance != 2 || m.Domain != "example.org") {
				t.Errorf("got %+v", m)
			}
		})
	}
}

// TestSealTimestamp checks that t= is reported, never enforced.
func TestSealTimestamp(t *testing.T) {
	fx := newChain(t)
	tests := []struct {
		name   string
		now    time.Time
		future bool
	}{
		{"after sealing", time.Unix(1700000000, 0).Add(time.Hour), false},
		{"years before sealing", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Validate(context.Background(), fx.zone.Resolver(), strings.NewReader(fx.msg), Options{Now: func() time.Time { return tc.now }})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != StatusPass {
				t.Fatalf("status %s (%v)", res.Status, res.Err)
			}
			for _, s := range res.Sets {
				if s.FutureTimestamp != tc.future || s.SealedAt.Unix() != 1700000000 {
					t.Errorf("i=%d: sealed at %v, future %v", s.Instance, s.SealedAt, s.FutureTimestamp)
				}
			}
		})
	}
}

// TestKeyTemporaryFailure checks that a key the DNS server cannot give
// (SERVFAIL, or no answer) leaves the chain temperror, not fail: a check
// that could not run gave no answer. A definite failure elsewhere in the
// chain still fails it. The keys come from a DNS server on 127.0.0.1.
func TestKeyTemporaryFailure(t *testing.T) {
	fx := newChain(t)
	tests := []struct {
		name   string
		mutate func(msg string, z *dnstest.Zone) string
		status Status
		inst   int
		err    error
	}{
		{"newest sealer key SERVFAIL", func(m string, z *dnstest.Zone) string {
			z.SetServFail("arc2._domainkey.mail.example.org", "")
			return m
		}, StatusTempError, 2, ErrKeyUnavailable},
		{"oldest sealer key times out", func(m string, z *dnstest.Zone) string {
			z.SetTimeout("arc1._domainkey.lists.example.net", "")
			return m
		}, StatusTempError, 1, ErrKeyUnavailable},
		{"key SERVFAIL but the body changed", func(m string, z *dnstest.Zone) string {
			z.SetServFail("arc1._domainkey.lists.example.net", "")
			return strings.Replace(m, "Hello, list.", "Hello, world.", 1)
		}, StatusFail, 2, ErrBodyHashMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zone := fx.zone.Clone()
			msg := tc.mutate(fx.msg, zone)
			srv := dnstest.StartServer(t, zone)
			c, err := dnsclient.New(dnsclient.Config{Servers: []string{srv.Addr}, Timeout: 200 * time.Millisecond, Tries: 1})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Validate(context.Background(), c, strings.NewReader(msg), Options{})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if res.Status != tc.status || res.FailedInstance != tc.inst || !errors.Is(res.Err, tc.err) {
				t.Fatalf("got %s at i=%d (%v), want %s at i=%d wrapping %v", res.Status, res.FailedInstance, res.Err, tc.status, tc.inst, tc.err)
			}
			if tc.status == StatusTempError && ForwardingFinding(res, "example.com", false) != nil {
				t.Errorf("an undecided chain produced a finding")
			}
		})
	}
}
