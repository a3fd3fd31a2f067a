package cli

import (
	"strings"
	"testing"
)

// TestTextBounceHostile checks that escape sequences and control
// characters a remote server wrote into a bounce never reach the
// terminal, while the report still shows the failure and its meaning.
func TestTextBounceHostile(t *testing.T) {
	msg := "From: MAILER-DAEMON@mx.example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\x1b[2J\r\n\r\n" +
		"Final-Recipient: rfc822; victim@example.org\r\nAction: failed\r\nStatus: 5.7.509\r\nRemote-MTA: dns; mx\x1b]0;title\x07.example.org\r\n" +
		"Diagnostic-Code: smtp; 550 5.7.509 Access denied \x1b[31mDMARC\x1b[0m reject\u202e\x08\r\n\r\n" +
		"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: me@example.com\r\nSubject: hi \x1b[1Athere\r\n\r\n--b--\r\n"
	out, stderr, code := run(t, msg, "--color=never", "-")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if strings.ContainsAny(out, "\x1b\x07\x08\u202e") {
		t.Errorf("control characters reached the output:\n%q", out)
	}
	for _, want := range []string{"Delivery failure report (delivery-status)", "victim@example.org", "550 5.7.509", "[auth: dmarc]",
		"Microsoft rejected the message", "bounce-auth-failure", "Subject hi there"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
