package arc

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// A header block pasted without its body: body hashes are not checked,
// so the chain is not reported as changed.
func TestNoBodyIsNotChecked(t *testing.T) {
	msg, err := os.ReadFile("../testdata/forwarded-arc.eml")
	if err != nil {
		t.Fatal(err)
	}
	msg = bytes.ReplaceAll(msg, []byte("\r\n"), []byte("\n"))
	head := msg[:bytes.Index(msg, []byte("\n\n"))+1]

	res, err := Validate(context.Background(), nil, bytes.NewReader(head), Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusFail || res.Reason != ReasonBodyHashMismatch {
		t.Fatalf("without NoBody: %s %s, want the body hash mismatch a missing body gives", res.Status, res.Reason)
	}

	res, err = Validate(context.Background(), nil, bytes.NewReader(head), Options{Offline: true, NoBody: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusPass || !res.NoBody {
		t.Fatalf("with NoBody: %s %s (%s), want pass", res.Status, res.Reason, res.Explanation)
	}
	for _, s := range res.Sets {
		if s.BodyChecked || s.BodyIntact {
			t.Errorf("set %d: body checked %v intact %v, want neither", s.Instance, s.BodyChecked, s.BodyIntact)
		}
	}

	whole, err := Validate(context.Background(), nil, bytes.NewReader(msg), Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Status != StatusPass || !whole.Sets[len(whole.Sets)-1].BodyChecked {
		t.Errorf("whole message: %s %s, want a checked pass", whole.Status, whole.Reason)
	}
}
