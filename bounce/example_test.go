package bounce_test

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/bounce"
)

func ExampleParseMessage() {
	msg := "From: MAILER-DAEMON@mail.example.com\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; mail.example.com\r\n\r\n" +
		"Final-Recipient: rfc822; reader@gmail.com\r\nAction: failed\r\nStatus: 5.7.26\r\n" +
		"Diagnostic-Code: smtp; 550-5.7.26 Unauthenticated email from example.com is not\r\n" +
		" accepted due to 550-5.7.26 domain's DMARC policy.\r\n\r\n--b--\r\n"
	rep, ok, err := bounce.ParseMessage(strings.NewReader(msg))
	if err != nil || !ok {
		fmt.Println("not a bounce", err)
		return
	}
	for _, r := range rep.Recipients {
		fmt.Println(r.Address, r.ReplyCode, r.Status, r.Explanation.Category, r.Explanation.Rule)
		fmt.Println(r.Diagnostic)
		fmt.Println(r.Explanation.Summary)
	}
	for _, f := range bounce.Findings(rep) {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// reader@gmail.com 550 5.7.26 dmarc dmarc-reject-gmail
	// 550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.
	// Gmail rejected the message under the From domain's DMARC policy
	// medium bounce-auth-failure
	// info bounce-report
}

func ExampleExplain() {
	e := bounce.Explain("5.7.139", 535, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.")
	fmt.Println(e.Rule, e.Category, e.Auth)
	fmt.Println(e.Summary)
	e = bounce.Explain("5.4.312", 550, "")
	fmt.Println(e.Known, e.Summary)
	// Output:
	// smtp-auth-disabled-mailbox smtp-auth true
	// SMTP AUTH is turned off for this mailbox
	// false Status 5.4.312 is not in authlens' table
}
