package arc

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/dkim"
)

// TestValidateMessage checks that a message given already split, with or
// without its ARC-Authentication-Results fields parsed beforehand,
// validates exactly as the same message read whole, and that the parsed
// fields given are the ones used.
func TestValidateMessage(t *testing.T) {
	fx := newChain(t)
	ctx := context.Background()
	r := fx.zone.Resolver()
	for name, msg := range map[string]string{
		"intact":       fx.msg,
		"body changed": fx.msg + "a footer\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			want, err := Validate(ctx, r, strings.NewReader(msg), Options{})
			if err != nil {
				t.Fatal(err)
			}
			m, err := dkim.ReadMessage(strings.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ValidateMessage(ctx, r, m, nil, Options{})
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("ValidateMessage: %v\n%+v\nValidate:\n%+v", err, got, want)
			}
			var parsed []ParsedResults
			for i, f := range m.Header {
				if strings.EqualFold(f.Name, FieldResults) {
					_, value, _ := strings.Cut(string(f.Raw), ":")
					h, err := authres.ParseARC(value)
					parsed = append(parsed, ParsedResults{Field: i, Header: h, Err: err})
				}
			}
			if len(parsed) != 2 {
				t.Fatalf("%d ARC-Authentication-Results fields, want 2", len(parsed))
			}
			m, _ = dkim.ReadMessage(strings.NewReader(msg))
			got, err = ValidateMessage(ctx, r, m, parsed, Options{})
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("ValidateMessage with parsed results: %v\n%+v\nValidate:\n%+v", err, got, want)
			}
		})
	}
	if res, _ := Validate(ctx, r, strings.NewReader(fx.msg), Options{}); res.Status != StatusPass {
		t.Fatalf("intact chain: %s (%v)", res.Status, res.Err)
	}

	// A parsed field that says the value did not parse is believed: the
	// chain fails on it, which the bytes alone would not do.
	m, _ := dkim.ReadMessage(strings.NewReader(fx.msg))
	at := -1
	for i, f := range m.Header {
		if strings.EqualFold(f.Name, FieldResults) {
			at = i
			break
		}
	}
	bad := []ParsedResults{{Field: at, Err: fmt.Errorf("made up")}}
	res, err := ValidateMessage(ctx, r, m, bad, Options{})
	if err != nil || res.Status != StatusFail || !errors.Is(res.Err, ErrBadResults) {
		t.Errorf("parsed field with an error: %+v, %v", res, err)
	}
	// An index that is no ARC-Authentication-Results field is ignored.
	m, _ = dkim.ReadMessage(strings.NewReader(fx.msg))
	res, err = ValidateMessage(ctx, r, m, []ParsedResults{{Field: len(m.Header) - 1, Err: fmt.Errorf("ignored")}}, Options{})
	if err != nil || res.Status != StatusPass {
		t.Errorf("parsed entry for another field: %+v, %v", res, err)
	}
	// A field without a colon is refused, naming it.
	m = &dkim.Message{Header: []dkim.Field{{Raw: []byte("From: a@example.com\r\n")}, {Raw: []byte("junk\r\n")}}}
	if _, err := ValidateMessage(ctx, r, m, nil, Options{}); !errors.Is(err, ErrUnreadableMessage) || !strings.Contains(err.Error(), "header field 2") {
		t.Errorf("field without colon: %v", err)
	}
	// No fields, no chain.
	if res, err := ValidateMessage(ctx, r, &dkim.Message{}, nil, Options{}); err != nil || res.Status != StatusNone {
		t.Errorf("empty message: %+v, %v", res, err)
	}
}
