package authres

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// p builds a Prop; bare keys have an empty ptype.
func p(key, value string, comment ...string) Prop {
	typ, prop, ok := strings.Cut(key, ".")
	if !ok {
		typ, prop = "", key
	}
	return Prop{Type: typ, Property: prop, Value: value, Comment: strings.Join(comment, " ")}
}

func TestParseVendors(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  Header
	}{
		{
			name: "microsoft365_no_authserv_id_bare_domain",
			value: "spf=pass (sender IP is 192.0.2.10)\r\n smtp.mailfrom=example.com; example.com; dkim=pass (signature was verified)\r\n" +
				" header.d=example.com;example.com; dmarc=pass action=none\r\n header.from=example.com;compauth=pass reason=100",
			want: Header{Results: []Result{
				{Method: MethodSPF, Value: ResultPass, Comments: []string{"sender IP is 192.0.2.10"},
					Props: []Prop{p("smtp.mailfrom", "example.com")}},
				{Method: MethodDKIM, Value: ResultPass, Comments: []string{"signature was verified"},
					Props: []Prop{p("header.d", "example.com")}},
				{Method: MethodDMARC, Value: ResultPass,
					Props: []Prop{p("action", "none"), p("header.from", "example.com")}},
				{Method: MethodCompAuth, Value: ResultPass, Reason: "100", Props: []Prop{p("reason", "100")}},
			}},
		},
		{
			name: "microsoft365_unsigned_bestguesspass_mixed_case",
			value: "spf=None (sender IP is 198.51.100.7) smtp.helo=relay.example.net;\r\n dkim=none (message not signed) header.d=none;dmarc=BestGuessPass\r\n" +
				" action=none header.from=example.org;compauth=softpass reason=202",
			want: Header{Results: []Result{
				{Method: MethodSPF, Value: ResultNone, Comments: []string{"sender IP is 198.51.100.7"},
					Props: []Prop{p("smtp.helo", "relay.example.net")}},
				{Method: MethodDKIM, Value: ResultNone, Comments: []string{"message not signed"},
					Props: []Prop{p("header.d", "none")}},
				{Method: MethodDMARC, Value: ResultBestGuessPass,
					Props: []Prop{p("action", "none"), p("header.from", "example.org")}},
				{Method: MethodCompAuth, Value: ResultSoftPass, Reason: "202", Props: []Prop{p("reason", "202")}},
			}},
		},
		{
			name:  "microsoft365_empty_and_null_mailfrom",
			value: "spf=none (sender IP is ) smtp.mailfrom=<>; dkim=none; spf=pass smtp.mailfrom=; dmarc=none",
			want: Header{Results: []Result{
				{Method: MethodSPF, Value: ResultNone, Comments: []string{"sender IP is"},
					Props: []Prop{p("smtp.mailfrom", "<>")}},
				{Method: MethodDKIM, Value: ResultNone},
				{Method: MethodSPF, Value: ResultPass, Props: []Prop{p("smtp.mailfrom", "")}},
				{Method: MethodDMARC, Value: ResultNone},
			}},
		},
		{
			name: "microsoft_aar_brackets_in_comment",
			value: "i=2; mx.microsoft.com 1; spf=pass (sender ip is\r\n 192.0.2.33) smtp.rcpttodomain=example.org smtp.mailfrom=example.com;\r\n" +
				" dmarc=pass (p=none sp=none pct=100) action=none header.from=example.com;\r\n dkim=pass (signature was verified) header.d=example.com; arc=pass (0 oda=1 ltdi=1\r\n" +
				" spf=[1,1,smtp.mailfrom=example.com] dkim=[1,1,header.d=example.com]\r\n dmarc=[1,1,header.from=example.com])",
			want: Header{AuthServID: "mx.microsoft.com", Version: "1", Instance: 2, Results: []Result{
				{Method: MethodSPF, Value: ResultPass, Comments: []string{"sender ip is 192.0.2.33"},
					Props: []Prop{p("smtp.rcpttodomain", "example.org"), p("smtp.mailfrom", "example.com")}},
				{Method: MethodDMARC, Value: ResultPass, Comments: []string{"p=none sp=none pct=100"},
					Props: []Prop{p("action", "none"), p("header.from", "example.com")}},
				{Method: MethodDKIM, Value: ResultPass, Comments: []string{"signature was verified"},
					Props: []Prop{p("header.d", "example.com")}},
				{Method: MethodARC, Value: ResultPass, Comments: []string{"0 oda=1 ltdi=1 spf=[1,1,smtp.mailfrom=example.com] dkim=[1,1,header.d=example.com] dmarc=[1,1,header.from=example.com]"}},
			}},
		},
		{
			name:  "exchange_x_ms_exchange_authentication_results",
			value: "spf=fail (sender IP is 203.0.113.5) smtp.mailfrom=example.net; dkim=fail (body hash did not verify) header.d=example.net;dmarc=fail action=oreject header.from=example.net;",
			want: Header{Results: []Result{
				{Method: MethodSPF, Value: ResultFail, Comments: []string{"sender IP is 203.0.113.5"},
					Props: []Prop{p("smtp.mailfrom", "example.net")}},
				{Method: MethodDKIM, Value: ResultFail, Comments: []string{"body hash did not verify"},
					Props: []Prop{p("header.d", "example.net")}},
				{Method: MethodDMARC, Value: ResultFail,
					Props: []Prop{p("action", "oreject"), p("header.from", "example.net")}},
			}},
		},
		{
			name:  "authentication_results_original",
			value: " relay.example.com; spf=pass\r\n smtp.mailfrom=; dmarc=fail header.from=example.com header.policy=none; ",
			want: Header{AuthServID: "relay.example.com", Results: []Result{
				{Method: MethodSPF, Value: ResultPass, Props: []Prop{p("smtp.mailfrom", "")}},
				{Method: MethodDMARC, Value: ResultFail,
					Props: []Prop{p("header.from", "example.com"), p("header.policy", "none")}},
			}},
		},
		{
			name: "gmail_dmarc_comment_and_quoted_mailfrom",
			value: "mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=sel header.b=\"abcd1234\";\r\n" +
				"       spf=neutral (google.com: 192.0.2.41 is neither permitted nor denied by best guess record for domain of a+b=c@example.net) smtp.mailfrom=\"a+b=c@example.net\";\r\n" +
				"       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=example.com",
			want: Header{AuthServID: "mx.google.com", Results: []Result{
				{Method: MethodDKIM, Value: ResultPass, Props: []Prop{
					p("header.i", "@example.com"), p("header.s", "sel"), p("header.b", "abcd1234")}},
				{Method: MethodSPF, Value: ResultNeutral,
					Comments: []string{"google.com: 192.0.2.41 is neither permitted nor denied by best guess record for domain of a+b=c@example.net"},
					Props:    []Prop{p("smtp.mailfrom", "a+b=c@example.net")}},
				{Method: MethodDMARC, Value: ResultPass, Comments: []string{"p=QUARANTINE sp=QUARANTINE dis=NONE"},
					Props: []Prop{p("header.from", "example.com")}},
			}},
		},
		{
			name:  "gmail_legacy_smtp_mail_and_test_mode",
			value: "mx.google.com; spf=pass (google.com: best guess record for domain of a@example.com designates 192.0.2.2 as permitted sender) smtp.mail=a@example.com; dkim=pass (test mode) header.i=@example.com",
			want: Header{AuthServID: "mx.google.com", Results: []Result{
				{Method: MethodSPF, Value: ResultPass,
					Comments: []string{"google.com: best guess record for domain of a@example.com designates 192.0.2.2 as permitted sender"},
					Props:    []Prop{p("smtp.mail", "a@example.com")}},
				{Method: MethodDKIM, Value: ResultPass, Comments: []string{"test mode"},
					Props: []Prop{p("header.i", "@example.com")}},
			}},
		},
		{
			name: "fastmail_space_after_equals_and_policy_props",
			value: "mx3.messagingengine.com;\r\n    bimi=pass header.d=example.com header.selector=default policy.authority=pass\r\n" +
				"      policy.mark-type=\"Registered Mark\"\r\n      policy.authority-uri=\r\n      https://example.com/bimi/mark.pem;\r\n" +
				"    dmarc=pass policy.published-domain-policy=reject\r\n      policy.evaluated-disposition=none\r\n      (p=reject,d=none,d.eval=none) policy.policy-from=p\r\n" +
				"      header.from=example.com;\r\n    iprev=pass smtp.remote-ip=2001:db8::25\r\n      (mail.example.com);\r\n    spf=pass\r\n      smtp.mailfrom=\r\n      \"bounce-1=2@example.com\"",
			want: Header{AuthServID: "mx3.messagingengine.com", Results: []Result{
				{Method: MethodBIMI, Value: ResultPass, Props: []Prop{p("header.d", "example.com"),
					p("header.selector", "default"), p("policy.authority", "pass"),
					p("policy.mark-type", "Registered Mark"), p("policy.authority-uri", "https://example.com/bimi/mark.pem")}},
				{Method: MethodDMARC, Value: ResultPass, Props: []Prop{p("policy.published-domain-policy", "reject"),
					p("policy.evaluated-disposition", "none", "p=reject,d=none,d.eval=none"),
					p("policy.policy-from", "p"), p("header.from", "example.com")}},
				{Method: MethodIPRev, Value: ResultPass, Props: []Prop{p("smtp.remote-ip", "2001:db8::25", "mail.example.com")}},
				{Method: MethodSPF, Value: ResultPass, Props: []Prop{p("smtp.mailfrom", "bounce-1=2@example.com")}},
			}},
		},
		{
			name: "fastmail_authentication_milter_x_methods",
			value: "mx3.messagingengine.com;\r\n    x-aligned-from=orgdomain_pass (Domain org match);\r\n    x-return-mx=pass header.domain=example.com\r\n" +
				"      policy.org_domain=example.com policy.is_org=yes\r\n      (MX Records found: mx1.example.com,mx2.example.com);\r\n" +
				"    x-tls=pass smtp.version=TLSv1.3 smtp.cipher=TLS_AES_256_GCM_SHA384\r\n      smtp.bits=256/256;\r\n    x-vs=clean score=20 state=0",
			want: Header{AuthServID: "mx3.messagingengine.com", Results: []Result{
				{Method: "x-aligned-from", Value: "orgdomain_pass", Comments: []string{"Domain org match"}},
				{Method: "x-return-mx", Value: ResultPass, Props: []Prop{p("header.domain", "example.com"),
					p("policy.org_domain", "example.com"),
					p("policy.is_org", "yes", "MX Records found: mx1.example.com,mx2.example.com")}},
				{Method: "x-tls", Value: ResultPass, Props: []Prop{p("smtp.version", "TLSv1.3"),
					p("smtp.cipher", "TLS_AES_256_GCM_SHA384"), p("smtp.bits", "256/256")}},
				{Method: "x-vs", Value: "clean", Props: []Prop{p("score", "20"), p("state", "0")}},
			}},
		},
		{
			name:  "zoho_angle_address_and_missing_semicolon",
			value: "mx.zohomail.com;\r\n\tdkim=pass  header.i=example.com spf=pass  (zohomail.com: domain of a@example.com designates 192.0.2.9 as permitted sender)  smtp.mailfrom=a@example.com;\r\n\tdmarc=pass header.from=<noreply@example.com>",
			want: Header{AuthServID: "mx.zohomail.com", Results: []Result{
				{Method: MethodDKIM, Value: ResultPass, Props: []Prop{p("header.i", "example.com")}},
				{Method: MethodSPF, Value: ResultPass,
					Comments: []string{"zohomail.com: domain of a@example.com designates 192.0.2.9 as permitted sender"},
					Props:    []Prop{p("smtp.mailfrom", "a@example.com")}},
				{Method: MethodDMARC, Value: ResultPass, Props: []Prop{p("header.from", "<noreply@example.com>")}},
			}},
		},
		{
			name:  "yahoo_glued_comment",
			value: "atlas206.free.mail.ne1.yahoo.com; dkim=pass header.i=@example.com header.s=default; spf=pass smtp.mailfrom=example.com; dmarc=pass(p=NONE) header.from=example.com;",
			want: Header{AuthServID: "atlas206.free.mail.ne1.yahoo.com", Results: []Result{
				{Method: MethodDKIM, Value: ResultPass, Props: []Prop{p("header.i", "@example.com"), p("header.s", "default")}},
				{Method: MethodSPF, Value: ResultPass, Props: []Prop{p("smtp.mailfrom", "example.com")}},
				{Method: MethodDMARC, Value: ResultPass, Comments: []string{"p=NONE"}, Props: []Prop{p("header.from", "example.com")}},
			}},
		},
		{
			name:  "one_method_per_header_upper_case",
			value: "MX.Example.NET; DKIM=Pass Header.D=Example.COM",
			want: Header{AuthServID: "mx.example.net", Results: []Result{
				{Method: MethodDKIM, Value: ResultPass, Props: []Prop{p("header.d", "Example.COM")}},
			}},
		},
		{
			name:  "exim_iprev_auth_arc_oldest_pass",
			value: "host.example.nl; iprev=pass (ptr.example.nl) smtp.remote-ip=192.0.2.69; auth=pass (PLAIN) smtp.auth=user@example.nl; dmarc=skipped header.from=example.com; arc=pass header.oldest-pass=0",
			want: Header{AuthServID: "host.example.nl", Results: []Result{
				{Method: MethodIPRev, Value: ResultPass, Comments: []string{"ptr.example.nl"}, Props: []Prop{p("smtp.remote-ip", "192.0.2.69")}},
				{Method: MethodAuth, Value: ResultPass, Comments: []string{"PLAIN"}, Props: []Prop{p("smtp.auth", "user@example.nl")}},
				{Method: MethodDMARC, Value: "skipped", Props: []Prop{p("header.from", "example.com")}},
				{Method: MethodARC, Value: ResultPass, Props: []Prop{p("header.oldest-pass", "0")}},
			}},
		},
		{
			name:  "comment_with_semicolon_and_escapes",
			value: "example.com; dkim=fail (bad; really \\(bad\\) (nested; too)) header.d=example.com; spf=pass reason=\"a; b\" smtp.mailfrom=example.com",
			want: Header{AuthServID: "example.com", Results: []Result{
				{Method: MethodDKIM, Value: ResultFail, Comments: []string{"bad; really (bad) (nested; too)"},
					Props: []Prop{p("header.d", "example.com")}},
				{Method: MethodSPF, Value: ResultPass, Reason: "a; b",
					Props: []Prop{p("reason", "a; b"), p("smtp.mailfrom", "example.com")}},
			}},
		},
		{
			name:  "none_with_version",
			value: "example.org 1; none",
			want:  Header{AuthServID: "example.org", Version: "1", None: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Parse(tc.value)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(h.Problems) > 0 {
				t.Errorf("problems: %v", h.Problems)
			}
			if !equalHeaders(h, &tc.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tc.value, *h, tc.want)
			}
			again, err := Parse(Format(h))
			if err != nil || !equalHeaders(h, again) {
				t.Errorf("round trip through %q: %v", Format(h), err)
			}
		})
	}
}

