package dkim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/authlens/authlens/internal/dnstest"
)

// TestVerifyMessage checks that a message given already split (a Message
// built by a caller, or read by ReadMessage) verifies exactly as the same
// message read whole: over DNS on the loopback interface, with an RSA and
// an Ed25519 signature, one body change and one header change.
func TestVerifyMessage(t *testing.T) {
	rsaKey := loadKey(t, "rsa2048.pem")
	edKey := loadKey(t, "ed25519.pem")
	z := dnstest.NewZone()
	z.AddTXT("sel._domainkey.example.com", keyRecord(t, rsaKey))
	z.AddTXT("ed._domainkey.example.com", keyRecord(t, edKey))
	r := loopbackResolver(t, z)
	opts := Options{Now: atTime(1700003600)}
	headers := []string{"From", "To", "Subject", "Date"}
	signed := testSign(t, []byte(baseMsg), signSpec{key: rsaKey, domain: "example.com", selector: "sel", length: -1, headers: headers})
	signed = testSign(t, signed, signSpec{key: edKey, alg: AlgEd25519SHA256, domain: "example.com", selector: "ed", length: -1, headers: headers})
	msgs := map[string]string{
		"intact":         string(signed),
		"body changed":   string(signed) + "a footer\r\n",
		"subject edited": strings.Replace(string(signed), "Subject: ", "Subject: Re: ", 1),
	}
	for name, msg := range msgs {
		t.Run(name, func(t *testing.T) {
			want, err := Verify(context.Background(), r, strings.NewReader(msg), opts)
			if err != nil || len(want) != 2 {
				t.Fatalf("Verify: %d results, %v", len(want), err)
			}
			// A caller that split the message itself, without names.
			head, body, _ := strings.Cut(msg, "\r\n\r\n")
			m := &Message{Body: strings.NewReader(body)}
			for _, line := range splitFields(head + "\r\n") {
				m.Header = append(m.Header, Field{Raw: []byte(line)})
			}
			got, err := VerifyMessage(context.Background(), r, m, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("VerifyMessage:\n%+v\nVerify:\n%+v", got, want)
			}
			read, err := ReadMessage(strings.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			got, err = VerifyMessage(context.Background(), r, read, opts)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("VerifyMessage(ReadMessage): %v\n%+v\nVerify:\n%+v", err, got, want)
			}
			checks, err := CheckMessageBodies(&Message{Header: m.Header, Body: strings.NewReader(body)})
			wantChecks, wantErr := CheckBodies(strings.NewReader(msg))
			if !reflect.DeepEqual(checks, wantChecks) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("CheckMessageBodies: %+v %v, CheckBodies: %+v %v", checks, err, wantChecks, wantErr)
			}
			// With the body checks given, the body is not read again and
			// the results are the same.
			reuse := opts
			reuse.Bodies = checks
			got, err = VerifyMessage(context.Background(), r, &Message{Header: m.Header, Body: unreadable{}}, reuse)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("VerifyMessage with Bodies: %v\n%+v\nVerify:\n%+v", err, got, want)
			}
			// Checks that miss a signature's hash are not enough: the body
			// is read.
			reuse.Bodies = checks[:1]
			got, err = VerifyMessage(context.Background(), r, &Message{Header: m.Header, Body: strings.NewReader(body)}, reuse)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("VerifyMessage with one body check: %v\n%+v\nVerify:\n%+v", err, got, want)
			}
		})
	}
	if got, _ := Verify(context.Background(), r, strings.NewReader(msgs["intact"]), opts); got[0].Status != StatusPass || got[1].Status != StatusPass {
		t.Errorf("intact message: %s, %s", got[0].Status, got[1].Status)
	}
}

// unreadable is a body that must not be read.
type unreadable struct{}

func (unreadable) Read([]byte) (int, error) {
	return 0, errors.New("the body was read although its hashes were given")
}

// splitFields cuts a header block into its fields, folding kept.
func splitFields(head string) []string {
	var out []string
	for _, line := range strings.SplitAfter(head, "\r\n") {
		switch {
		case line == "":
		case (line[0] == ' ' || line[0] == '\t') && len(out) > 0:
			out[len(out)-1] += line
		default:
			out = append(out, line)
		}
	}
	return out
}

// TestMessageErrors checks what a Message built by hand may get wrong: a
// field without a colon is an error naming the field, a nil Body is an
// empty body, and a Message without fields has no signatures.
func TestMessageErrors(t *testing.T) {
	ctx := context.Background()
	_, err := VerifyMessage(ctx, noResolver{}, &Message{Header: []Field{{Raw: []byte("From: a@example.com\r\n")}, {Raw: []byte("not a field\r\n")}}}, Options{})
	if !errors.Is(err, ErrUnreadableMessage) || !strings.Contains(err.Error(), "header field 2") {
		t.Errorf("field without colon: %v", err)
	}
	if _, err := CheckMessageBodies(&Message{Header: []Field{{Raw: []byte("no colon")}}}); !errors.Is(err, ErrUnreadableMessage) {
		t.Errorf("CheckMessageBodies, field without colon: %v", err)
	}
	res, err := VerifyMessage(ctx, noResolver{}, &Message{}, Options{})
	if err != nil || len(res) != 0 {
		t.Errorf("no fields: %v, %v", res, err)
	}
	// An empty body, given as nil, hashes as one.
	sig := "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; c=simple/relaxed; h=From; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n"
	checks, err := CheckMessageBodies(&Message{Header: []Field{{Name: "DKIM-Signature", Raw: []byte(sig)}, {Raw: []byte("From: a@example.com\r\n")}}})
	if err != nil || len(checks) != 1 || !checks[0].Intact {
		t.Errorf("nil body: %+v, %v", checks, err)
	}
	if _, err := ReadMessage(strings.NewReader("not a header\r\n\r\n")); !errors.Is(err, ErrUnreadableMessage) {
		t.Errorf("ReadMessage of junk: %v", err)
	}
	m, err := ReadMessage(bytes.NewReader([]byte("From: a@example.com\nSubject: x\n\nbody\n")))
	if err != nil || len(m.Header) != 2 || m.Header[1].Name != "Subject" || string(m.Header[1].Raw) != "Subject: x\r\n" {
		t.Errorf("ReadMessage: %+v, %v", m, err)
	}
}

// noResolver fails every lookup; the tests using it never look keys up.
type noResolver struct{}

func (noResolver) LookupTXT(context.Context, string) ([]string, error) {
	return nil, errors.New("no lookups expected")
}

// FuzzReadMessage checks that reading the header block apart changes
// nothing: for any input, CheckMessageBodies of ReadMessage gives what
// CheckBodies gives on the whole input, and ReadMessage fails exactly when
// CheckBodies cannot read the message.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; c=relaxed/relaxed;\r\n\th=From; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\nFrom: joe@example.com\r\n\r\n"))
	f.Add([]byte("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; l=3; h=From; bh=YWJj; b=YWJj\nFrom: a\n\nbody  \n\n"))
	f.Add([]byte("From: a\r\n folded\r\n\r\nbody"))
	f.Add([]byte("not a header\r\n\r\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := CheckBodies(bytes.NewReader(data))
		m, err := ReadMessage(bytes.NewReader(data))
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("ReadMessage error %v, CheckBodies error %v", err, wantErr)
		}
		if err != nil {
			if !errors.Is(err, ErrUnreadableMessage) {
				t.Fatalf("ReadMessage error %v does not wrap ErrUnreadableMessage", err)
			}
			return
		}
		got, err := CheckMessageBodies(m)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("CheckMessageBodies %+v, %v; CheckBodies %+v", got, err, want)
		}
	})
}
