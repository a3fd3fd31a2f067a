package arc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fakeSet writes an ARC set with well-formed tags and a meaningless
// signature: enough for the structural checks, which come first.
func fakeSet(i int, cv string) string {
	return fmt.Sprintf("ARC-Seal: i=%d; a=rsa-sha256; cv=%s; d=example.org; s=s; b=YWJj\r\n", i, cv) +
		fmt.Sprintf("ARC-Message-Signature: i=%d; a=rsa-sha256; d=example.org; s=s; h=from; bh=YWJj; b=YWJj\r\n", i) +
		fmt.Sprintf("ARC-Authentication-Results: i=%d; mx.example.org; spf=pass smtp.mailfrom=a@example.org\r\n", i)
}

func chainOf(n int) string {
	var b strings.Builder
	for i := n; i >= 1; i-- {
		cv := "pass"
		if i == 1 {
			cv = "none"
		}
		b.WriteString(fakeSet(i, cv))
	}
	return b.String()
}

const tail = "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n"

// TestHostileChains feeds chains built to break a validator: each must
// fail with a reason, never panic, and never reach DNS.
func TestHostileChains(t *testing.T) {
	huge := strings.Repeat("A", 100<<10)
	tests := []struct {
		name       string
		msg        string
		reason     Reason
		failedInst int
		sentinel   error
	}{
		{"51 sets", chainOf(51) + tail, ReasonTooManySets, 51, ErrTooManySets},
		{"instance 999", strings.Replace(chainOf(1), "i=1;", "i=999;", 1) + tail, ReasonTooManySets, 999, ErrTooManySets},
		{"gap", fakeSet(3, "pass") + fakeSet(1, "none") + tail, ReasonInstanceGap, 2, ErrInstanceGap},
		{"starts at 2", fakeSet(2, "pass") + tail, ReasonInstanceGap, 1, ErrInstanceGap},
		{"duplicate set", fakeSet(1, "none") + fakeSet(1, "none") + tail, ReasonDuplicateInstance, 1, ErrDuplicateInstance},
		{"missing seal", strings.Replace(chainOf(2), "ARC-Seal: i=2;", "X-Old-Seal: i=2;", 1) + tail, ReasonMissingHeader, 2, ErrMissingHeader},
		{"cv=fail in the middle", chainOf(3)[:0] + fakeSet(3, "pass") + fakeSet(2, "fail") + fakeSet(1, "none") + tail, ReasonChainBroken, 2, ErrChainBroken},
		{"cv=pass at i=1", fakeSet(1, "pass") + tail, ReasonChainBroken, 1, ErrChainBroken},
		// Offline, the huge seal passes the structure and the chain fails
		// on the made-up body hash.
		{"huge b= in the seal", strings.Replace(chainOf(1), "b=YWJj\r\n", "b="+huge+"\r\n", 1) + tail, ReasonBodyHashMismatch, 1, ErrBodyHashMismatch},
		{"no instance anywhere", "ARC-Seal: a=rsa-sha256\r\n" + tail, ReasonBadInstance, 0, ErrBadInstance},
		{"garbage seal", "ARC-Seal: ;;;==;\r\n" + tail, ReasonBadTag, 0, ErrBadTag},
		{"garbage AAR", "ARC-Authentication-Results: \x01\r\n" + tail, ReasonBadResults, 0, ErrBadResults},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Validate(context.Background(), nil, strings.NewReader(tc.msg), Options{Offline: true})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if res.Status != StatusFail || res.FailedInstance != tc.failedInst {
				t.Fatalf("got %s at i=%d (%s: %v), want fail at i=%d", res.Status, res.FailedInstance, res.Reason, res.Err, tc.failedInst)
			}
			if res.Reason != tc.reason || !errors.Is(res.Err, tc.sentinel) {
				t.Errorf("reason %s (%v), want %s", res.Reason, res.Err, tc.reason)
			}
		})
	}
}

// TestNilResolver checks that a missing resolver, online, leaves the chain
// undecided as a key lookup failure instead of panicking.
func TestNilResolver(t *testing.T) {
	fx := newChain(t)
	res, err := Validate(context.Background(), nil, strings.NewReader(fx.msg), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusTempError || !errors.Is(res.Err, ErrKeyUnavailable) {
		t.Fatalf("got %s (%v)", res.Status, res.Err)
	}
}

// TestUnreadableMessage checks the only top-level error.
func TestUnreadableMessage(t *testing.T) {
	_, err := Validate(context.Background(), nil, strings.NewReader("this is not a header\r\n\r\n"), Options{Offline: true})
	if !errors.Is(err, ErrUnreadableMessage) {
		t.Fatalf("err = %v, want ErrUnreadableMessage", err)
	}
}