func TestParseARC(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		inst    int
		id      string
		wantErr error
	}{
		{"google", "i=1; mx.google.com; dkim=pass header.i=@example.com", 1, "mx.google.com", nil},
		{"no_space", "i=3; smtp.example.org; arc=pass smtp.client-ip=192.0.2.70", 3, "smtp.example.org", nil},
		{"folded_tag", " i\r\n = 12 ;\r\n mx.example.com; spf=pass smtp.mailfrom=example.com", 12, "mx.example.com", nil},
		{"missing_instance", "mx.google.com; dkim=pass", 0, "", ErrInstance},
		{"instance_zero", "i=0; mx.google.com; dkim=pass", 0, "", ErrInstance},
		{"instance_too_big", "i=51; mx.google.com; dkim=pass", 0, "", ErrInstance},
		{"instance_not_number", "i=x; mx.google.com; dkim=pass", 0, "", ErrInstance},
		{"instance_without_semicolon", "i=1 mx.google.com; dkim=pass", 0, "", ErrInstance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseARC(tc.value)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !errors.Is(err, ErrSyntax) || h != nil {
					t.Fatalf("ParseARC(%q) = %v, %v; want %v", tc.value, h, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseARC: %v", err)
			}
			if h.Instance != tc.inst || h.AuthServID != tc.id || len(h.Results) != 1 {
				t.Errorf("got i=%d id=%q results=%d", h.Instance, h.AuthServID, len(h.Results))
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		wantErr error
		wantMsg string
	}{
		{"empty", "", ErrEmpty, "authres: at byte 0: empty value"},
		{"white_space_and_comment", " \r\n (just a comment) ", ErrEmpty, ""},
		{"authserv_id_only", "example.com", ErrNoResult, ""},
		{"authserv_id_version_only", "example.com 1", ErrNoResult, ""},
		{"lone_semicolon", ";", ErrNoResult, ""},
		{"unterminated_comment_in_id", "example.com (oops; spf=pass", ErrUnterminated, "authres: at byte 12: unterminated comment"},
		{"unterminated_quoted_id", "\"example.com; spf=pass", ErrUnterminated, "authres: at byte 0: unterminated quoted-string"},
		{"stray_paren", ") spf=pass", ErrSyntax, ""},
		{"nesting_in_id", "example.com " + strings.Repeat("(", 100) + strings.Repeat(")", 100) + "; spf=pass", ErrNesting, ""},
		{"empty_quoted_id", "\"\"; spf=pass", ErrSyntax, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Parse(tc.value)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error", tc.value, h)
			}
			if h != nil {
				t.Errorf("header returned with error")
			}
			if !errors.Is(err, tc.wantErr) || !errors.Is(err, ErrSyntax) {
				t.Errorf("error %v does not match %v", err, tc.wantErr)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("error %T is not a *SyntaxError", err)
			}
			if tc.wantMsg != "" && err.Error() != tc.wantMsg {
				t.Errorf("message %q, want %q", err.Error(), tc.wantMsg)
			}
		})
	}
}

