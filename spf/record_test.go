package spf

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestParseRecord(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Record
		str  string // String() when it differs from in
	}{
		{
			name: "empty",
			in:   "v=spf1",
			want: &Record{},
		},
		{
			name: "version case-insensitive",
			in:   "V=SpF1 -all",
			want: &Record{Directives: []Directive{{Qualifier: QualifierFail, Mechanism: MechanismAll, CIDR4: -1, CIDR6: -1}}},
			str:  "v=spf1 -all",
		},
		{
			name: "all mechanisms",
			in:   "v=spf1 +a ~mx:example.com/24 ?ptr -ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.bl.example.org include:_spf.example.net a:mail.example.com/24//64 mx//64 -all",
			want: &Record{Directives: []Directive{
				{Qualifier: QualifierPass, Mechanism: MechanismA, CIDR4: -1, CIDR6: -1},
				{Qualifier: QualifierSoftFail, Mechanism: MechanismMX, Domain: "example.com", CIDR4: 24, CIDR6: -1},
				{Qualifier: QualifierNeutral, Mechanism: MechanismPTR, CIDR4: -1, CIDR6: -1},
				{Qualifier: QualifierFail, Mechanism: MechanismIP4, IP: netip.MustParseAddr("192.0.2.0"), CIDR4: 24, CIDR6: -1},
				{Qualifier: QualifierPass, Mechanism: MechanismIP6, IP: netip.MustParseAddr("2001:db8::"), CIDR4: -1, CIDR6: 32},
				{Qualifier: QualifierPass, Mechanism: MechanismExists, Domain: "%{ir}.bl.example.org", CIDR4: -1, CIDR6: -1},
				{Qualifier: QualifierPass, Mechanism: MechanismInclude, Domain: "_spf.example.net", CIDR4: -1, CIDR6: -1},
				{Qualifier: QualifierPass, Mechanism: MechanismA, Domain: "mail.example.com", CIDR4: 24, CIDR6: 64},
				{Qualifier: QualifierPass, Mechanism: MechanismMX, CIDR4: -1, CIDR6: 64},
				{Qualifier: QualifierFail, Mechanism: MechanismAll, CIDR4: -1, CIDR6: -1},
			}},
			str: "v=spf1 a ~mx:example.com/24 ?ptr -ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.bl.example.org include:_spf.example.net a:mail.example.com/24//64 mx//64 -all",
		},
		{
			name: "modifiers",
			in:   "v=spf1  redirect=_spf.example.com  exp=why.%{d} moo.cow-far_out=man:dog/cat ",
			want: &Record{Redirect: "_spf.example.com", Explanation: "why.%{d}", Unknown: []Modifier{{Name: "moo.cow-far_out", Value: "man:dog/cat"}}},
			str:  "v=spf1 redirect=_spf.example.com exp=why.%{d} moo.cow-far_out=man:dog/cat",
		},
		{
			name: "empty unknown modifier",
			in:   "v=spf1 foo= -all",
			want: &Record{
				Directives: []Directive{{Qualifier: QualifierFail, Mechanism: MechanismAll, CIDR4: -1, CIDR6: -1}},
				Unknown:    []Modifier{{Name: "foo"}},
			},
			str: "v=spf1 -all foo=",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, isSPF, err := ParseRecord(tc.in)
			if err != nil || !isSPF {
				t.Fatalf("ParseRecord(%q) = _, %v, %v", tc.in, isSPF, err)
			}
			if !reflect.DeepEqual(rec, tc.want) {
				t.Errorf("got  %#v\nwant %#v", rec, tc.want)
			}
			str := tc.str
			if str == "" {
				str = tc.in
			}
			if got := rec.String(); got != str {
				t.Errorf("String() = %q, want %q", got, str)
			}
		})
	}
}

func TestParseRecordNotSPF(t *testing.T) {
	for _, in := range []string{"", "v=spf10", "v=spf1\t-all", "google-site-verification=x", "spf1 -all", "v=spf"} {
		rec, isSPF, err := ParseRecord(in)
		if rec != nil || isSPF || err != nil {
			t.Errorf("ParseRecord(%q) = %v, %v, %v; want not SPF", in, rec, isSPF, err)
		}
	}
}

