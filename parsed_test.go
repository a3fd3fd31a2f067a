package authlens

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/authlens/authlens/arc"
	"github.com/authlens/authlens/dkim"
	"github.com/authlens/authlens/internal/message"
)

// TestParsedMessage checks that the DKIM body check and ARC validation
// give the same results when they take the already parsed header fields
// from the analysis (dkim.Message), and for ARC its parsed
// ARC-Authentication-Results fields, as when they read the message bytes
// anew.
func TestParsedMessage(t *testing.T) {
	eachSample(t, nil, compareParsed)
}

func compareParsed(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := message.Parse(data, message.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := &analysis{msg: msg, rep: &Report{}}
	got, gotErr := dkim.CheckMessageBodies(a.signedMessage())
	want, wantErr := dkim.CheckBodies(bytes.NewReader(msg.Bytes()))
	if !reflect.DeepEqual(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("dkim.CheckBodies:\nparsed %+v %v\nbytes  %+v %v", got, gotErr, want, wantErr)
	}
	opts := arc.Options{Offline: true, Now: func() time.Time { return time.Unix(1_750_000_000, 0) }}
	gotARC, gotErr := arc.ValidateMessage(context.Background(), nil, a.signedMessage(), nil, opts)
	wantARC, wantErr := arc.Validate(context.Background(), nil, bytes.NewReader(msg.Bytes()), opts)
	if !reflect.DeepEqual(gotARC, wantARC) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("arc.Validate:\nparsed %+v %v\nbytes  %+v %v", gotARC, gotErr, wantARC, wantErr)
	}
	a.authResults()
	gotARC, gotErr = arc.ValidateMessage(context.Background(), nil, a.signedMessage(), a.parsedARCResults(), opts)
	if !reflect.DeepEqual(gotARC, wantARC) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("arc.Validate with parsed results:\nparsed %+v %v\nbytes  %+v %v", gotARC, gotErr, wantARC, wantErr)
	}
}