// TestParseProblems covers values that parse with parts skipped.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		results  int
		wantErr  error
		wantLast string // method of the last result kept
	}{
		{"trailing_junk_result", "example.com; spf=pass smtp.mailfrom=example.com; =junk", 1, ErrSyntax, "spf"},
		{"unterminated_comment_after_result", "example.com; spf=pass; dkim=fail (never closed header.d=x", 2, ErrUnterminated, "dkim"},
		{"unterminated_quote_in_value", "example.com; spf=pass; dkim=fail header.b=\"abc", 2, ErrUnterminated, "dkim"},
		{"deep_comment_in_result", "example.com; dkim=fail " + strings.Repeat("(", 200) + strings.Repeat(")", 200) + "; spf=pass", 2, ErrNesting, "spf"},
		{"stray_word", "example.com; dkim=pass signed header.d=example.com", 1, ErrSyntax, "dkim"},
		{"missing_result", "example.com; dkim=; spf=pass", 1, ErrSyntax, "spf"},
		{"property_without_method", "example.com; smtp.remote-ip=192.0.2.1; iprev=pass", 1, ErrSyntax, "iprev"},
		{"bad_version", "example.com v2; spf=pass", 1, ErrSyntax, "spf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Parse(tc.value)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(h.Results) != tc.results {
				t.Fatalf("%d results, want %d: %+v", len(h.Results), tc.results, h.Results)
			}
			if got := string(h.Results[len(h.Results)-1].Method); got != tc.wantLast {
				t.Errorf("last method %q, want %q", got, tc.wantLast)
			}
			if len(h.Problems) == 0 || !errors.Is(h.Problems[0], tc.wantErr) {
				t.Errorf("problems %v, want one matching %v", h.Problems, tc.wantErr)
			}
		})
	}
}

