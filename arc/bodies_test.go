package arc

import (
	"context"
	"crypto"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/internal/dkimcore"
)

// unreadBody is a body that must not be read.
type unreadBody struct{}

func (unreadBody) Read([]byte) (int, error) {
	return 0, errors.New("the body was read although its hash was given")
}

// bodyCheck is what dkim.CheckMessageBodies gives for a DKIM signature
// with canonicalization c over body: its signature and body hash.
func bodyCheck(t *testing.T, body, c string) dkim.BodyCheck {
	t.Helper()
	canon := dkimcore.CanonRelaxed
	if strings.HasSuffix(c, "/simple") {
		canon = dkimcore.CanonSimple
	}
	sums, err := dkimcore.HashBody(strings.NewReader(body), []dkimcore.BodySpec{{Canon: canon, Hash: crypto.SHA256, Length: -1}})
	if err != nil {
		t.Fatal(err)
	}
	bh := base64.StdEncoding.EncodeToString(sums[0].Sum)
	sig, err := dkim.ParseSignature("v=1; a=rsa-sha256; c=" + c + "; d=example.com; s=sel; h=from; bh=" + bh + "; b=AAAA")
	if err != nil {
		t.Fatal(err)
	}
	return dkim.BodyCheck{Signature: sig, Computed: sums[0].Sum, BodyLength: sums[0].CanonicalLength}
}

// TestBodiesReused checks that body hashes given in Options.Bodies stand
// for hashing the body: with one of the same canonicalization the body is
// not read and the result is the same; with none that fits, the body is
// read.
func TestBodiesReused(t *testing.T) {
	fx := newChain(t)
	ctx := context.Background()
	r := fx.zone.Resolver()
	for _, offline := range []bool{false, true} {
		want, err := Validate(ctx, r, strings.NewReader(fx.msg), Options{Offline: offline})
		if err != nil || want.Status != StatusPass {
			t.Fatalf("Validate: %+v, %v", want, err)
		}
		_, body, _ := strings.Cut(fx.msg, "\r\n\r\n")

		m, _ := dkim.ReadMessage(strings.NewReader(fx.msg))
		m.Body = unreadBody{}
		got, err := ValidateMessage(ctx, r, m, nil, Options{Offline: offline, Bodies: []dkim.BodyCheck{bodyCheck(t, body, "relaxed/relaxed")}})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("offline %v, with the body hash given: %v\n%+v\nwant\n%+v", offline, err, got, want)
		}

		// A DKIM signature with simple body canonicalization does not
		// stand for the AMS's relaxed one: the body is read.
		m, _ = dkim.ReadMessage(strings.NewReader(fx.msg))
		got, err = ValidateMessage(ctx, r, m, nil, Options{Offline: offline, Bodies: []dkim.BodyCheck{bodyCheck(t, body, "relaxed/simple")}})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("offline %v, with another canonicalization given: %v\n%+v\nwant\n%+v", offline, err, got, want)
		}

		// The hash given is the one used: that of another body fails the
		// chain, though the message's own body is intact.
		m, _ = dkim.ReadMessage(strings.NewReader(fx.msg))
		m.Body = unreadBody{}
		got, err = ValidateMessage(ctx, r, m, nil, Options{Offline: offline, Bodies: []dkim.BodyCheck{bodyCheck(t, body+"a footer\r\n", "relaxed/relaxed")}})
		if err != nil || got.Status != StatusFail || !errors.Is(got.Err, ErrBodyHashMismatch) {
			t.Errorf("offline %v, with another body's hash: %+v, %v", offline, got, err)
		}
	}
}
