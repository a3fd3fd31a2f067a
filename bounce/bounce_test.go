package bounce

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/authlens/authlens/finding"
)

// parseFile parses a message file and fails unless it is a bounce.
func parseFile(t *testing.T, path string) *Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, ok, err := ParseMessage(f)
	if err != nil || !ok {
		t.Fatalf("%s: ok %v, err %v", path, ok, err)
	}
	return rep
}

func parseString(t *testing.T, msg string) (*Report, bool) {
	t.Helper()
	rep, ok, err := ParseMessage(strings.NewReader(msg))
	if err != nil {
		t.Fatalf("ParseMessage: %v", err)
	}
	return rep, ok
}

// want is what a test expects of a report with one recipient.
type want struct {
	kind      Kind
	generator Generator
	mta       string
	address   string
	status    string
	reply     int
	remote    string
	rule      string
	subject   string // of the original message
	findings  []string
}

func check(t *testing.T, rep *Report, w want) {
	t.Helper()
	if rep.Kind != w.kind || rep.Generator != w.generator || rep.ReportingMTA != w.mta {
		t.Errorf("kind %q generator %q mta %q; want %q %q %q", rep.Kind, rep.Generator, rep.ReportingMTA, w.kind, w.generator, w.mta)
	}
	if rep.Error != "" {
		t.Errorf("error: %s", rep.Error)
	}
	if len(rep.Recipients) != 1 {
		t.Fatalf("%d recipients: %+v", len(rep.Recipients), rep.Recipients)
	}
	r := rep.Recipients[0]
	if r.Address != w.address || r.Status != w.status || r.ReplyCode != w.reply || r.RemoteMTA != w.remote || r.Explanation.Rule != w.rule {
		t.Errorf("recipient %q status %q reply %d remote %q rule %q;\n want %q %q %d %q %q", r.Address, r.Status, r.ReplyCode, r.RemoteMTA, r.Explanation.Rule,
			w.address, w.status, w.reply, w.remote, w.rule)
	}
	if w.status != "" && !strings.Contains(r.Diagnostic, w.status) && r.Diagnostic != "" && r.StatusField == "" {
		t.Logf("diagnostic %q does not repeat the status", r.Diagnostic)
	}
	if w.subject != "" && (rep.Original == nil || rep.Original.Subject != w.subject) {
		t.Errorf("original %+v, want subject %q", rep.Original, w.subject)
	}
	var codes []string
	for _, f := range Findings(rep) {
		codes = append(codes, string(f.Severity)+" "+string(f.Code))
	}
	if !slices.Equal(codes, w.findings) {
		t.Errorf("findings %q, want %q", codes, w.findings)
	}
}

// TestOurMessages reads the bounces written for this project in
// ../testdata.
func TestOurMessages(t *testing.T) {
	for _, tc := range []struct {
		file string
		want want
	}{
		{"bounce-ms-5.7.139.eml", want{KindDSN, GeneratorMicrosoft, "EXCH01.corp.example.org", "accounts@partner.example.net", "5.7.139", 535, "smtp.office365.com",
			"smtp-auth-disabled-tenant", "Scanned document 0042", []string{"medium bounce-smtp-auth-failure", "info bounce-report"}}},
		{"bounce-postfix-gmail-5.7.26.eml", want{KindDSN, GeneratorPostfix, "mail.shop.example.com", "reader@gmail.com", "5.7.26", 550, "gmail-smtp-in.l.google.com",
			"dmarc-reject-gmail", "December offers", []string{"medium bounce-auth-failure", "info bounce-report"}}},
		{"bounce-exim-5.7.57.eml", want{KindText, GeneratorExim, "", "oncall@example.com", "5.7.57", 530, "smtp.office365.com",
			"smtp-auth-not-authenticated", "disk usage above 90% on db02", []string{"medium bounce-smtp-auth-failure", "info bounce-report"}}},
		// Not an authentication failure: no auth finding.
		{"bounce-postfix-5.1.1.eml", want{KindDSN, GeneratorPostfix, "mx.example.net", "bob@example.org", "5.1.1", 550, "mail.example.org",
			"recipient-unknown", "Lunch on Monday?", []string{"info bounce-report"}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			check(t, parseFile(t, filepath.Join("..", "testdata", tc.file)), tc.want)
		})
	}
}