func TestResultProp(t *testing.T) {
	h, err := Parse("spf=pass smtp.mailfrom=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		result int
		key    string
		want   string
	}{
		{"ptype_property", 0, "smtp.mailfrom", "example.com"},
		{"case_insensitive", 0, "SMTP.MailFrom", "example.com"},
		{"bare_action", 1, "action", "none"},
		{"bare_reason", 2, "reason", "100"},
		{"absent", 1, "header.d", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.Results[tc.result].Prop(tc.key); got != tc.want {
				t.Errorf("Prop(%q) = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
	t.Run("reason_field_fallback", func(t *testing.T) {
		r := Result{Reason: "x"}
		if got := r.Prop("Reason"); got != "x" {
			t.Errorf("Prop(reason) = %q", got)
		}
	})
	t.Run("lookup", func(t *testing.T) {
		if got := h.Lookup(MethodDMARC); len(got) != 1 || got[0].Prop("header.from") != "example.com" {
			t.Errorf("Lookup(dmarc) = %+v", got)
		}
	})
	t.Run("key", func(t *testing.T) {
		got := []string{h.Results[1].Props[0].Key(), h.Results[1].Props[1].Key()}
		if !reflect.DeepEqual(got, []string{"action", "header.from"}) {
			t.Errorf("keys %v", got)
		}
	})
}

// TestPropKey checks Key for the properties it names without building the
// string and for others.
func TestPropKey(t *testing.T) {
	for _, pt := range []string{"smtp", "header", "policy", "body", "x"} {
		for _, pr := range []string{"mailfrom", "helo", "auth", "remote-ip", "d", "i", "s", "b", "a", "from", "dmarc", "other"} {
			if got, want := (Prop{Type: pt, Property: pr}).Key(), pt+"."+pr; got != want {
				t.Errorf("Key(%s, %s) = %q, want %q", pt, pr, got, want)
			}
		}
	}
	if got := (Prop{Property: "action"}).Key(); got != "action" {
		t.Errorf("Key without a ptype = %q, want action", got)
	}
}

// TestEachFirst checks that Each and First see the same results as Lookup.
func TestEachFirst(t *testing.T) {
	h, err := Parse("mx.example.net; dkim=pass header.d=a.example; spf=fail; dkim=fail header.d=b.example")
	if err != nil {
		t.Fatal(err)
	}
	var each []Result
	for r := range h.Each(MethodDKIM) {
		each = append(each, *r)
	}
	if want := h.Lookup(MethodDKIM); len(each) != 2 || !reflect.DeepEqual(each, want) {
		t.Errorf("Each(dkim) = %+v, want %+v", each, want)
	}
	if r := h.First(MethodDKIM); r == nil || r.Prop("header.d") != "a.example" {
		t.Errorf("First(dkim) = %+v, want the a.example result", r)
	}
	if r := h.First(MethodDMARC); r != nil {
		t.Errorf("First(dmarc) = %+v, want nil", r)
	}
	for r := range h.Each(MethodDKIM) {
		if r.Value != ResultPass {
			t.Errorf("Each went on after the first result: %+v", r)
		}
		break
	}
}

// Yahoo sets a property off from its result with a stray ";"; it belongs
// to the result before it.
func TestStrayPropertyAfterSemicolon(t *testing.T) {
	h, err := Parse("mta.example.com; dkim=permerror (bad sig); header.i=@yahoo.example.jp; spf=pass smtp.mailfrom=a@yahoo.example.jp")
	if err != nil || len(h.Problems) > 0 {
		t.Fatalf("err %v, problems %v", err, h.Problems)
	}
	if len(h.Results) != 2 || h.Results[0].Prop("header.i") != "@yahoo.example.jp" || h.Results[1].Prop("smtp.mailfrom") != "a@yahoo.example.jp" {
		t.Errorf("results %+v", h.Results)
	}
	// Before any result, a property has nothing to belong to.
	if h, _ := Parse("mta.example.com; header.from=a.example; dkim=pass"); h == nil || len(h.Problems) == 0 {
		t.Errorf("a property before any result was read silently: %+v", h)
	}
}
