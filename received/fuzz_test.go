package received

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that, when it succeeds,
// the fields it extracts are substrings of the unfolded input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"from mail.example.org (mail.example.org [192.0.2.25]) by mx.example.net (Postfix) with ESMTPS id 4F1A for <b@example.net>; Tue, 24 Oct 2023 00:25:13 -0400 (EDT)",
		"from h ([198.51.100.7] helo=laptop) by m with esmtpsa (Exim 4.97) id 1t; Mon, 02 Feb 2026 11:00:00 +0000",
		"from x (192.0.2.50) by y with Microsoft SMTP\r\n Server (version=TLS1_2, cipher=X) id 15.20 via Frontend Transport; Tue, 3 Mar 2026 10:15:01 +0000",
		"from unknown (HELO a) (u@198.51.100.77) by b with SMTP; 12 Mar 26 09:00 -0000",
		"(qmail 1 invoked by uid 89); 12 Mar 2026 09:00:00 -0000",
		"from [IPv6:2001:db8::1] (unknown [IPv6:2001:db8::1]) by z; Thu Mar 12 09:00:00 2026",
		"((((; ; ;",
		"\"unterminated; <a;b>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			return
		}
		u := unfold(s)
		for name, v := range map[string]string{
			"From": h.From, "HELO": h.HELO, "ReverseDNS": h.ReverseDNS, "IP": h.IP, "By": h.By,
			"Via": h.Via, "With": h.With, "ID": h.ID, "For": h.For, "DateText": h.DateText,
		} {
			if !strings.Contains(u, v) {
				t.Fatalf("%s %q is not a substring of %q", name, v, u)
			}
		}
		for _, c := range h.Comments {
			if !strings.Contains(u, c.Text) {
				t.Fatalf("comment %q is not a substring of %q", c.Text, u)
			}
		}
		if h.Date.IsZero() {
			t.Fatalf("no error but no date for %q", s)
		}
		if h.IP != "" && !h.Addr().IsValid() {
			t.Fatalf("IP %q does not parse", h.IP)
		}
	})
}
