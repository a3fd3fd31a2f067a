package authres

import "testing"

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		h    Header
		want string
	}{
		{"none", Header{AuthServID: "example.org", Version: "1", None: true}, "example.org 1; none"},
		{"no_authserv_id", Header{Results: []Result{{Method: MethodSPF, Value: ResultPass}, {Method: MethodDKIM, Value: ResultNone}}},
			"spf=pass; dkim=none"},
		{"no_authserv_id_none", Header{None: true}, "; none"},
		{"instance_and_version", Header{Instance: 2, AuthServID: "mx.microsoft.com", Version: "1",
			Results: []Result{{Method: MethodARC, Value: ResultPass}}}, "i=2; mx.microsoft.com 1; arc=pass"},
		{"quoting", Header{AuthServID: "odd id", Results: []Result{{Method: MethodDKIM, MethodVersion: "1", Value: ResultPass,
			Props: []Prop{p("header.b", "a b"), p("smtp.mailfrom", ""), p("header.x", "\"q\\"), p("header.i", "@example.com")}}}},
			`"odd id"; dkim/1=pass header.b="a b" smtp.mailfrom="" header.x="\"q\\" header.i=@example.com`},
		{"comments", Header{AuthServID: "x", Comments: []string{"c"}, Results: []Result{{Method: MethodSPF, Value: ResultFail,
			Comments: []string{"a (b) c", "un)balanced\\"}, Props: []Prop{p("smtp.mailfrom", "a@b", "note")}}}},
			`x (c); spf=fail (a (b) c) (un\)balanced\\) smtp.mailfrom=a@b (note)`},
		{"reason_without_prop", Header{AuthServID: "x", Results: []Result{{Method: MethodDKIM, Value: ResultFail, Reason: "bad sig"}}},
			`x; dkim=fail reason="bad sig"`},
		{"reason_in_props_keeps_position", Header{AuthServID: "x", Results: []Result{{Method: MethodDKIM, Value: ResultFail, Reason: "r",
			Props: []Prop{p("header.d", "d"), p("reason", "r")}}}}, `x; dkim=fail header.d=d reason=r`},
		{"method_named_i", Header{Results: []Result{{Method: "i", Value: "1"}}}, "; i=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Format(&tc.h)
			if got != tc.want {
				t.Fatalf("Format = %s\n    want %s", got, tc.want)
			}
			h, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse(Format): %v", err)
			}
			if len(h.Problems) > 0 {
				t.Errorf("problems: %v", h.Problems)
			}
		})
	}
}
