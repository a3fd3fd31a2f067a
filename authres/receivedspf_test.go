package authres

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseReceivedSPF(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		result  ResultValue
		comment string
		params  []Param
	}{
		{
			name: "rfc7208_full",
			value: "pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender)\r\n" +
				"   receiver=mybox.example.org; client-ip=192.0.2.1;\r\n   envelope-from=\"myname@example.com\"; helo=foo.example.com;\r\n" +
				"   identity=mailfrom; mechanism=ip4:192.0.2.0/24; problem=\"none; really\";",
			result:  ResultPass,
			comment: "mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender",
			params: []Param{{"receiver", "mybox.example.org"}, {"client-ip", "192.0.2.1"},
				{"envelope-from", "myname@example.com"}, {"helo", "foo.example.com"},
				{"identity", "mailfrom"}, {"mechanism", "ip4:192.0.2.0/24"}, {"problem", "none; really"}},
		},
		{
			name:    "microsoft_capitalised_pr",
			value:   "Pass (protection.outlook.com: domain of example.com designates 192.0.2.5 as permitted sender) receiver=protection.outlook.com; client-ip=192.0.2.5; helo=mail.example.com; pr=C",
			result:  ResultPass,
			comment: "protection.outlook.com: domain of example.com designates 192.0.2.5 as permitted sender",
			params: []Param{{"receiver", "protection.outlook.com"}, {"client-ip", "192.0.2.5"},
				{"helo", "mail.example.com"}, {"pr", "C"}},
		},
		{
			name:    "microsoft_softfail_no_params",
			value:   "SoftFail (protection.outlook.com: domain of transitioning example.com\r\n discourages use of 192.0.2.6 as permitted sender)",
			result:  ResultSoftFail,
			comment: "protection.outlook.com: domain of transitioning example.com discourages use of 192.0.2.6 as permitted sender",
		},
		{
			name:    "google_trailing_semicolon",
			value:   "neutral (google.com: 192.0.2.41 is neither permitted nor denied by best guess record for domain of a@example.com) client-ip=192.0.2.41;",
			result:  ResultNeutral,
			comment: "google.com: 192.0.2.41 is neither permitted nor denied by best guess record for domain of a@example.com",
			params:  []Param{{"client-ip", "192.0.2.41"}},
		},
		{
			name:   "pypolicyd_no_semicolons",
			value:  "Pass (mailfrom) identity=mailfrom client-ip=192.0.2.7 helo=mx.example.com envelope-from=a@example.com",
			result: ResultPass, comment: "mailfrom",
			params: []Param{{"identity", "mailfrom"}, {"client-ip", "192.0.2.7"}, {"helo", "mx.example.com"}, {"envelope-from", "a@example.com"}},
		},
		{
			name:   "yahoo_no_receiver",
			value:  "pass (domain of example.com designates 192.0.2.8 as permitted sender)",
			result: ResultPass, comment: "domain of example.com designates 192.0.2.8 as permitted sender",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseReceivedSPF(tc.value)
			if err != nil {
				t.Fatalf("ParseReceivedSPF: %v", err)
			}
			if len(r.Problems) > 0 {
				t.Errorf("problems: %v", r.Problems)
			}
			if r.Result != tc.result || r.Comment != tc.comment || !reflect.DeepEqual(r.Params, tc.params) {
				t.Errorf("got %q %q %+v\nwant %q %q %+v", r.Result, r.Comment, r.Params, tc.result, tc.comment, tc.params)
			}
			for _, p := range tc.params {
				if got := r.Get(p.Key); got != p.Value {
					t.Errorf("Get(%q) = %q", p.Key, got)
				}
			}
		})
	}
}

func TestParseReceivedSPFErrors(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		wantErr error
	}{
		{"empty", "", ErrEmpty},
		{"comment_only", "(no result)", ErrEmpty},
		{"no_keyword", "; client-ip=192.0.2.1", ErrNoResult},
		{"unterminated_comment", "pass (oops", ErrUnterminated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseReceivedSPF(tc.value)
			if tc.name == "unterminated_comment" {
				// The keyword was read; the broken comment is a problem.
				if err != nil || len(r.Problems) != 1 || !errors.Is(r.Problems[0], tc.wantErr) {
					t.Fatalf("got %+v, %v", r, err)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) || !errors.Is(err, ErrSyntax) || r != nil {
				t.Fatalf("got %+v, %v; want %v", r, err, tc.wantErr)
			}
		})
	}
}
