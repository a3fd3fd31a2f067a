package compauth

import (
	"errors"
	"testing"
)

func TestParseMicrosoftAntispam(t *testing.T) {
	r, err := ParseMicrosoftAntispam("BCL:7;ARA:1444111002|2000;PCL:4;RULEID:;X:1;")
	if err != nil {
		t.Fatal(err)
	}
	if r.BCL == nil || *r.BCL != 7 {
		t.Errorf("BCL = %v, want 7", r.BCL)
	}
	want := []struct {
		key  string
		conf Confidence
	}{{"BCL", ConfidenceDocumented}, {"ARA", ConfidenceUnknown}, {"PCL", ConfidenceDocumented}, {"RULEID", ConfidenceUnknown}, {"X", ConfidenceUnknown}}
	if len(r.Fields) != len(want) {
		t.Fatalf("%d fields, want %d", len(r.Fields), len(want))
	}
	for i, w := range want {
		if r.Fields[i].Key != w.key || r.Fields[i].Confidence != w.conf {
			t.Errorf("field %d = %+v, want %s %s", i, r.Fields[i], w.key, w.conf)
		}
	}
	a := Antispam{Microsoft: r}
	findingByCode(t, a.findings(), CodeBCLHigh)

	if _, err := ParseMicrosoftAntispam("BCL:x;"); !errors.Is(err, ErrMalformed) {
		t.Errorf("BCL:x err = %v", err)
	}
}

func TestParseLevels(t *testing.T) {
	tests := []struct {
		name    string
		parse   func(string) (*Level, error)
		value   string
		want    int
		conf    Confidence
		wantErr error
	}{
		{"SCL -1", ParseSCL, "-1", -1, ConfidenceDocumented, nil},
		{"SCL 5", ParseSCL, " 5 ", 5, ConfidenceDocumented, nil},
		{"SCL 12", ParseSCL, "12", 12, ConfidenceUnknown, nil},
		{"SCL empty", ParseSCL, "", 0, "", ErrEmpty},
		{"SCL text", ParseSCL, "spam", 0, "", ErrMalformed},
		{"PCL 2", ParsePCL, "2", 2, ConfidenceDocumented, nil},
		{"PCL 0", ParsePCL, "0", 0, ConfidenceUnknown, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := tc.parse(tc.value)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || l.Value != tc.want || l.Confidence != tc.conf || l.Meaning == "" {
				t.Errorf("got %+v, %v", l, err)
			}
		})
	}
}

func TestParseMailboxDelivery(t *testing.T) {
	r, err := ParseMailboxDelivery("ucf:0;jmr:0;auth:0;dest:J;OFR:SpamFilterAuthJ;ENG:(910001)(944506458);")
	if err != nil {
		t.Fatal(err)
	}
	if r.Destination != "J" || r.OverrideReason != "SpamFilterAuthJ" || len(r.Fields) != 6 {
		t.Errorf("got %+v", r)
	}
	if f := r.Fields[3]; f.Meaning != "Delivered to the Junk Email folder." || f.Confidence != ConfidenceCode {
		t.Errorf("dest field = %+v", f)
	}
	if f := r.Fields[2]; f.Confidence != ConfidenceUnknown {
		t.Errorf("auth field = %+v, want unknown", f)
	}
	a := Antispam{MailboxDelivery: r}
	findingByCode(t, a.findings(), CodeJunkFolder)
}
