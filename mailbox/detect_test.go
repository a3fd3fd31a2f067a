package mailbox

import (
	"bufio"
	"errors"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Format
	}{
		{"empty", "", FormatEmpty},
		{"eml", "Received: from x\n\tby y\nFrom: a@example.com\n\nbody\n", FormatEML},
		{"eml CRLF", "Return-Path: <a@example.com>\r\nSubject: x\r\n\r\n", FormatEML},
		{"eml header only", "Subject: x\n", FormatEML},
		{"pasted headers", "\xef\xbb\xbf\n\n    Received: from x\n        by y\n    From: a@example.com\n", FormatEML},
		{"mbox", from1 + msgA, FormatMbox},
		{"mboxcl2", from1 + "Subject: x\nContent-Length: 5\n\nbody\n", FormatMboxCL2},
		{"Content-Length in body only", from1 + "Subject: x\n\nContent-Length: 5\n", FormatMbox},
		{"gzip", "\x1f\x8b\x08\x00", FormatGzip},
		{"msg", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", FormatMsg},
		{"pst", "!BDN\x00\x00", FormatPST},
		{"zip", "PK\x03\x04\x14\x00", FormatZip},
		{"empty zip", "PK\x05\x06\x00\x00", FormatZip},
		{"pdf", "%PDF-1.7\n", FormatPDF},
		{"binary", "\x00\x01\x02\xff\xfe", FormatUnknown},
		{"text", "Dear friend,\nhello\n", FormatUnknown},
		{"not mail header names", "key: value\nother: thing\n", FormatUnknown},
		{"whitespace", "\n\n", FormatUnknown},
		// Damaged headers are still email (read leniently).
		{"no colon: a fold that lost its space", "From: a@example.com\r\nSubject: a long\r\nsubject\r\nTo: b@example.net\r\n\r\n", FormatEML},
		{"white-space first line", "   \r\nFrom: a@example.com\r\n\r\n", FormatEML},
		{"white-space lines before a paste", "\n \t\n    From: a@example.com\n    To: b@example.net\n", FormatEML},
		{"bare CR", "From: a@example.com\r\nSubject: x\ry\r\n\r\n", FormatEML},
		{"NUL", "From: a@example.com\nSubject: x\x00y\n\n", FormatEML},
		{"8-bit field name", "Betreff-Ä: x\nFrom: a@example.com\n\n", FormatEML},
		{"Outlook banner", "Microsoft Mail Internet Headers Version 2.0\r\nReceived: from x\r\nFrom: a@example.com\r\n", FormatEML},
		{"binary after a field", "From: a@example.com\n\x00\x01\x02\x03\x04 junk\n\n", FormatUnknown},
		{"prose after a field", "Subject: notes\n" + strings.Repeat("a line of prose\n", 40), FormatUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(bufio.NewReader(strings.NewReader(tc.in)))
			if err != nil || got != tc.want {
				t.Errorf("Detect(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestIsFromLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"From alice@example.com Thu Jan  1 00:00:00 2015\n", true},
		{"From alice@example.com Thu Jan  1 00:00:00 2015\r\n", true},
		{"From 1234567890@xxx Mon Jan 01 00:00:00 +0000 2024\n", true},
		{"From - Mon Jan  1 00:00:00 2024\n", true},
		{"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n", true},
		{"From alice@example.com  Sat, 01 Jan 2000 00:00:00 +0000\n", true},
		{"From alice@example.com 1 Jan 2000 00:00 +0000\n", true},
		{"From \"a b\"@example.com Thu Jan  1 00:00:00 2015\n", true},
		{"From  Thu Jan  1 00:00:00 2015\n", true},
		{"From alice@example.com Thu Jan  1 00:00:00 2015 remote from host\n", true},
		{"From here on, we agree.\n", false},
		{"From Mon to Fri\n", false},
		{"From alice Thu Jan 1 2015\n", false},     // no time
		{"From alice Thu Jan 1 00:00:00\n", false}, // no year
		{"From: alice@example.com\n", false},
		{">From alice@example.com Thu Jan  1 00:00:00 2015\n", false},
		{"From the desk of Thu Smith at 10:30 in 2015\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			if got := isFromLine([]byte(tc.line)); got != tc.want {
				t.Errorf("isFromLine(%q) = %v, want %v", tc.line, got, tc.want)
			}
		})
	}
}

// TestUnsupportedReason: text that is not a header block is refused with
// the line and the reason; binary data without one.
func TestUnsupportedReason(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dear friend,\nhello\n", "line 1 is not a header field (no colon)"},
		{"\n\nGreeting: hello\nthere\n", "none of the fields email carries"},
		{"\n  Dear friend,\n", "line 2 is not a header field (no colon)"},
		{"Dear friend: hello\n", "line 1 is not a header field (invalid character in the field name)"},
		{"From: a@example.com\n\x00\x01\x02\x03\x04 junk\n\n", "line 2 holds binary data"},
		{"\x00\x01\x02\xff\xfe", "not an email message or mailbox: expected"},
	}
	for _, tc := range tests {
		err := unsupported(FormatUnknown, []byte(tc.in))
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("unsupported(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}