// TestMicrosoftText reads Microsoft non-delivery reports that carry no
// delivery-status part: the current wording with a quoted reply spread
// over lines, the older "#< … #SMTP#" form, and an HTML-only report.
func TestMicrosoftText(t *testing.T) {
	current := "From: postmaster@contoso.example\r\nSubject: Undeliverable: hello\r\nContent-Type: text/plain\r\n\r\n" +
		"Delivery has failed to these recipients or groups:\r\n\r\nann@fabrikam.example<mailto:ann@fabrikam.example>\r\nThe sign-in failed.\r\n\r\n" +
		"Diagnostic information for administrators:\r\n\r\nGenerating server:\r\nDM6PR01MB1234.namprd01.prod.outlook.com\r\n\r\n" +
		"ann@fabrikam.example\r\nsmtp.office365.com\r\nRemote Server returned '535 5.7.3 Authentication\r\nunsuccessful [DM6PR01CA0001.namprd01.prod.outlook.com]'\r\n\r\n" +
		"Original message headers:\r\n\r\nFrom: relay@contoso.example\r\nSubject: hello\r\n"
	rep, ok := parseString(t, current)
	if !ok {
		t.Fatal("current wording: not a bounce")
	}
	check(t, rep, want{KindText, GeneratorMicrosoft, "DM6PR01MB1234.namprd01.prod.outlook.com", "ann@fabrikam.example", "5.7.3", 535, "smtp.office365.com",
		"smtp-auth-unsuccessful", "hello", []string{"medium bounce-smtp-auth-failure", "info bounce-report"}})
	if d := rep.Recipients[0].Diagnostic; d != "535 5.7.3 Authentication unsuccessful [DM6PR01CA0001.namprd01.prod.outlook.com]" {
		t.Errorf("diagnostic %q", d)
	}

	older := "From: postmaster@alpineskihouse.example\nSubject: Undeliverable: report\n\n" +
		"Diagnostic information for administrators:\n\nGenerating server: alpineskihouse.example\n\nronald@contoso.example\n" +
		"mail.contoso.example #<exchange.contoso.example #5.7.1 smtp;530 5.7.1 Client was not authenticated> #SMTP#\n"
	rep, ok = parseString(t, older)
	if !ok {
		t.Fatal("older wording: not a bounce")
	}
	check(t, rep, want{KindText, GeneratorMicrosoft, "alpineskihouse.example", "ronald@contoso.example", "5.7.1", 530, "mail.contoso.example",
		"relay-not-authenticated", "", []string{"medium bounce-smtp-auth-failure", "info bounce-report"}})

	htmlOnly := "From: postmaster@contoso.example\nSubject: Undeliverable: x\nContent-Type: text/html; charset=utf-8\n\n" +
		"<html><body><p>Delivery has failed to these recipients or groups:</p><p><b>Diagnostic information for administrators:</b></p>" +
		"<p>Generating server: MW4PR01MB0001.namprd01.prod.outlook.com</p><p>joe@example.net<br>Remote Server returned &#39;550 5.7.509 Access denied, sending domain [CONTOSO.EXAMPLE] does not pass DMARC verification and has a DMARC policy of reject.&#39;</p></body></html>\n"
	rep, ok = parseString(t, htmlOnly)
	if !ok {
		t.Fatal("HTML only: not a bounce")
	}
	check(t, rep, want{KindText, GeneratorMicrosoft, "MW4PR01MB0001.namprd01.prod.outlook.com", "joe@example.net", "5.7.509", 550, "",
		"dmarc-reject-microsoft", "", []string{"medium bounce-auth-failure", "info bounce-report"}})
}

