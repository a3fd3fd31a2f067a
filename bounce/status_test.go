package bounce

import "testing"

func TestValidStatus(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"5.7.26", true}, {"4.7.0", true}, {"2.0.0", true}, {"5.7.139", true}, {"5.1.351", true},
		{"3.1.1", false}, {"5.7", false}, {"5.7.1000", false}, {"5..1", false}, {"5.7.", false},
		{"55.7.1", false}, {"5.7.x", false}, {"", false},
	} {
		if got := validStatus(tc.in); got != tc.want {
			t.Errorf("validStatus(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCodes(t *testing.T) {
	for _, tc := range []struct {
		name, in, status string
		reply            int
	}{
		{"reply and status", "550 5.7.26 Unauthenticated email", "5.7.26", 550},
		{"multi-line prefix", "550-5.7.26 The MAIL FROM domain", "5.7.26", 550},
		{"status only", "#5.1.1 - chkusr", "5.1.1", 0},
		{"sentence end", "rejected with status 5.7.1.", "5.7.1", 0},
		{"ip address is not a code", "host 10.5.1.1 said: 550 Denied by policy", "", 550},
		{"version is not a code", "Exim 4.97 5.2.2 mailbox full", "5.2.2", 0},
		{"reply alone", "554 Service unavailable", "", 554},
		{"no codes", "Host unknown", "", 0},
		{"year is not a reply", "2026-12-03 delivery failed", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, reply := codes(tc.in)
			if st != tc.status || reply != tc.reply {
				t.Errorf("codes(%q) = %q, %d; want %q, %d", tc.in, st, reply, tc.status, tc.reply)
			}
		})
	}
}

func TestCleanDiagnostic(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"550-5.7.26 Unauthenticated email from a.example is not accepted due to\n    550-5.7.26 domain's DMARC policy. 550 5.7.26 https://support.google.com x - gsmtp",
			"550 5.7.26 Unauthenticated email from a.example is not accepted due to domain's DMARC policy. https://support.google.com x - gsmtp"},
		{"550 Denied\n   by policy", "550 Denied by policy"},
		{"  ", ""},
	} {
		if got := cleanDiagnostic(tc.in); got != tc.want {
			t.Errorf("cleanDiagnostic(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
