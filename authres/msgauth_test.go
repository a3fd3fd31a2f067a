package authres

import (
	"reflect"
	"testing"

	msgauth "github.com/emersion/go-msgauth/authres"
)

func TestToMsgauth(t *testing.T) {
	h, err := Parse("mx.example.com; auth=pass smtp.auth=user@example.com; dkim=pass header.d=example.com header.i=@example.com;" +
		" spf=pass smtp.mail=a@example.com smtp.helo=mx.example.com; dmarc=fail reason=\"policy\" header.from=example.com;" +
		" iprev=pass smtp.remote-ip=192.0.2.1; arc=pass header.oldest-pass=2 smtp.client-ip=192.0.2.2;" +
		" sender-id=pass header.from=example.com; domainkeys=neutral header.d=example.com; compauth=softpass reason=202 x.y=z")
	if err != nil {
		t.Fatal(err)
	}
	id, got := h.ToMsgauth()
	want := []msgauth.Result{
		&msgauth.AuthResult{Value: "pass", Auth: "user@example.com"},
		&msgauth.DKIMResult{Value: "pass", Domain: "example.com", Identifier: "@example.com"},
		&msgauth.SPFResult{Value: "pass", From: "a@example.com", Helo: "mx.example.com"},
		&msgauth.DMARCResult{Value: "fail", Reason: "policy", From: "example.com"},
		&msgauth.IPRevResult{Value: "pass", IP: "192.0.2.1"},
		&msgauth.ARCResult{Value: "pass", RemoteIP: "192.0.2.2", OldestPass: 2},
		&msgauth.SenderIDResult{Value: "pass", HeaderKey: "from", HeaderValue: "example.com"},
		&msgauth.DomainKeysResult{Value: "neutral", Domain: "example.com"},
		&msgauth.GenericResult{Method: "compauth", Value: "softpass", Params: map[string]string{"reason": "202", "x.y": "z"}},
	}
	if id != "mx.example.com" {
		t.Errorf("identifier %q", id)
	}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i := range want {
		t.Run(string(h.Results[i].Method), func(t *testing.T) {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("got %+v, want %+v", got[i], want[i])
			}
		})
	}
}