// TestGmailText reads Gmail's notice, which names the recipient in a
// sentence and quotes the reply after "The response from the remote
// server was:".
func TestGmailText(t *testing.T) {
	msg := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\nContent-Type: text/plain; charset=UTF-8\n\n" +
		"Address not found\n\nYour message wasn't delivered to sales@example.org because the domain refused it.\n\n" +
		"The response from the remote server was:\n550 5.7.23 The message was rejected because of Sender Policy Framework violation\n\n" +
		"----- Original message -----\n\nFrom: me@gmail.com\nSubject: quote\n"
	rep, ok := parseString(t, msg)
	if !ok {
		t.Fatal("not a bounce")
	}
	check(t, rep, want{KindText, GeneratorGmail, "", "sales@example.org", "5.7.23", 550, "", "spf-fail", "quote",
		[]string{"medium bounce-auth-failure", "info bounce-report"}})
}

// TestSeveralRecipients reads a report whose recipients fail for
// different reasons, and whose Status field (5.0.0) says less than the
// server's reply: the reply's code wins and the field is kept.
func TestSeveralRecipients(t *testing.T) {
	msg := "From: MAILER-DAEMON@mx.example.com\nSubject: Returned mail\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nSee below.\n\n--b\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.com\nArrival-Date: Mon, 1 Jun 2026 10:00:00 +0000\n\n" +
		"Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.0.0\nRemote-MTA: dns; mx.example.org\n" +
		"Diagnostic-Code: smtp; 550 5.7.23 SPF validation failed\nLast-Attempt-Date: Mon, 1 Jun 2026 10:00:05 +0000\n\n" +
		"Final-Recipient: rfc822; <b@example.org>\nOriginal-Recipient: rfc822; list@example.com\nAction: failed\nStatus: 5.1.1\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 no such user\n\n" +
		"Final-Recipient: rfc822; c@example.org\nAction: delayed\nStatus: 4.4.7\n\n--b--\n"
	rep, ok := parseString(t, msg)
	if !ok {
		t.Fatal("not a bounce")
	}
	if rep.ReportingMTA != "mx.example.com" || rep.ArrivalDate != "Mon, 1 Jun 2026 10:00:00 +0000" || len(rep.Recipients) != 3 {
		t.Fatalf("report %+v", rep)
	}
	a, b, c := rep.Recipients[0], rep.Recipients[1], rep.Recipients[2]
	if a.Status != "5.7.23" || a.StatusField != "5.0.0" || a.RemoteMTA != "mx.example.org" || a.DiagnosticType != "smtp" || a.LastAttemptDate == "" || !a.Explanation.Auth {
		t.Errorf("first recipient %+v", a)
	}
	if b.Address != "b@example.org" || b.OriginalAddress != "list@example.com" || b.Status != "5.1.1" || b.Explanation.Auth {
		t.Errorf("second recipient %+v", b)
	}
	if c.Action != "delayed" || c.Status != "4.4.7" || !c.Explanation.Known || !c.Explanation.Temporary {
		t.Errorf("third recipient %+v", c)
	}
	var codes []finding.Code
	for _, f := range Findings(rep) {
		codes = append(codes, f.Code)
	}
	if !slices.Equal(codes, []finding.Code{CodeAuth, CodeBounce}) {
		t.Errorf("findings %q", codes)
	}
}

// TestNotBounces checks messages that are not bounces are not read as
// ones, including reports of other types (RFC 6522 allows several).
func TestNotBounces(t *testing.T) {
	for name, msg := range map[string]string{
		"ordinary":                 "From: a@example.com\nSubject: hello\n\nHi there, 550 5.7.26 is just a number here.\n",
		"read receipt":             "From: a@example.com\nSubject: Read: hello\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n--b\nContent-Type: message/disposition-notification\n\nFinal-Recipient: rfc822; a@example.com\nDisposition: manual-action/MDN-sent-manually; displayed\n\n--b--\n",
		"bounce subject, no reply": "From: a@example.com\nSubject: Undeliverable ideas\n\nWe discussed ideas <b@example.com>: none were good.\n",
	} {
		t.Run(name, func(t *testing.T) {
			if rep, ok := parseString(t, msg); ok {
				t.Errorf("read as a bounce: %+v", rep)
			}
		})
	}
}