func TestParseRecordErrors(t *testing.T) {
	tests := []struct {
		in     string
		term   string
		index  int
		offset int
		err    error
	}{
		{"v=spf1 -all moo", "moo", 2, 12, ErrSyntax},
		{"v=spf1 -all.", "-all.", 1, 7, ErrSyntax},
		{"v=spf1 -all:foo", "-all:foo", 1, 7, ErrSyntax},
		{"v=spf1 -all/8", "-all/8", 1, 7, ErrSyntax},
		{"v=spf1 redirect:t2.example.com", "redirect:t2.example.com", 1, 7, ErrSyntax},
		{"v=spf1 a:foo-bar -all", "a:foo-bar", 1, 7, ErrSyntax},
		{"v=spf1 a:example.123 -all", "a:example.123", 1, 7, ErrSyntax},
		{"v=spf1 a: -all", "a:", 1, 7, ErrSyntax},
		{"v=spf1 include -all", "include", 1, 7, ErrSyntax},
		{"v=spf1 ptr/0 -all", "ptr/0", 1, 7, ErrSyntax},
		{"v=spf1 ip4:1.2.3.4/33", "ip4:1.2.3.4/33", 1, 7, ErrSyntax},
		{"v=spf1 ip4:1.2.3.4/032", "ip4:1.2.3.4/032", 1, 7, ErrSyntax},
		{"v=spf1 ip4:::1", "ip4:::1", 1, 7, ErrSyntax},
		{"v=spf1 ip6:1.2.3.4", "ip6:1.2.3.4", 1, 7, ErrSyntax},
		{"v=spf1 ip6:::1/129", "ip6:::1/129", 1, 7, ErrSyntax},
		{"v=spf1 a/24//129", "a/24//129", 1, 7, ErrSyntax},
		{"v=spf1 a//", "a//", 1, 7, ErrSyntax},
		{"v=spf1 mx/", "mx/", 1, 7, ErrSyntax},
		{"v=spf1 redirect=a.example redirect=b.example", "redirect=b.example", 2, 26, ErrSyntax},
		{"v=spf1 exp=a.example EXP=b.example", "EXP=b.example", 2, 21, ErrSyntax},
		{"v=spf1 exp=", "exp=", 1, 7, ErrSyntax},
		{"v=spf1 a:ctrl.example.com\rptr", "a:ctrl.example.com\rptr", 1, 7, ErrSyntax},
		{"v=spf1 \x80a:example.net", "\x80a:example.net", 1, 7, ErrSyntax},
		{"v=spf1 exists:%(ir).sbl.example.com", "exists:%(ir).sbl.example.com", 1, 7, ErrMacro},
		{"v=spf1 exists:foo%.sbl.example.com", "exists:foo%.sbl.example.com", 1, 7, ErrMacro},
		{"v=spf1 a:%{c}.example.com", "a:%{c}.example.com", 1, 7, ErrMacro},
		{"v=spf1 a:%{d0}.example.com", "a:%{d0}.example.com", 1, 7, ErrMacro},
		{"v=spf1 a:%{dx}.example.com", "a:%{dx}.example.com", 1, 7, ErrMacro},
		{"v=spf1 a:%{d", "a:%{d", 1, 7, ErrMacro},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			rec, isSPF, err := ParseRecord(tc.in)
			if rec != nil || !isSPF || !errors.Is(err, tc.err) {
				t.Fatalf("ParseRecord(%q) = %v, %v, %v; want error %v", tc.in, rec, isSPF, err, tc.err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if pe.Term != tc.term || pe.Index != tc.index || pe.Offset != tc.offset {
				t.Errorf("ParseError{Term: %q, Index: %d, Offset: %d}, want {%q, %d, %d}", pe.Term, pe.Index, pe.Offset, tc.term, tc.index, tc.offset)
			}
			if !strings.Contains(err.Error(), "spf: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}