// TestHostileDiagnostic checks that escape sequences and control
// characters a remote server writes into its reply are kept in the data
// but never reach a finding.
func TestHostileDiagnostic(t *testing.T) {
	msg := "From: MAILER-DAEMON@mx.example.com\nSubject: Undelivered Mail Returned to Sender\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
		"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n" +
		"Final-Recipient: rfc822; victim@example.org\nAction: failed\nStatus: 5.7.509\n" +
		"Diagnostic-Code: smtp; 550 5.7.509 DMARC \x1b]0;owned\x07reject \x1b[2J\x1b[31mFAKE\u202e\x00 end\n\n--b--\n"
	rep, ok := parseString(t, msg)
	if !ok {
		t.Fatal("not a bounce")
	}
	if !strings.Contains(rep.Recipients[0].Diagnostic, "\x1b[2J") {
		t.Errorf("the diagnostic lost the data it carried: %q", rep.Recipients[0].Diagnostic)
	}
	for _, f := range Findings(rep) {
		if strings.ContainsAny(f.Message, "\x1b\x07\x00\u202e") {
			t.Errorf("finding %s carries control text: %q", f.Code, f.Message)
		}
	}
}

// TestLikely checks the header-only test that lets callers skip the body.
func TestLikely(t *testing.T) {
	type h map[string]string
	for _, tc := range []struct {
		name string
		hdr  h
		want bool
	}{
		{"delivery-status report", h{"Content-Type": "multipart/report; report-type=delivery-status; boundary=x"}, true},
		{"feedback report", h{"Content-Type": "multipart/report; report-type=feedback-report; boundary=x"}, false},
		{"Exim field", h{"X-Failed-Recipients": "a@example.com"}, true},
		{"Microsoft subject", h{"Subject": "Undeliverable: hello"}, true},
		{"mailer daemon", h{"From": "MAILER-DAEMON@example.com"}, true},
		{"ordinary", h{"From": "a@example.com", "Subject": "hello"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Likely(mapHeader(tc.hdr)); got != tc.want {
				t.Errorf("Likely = %v, want %v", got, tc.want)
			}
		})
	}
}

type mapHeader map[string]string

func (m mapHeader) Get(name string) string { return m[name] }

// TestFindingSeverity checks a temporary authentication failure is low
// and an unknown code gets an info finding.
func TestFindingSeverity(t *testing.T) {
	rep := &Report{Kind: KindDSN, Recipients: []Recipient{
		{Address: "a@example.org", StatusField: "4.7.26", Diagnostic: "421 4.7.26 Unauthenticated email ... DMARC policy"},
		{Address: "b@example.org", StatusField: "5.4.312"},
	}}
	finish(rep)
	fs := Findings(rep)
	if len(fs) != 3 || fs[0].Code != CodeAuth || fs[0].Severity != finding.Low || fs[1].Code != CodeUnknownStatus || fs[1].Severity != finding.Info {
		t.Errorf("findings %+v", fs)
	}
	if !strings.Contains(fs[0].Message, "temporary") {
		t.Errorf("a temporary failure's finding does not say so: %q", fs[0].Message)
	}
	if Findings(nil) != nil {
		t.Error("Findings(nil) is not nil")
	}
}

// TestNonASCIIOffsets checks text whose lower-case form has a different
// length (invalid UTF-8 becomes the three-byte U+FFFD; the three-byte
// Kelvin sign becomes "k") is searched without mixing offsets of the two
// forms.
func TestNonASCIIOffsets(t *testing.T) {
	for _, junk := range []string{strings.Repeat("\xff", 100), strings.Repeat("\u212a", 100)} {
		for name, msg := range map[string]string{
			"postfix":   "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n<a@b.example>: " + junk + " host mx.b.example[192.0.2.1] said: 550 5.7.23 SPF fail\n",
			"microsoft": "Subject: Undeliverable: x\n\nDiagnostic information for administrators:\n\nGenerating server: gen.example\n\na@b.example\n" + junk + " #<x #5.7.1 smtp;530 5.7.1 Client was not authenticated> #SMTP#\n",
			"gmail":     "From: mailer-daemon@googlemail.com\nSubject: Delivery Status Notification (Failure)\n\n" + junk + " wasn't delivered to a@b.example. " + junk + "\nThe response was:\n550 5.7.26 DMARC\n",
			"html":      "Subject: Undeliverable: x\nContent-Type: text/html\n\n" + junk + "<STYLE>" + junk + "</style><p>a@b.example: 550 5.7.509 DMARC</p>\n",
		} {
			t.Run(name, func(t *testing.T) {
				rep, ok := parseString(t, msg)
				if !ok || len(rep.Recipients) != 1 || !rep.Recipients[0].Explanation.Auth {
					t.Fatalf("ok %v, report %+v", ok, rep)
				}
				if r := rep.Recipients[0]; r.Address != "a@b.example" || !strings.HasPrefix(r.Diagnostic, "5") {
					t.Errorf("recipient %q, diagnostic %q", r.Address, r.Diagnostic)
				}
			})
		}
	}
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   bool
	}{
		{"Undeliverable: hi", "undeliverable", true},
		{"MAILER-DAEMON@x", "mailer-daemon", true},
		{"mailer", "mailer-daemon", false},
		{"", "x", false},
		{"abc", "", true},
	} {
		if got := containsFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v", tc.s, tc.sub, got)
		}
	}
}

// TestRecorded checks the returned header's Authentication-Results are
// summed up, and quoted in a DMARC failure's finding: they show which
// check failed and for which domain.
func TestRecorded(t *testing.T) {
	msg := "From: postmaster@outlook.example\nSubject: Undeliverable: offer\nContent-Type: text/plain\n\n" +
		"Delivery has failed to these recipients or groups:\n\nDiagnostic information for administrators:\n\nGenerating server: DM6PR17MB3996.namprd17.prod.outlook.com\n\n" +
		"ann@bar.example\nRemote Server returned '550 5.7.509 Access denied, sending domain bar.example does not pass DMARC verification and has a DMARC policy of reject.'\n\n" +
		"Original message headers:\n\nReceived: from x by y; Mon, 11 Nov 2024 03:28:33 +0000\n" +
		"Authentication-Results: spf=pass (sender IP is 209.85.222.48)\n smtp.mailfrom=foo.example; dkim=fail (no key for signature)\n header.d=bar.example;dmarc=fail action=oreject\n header.from=bar.example;compauth=fail reason=000\n" +
		"From: Bar <news@bar.example>\nSubject: offer\n"
	rep, ok := parseString(t, msg)
	if !ok || rep.Original == nil {
		t.Fatalf("ok %v, report %+v", ok, rep)
	}
	want := "spf=pass smtp.mailfrom=foo.example; dkim=fail header.d=bar.example; dmarc=fail header.from=bar.example"
	if rep.Original.Recorded != want || len(rep.Original.AuthResults) != 1 {
		t.Errorf("recorded %q, want %q (auth results %q)", rep.Original.Recorded, want, rep.Original.AuthResults)
	}
	fs := Findings(rep)
	if len(fs) == 0 || fs[0].Code != CodeAuth || !strings.Contains(fs[0].Message, want) {
		t.Errorf("findings %+v", fs)
	}
}

// TestDelayed checks a delay warning: the action is read from the
// notice's wording, and a temporary authentication failure is a low
// finding.
func TestDelayed(t *testing.T) {
	msg := "From: Mail Delivery System <Mailer-Daemon@mx.example.com>\nSubject: Warning: message 1abc delayed 24 hours\nX-Failed-Recipients: a@gmail.com\n\n" +
		"This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on mx.example.com.\n\n" +
		"  a@gmail.com\n    host gmail-smtp-in.l.google.com [142.250.1.26]\n    SMTP error from remote mail server after end of data:\n    421-4.7.26 Unauthenticated email from example.com is not accepted due to domain's\n    421 4.7.26 DMARC policy.\n\nNo action is required on your part. Delivery attempts will continue.\n"
	rep, ok := parseString(t, msg)
	if !ok || len(rep.Recipients) != 1 {
		t.Fatalf("ok %v, report %+v", ok, rep)
	}
	r := rep.Recipients[0]
	if r.Action != "delayed" || r.Status != "4.7.26" || r.ReplyCode != 421 || !r.Explanation.Temporary || r.Explanation.Rule != "dmarc-reject-gmail" {
		t.Errorf("recipient %+v", r)
	}
	if fs := Findings(rep); fs[0].Severity != finding.Low || fs[0].Code != CodeAuth {
		t.Errorf("findings %+v", fs)
	}
}
