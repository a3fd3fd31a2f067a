// Package bounce reads delivery failure reports ("bounces") and explains
// the authentication-related ones: a report that a message could not be
// delivered because its sender failed SMTP AUTH (RFC 4954) at its own
// submission server, or because a receiver rejected it for failing SPF,
// DKIM or DMARC (RFC 7372, RFC 7489).
//
// Two shapes are understood. The standard one is a multipart/report with
// report-type=delivery-status (RFC 6522), whose message/delivery-status
// part holds one block of per-message fields and one block per recipient
// (RFC 3464, section 2); its per-recipient Status is an enhanced status
// code (RFC 3463) and its Diagnostic-Code usually carries the remote
// server's SMTP reply (RFC 5321, section 4.2). The other is the plain-text
// or HTML notice many systems send instead or beside it: Microsoft 365's
// non-delivery report ("Delivery has failed to these recipients or
// groups", "Remote Server returned …"), Gmail's "Delivery Status
// Notification (Failure)", Exim's "Mail delivery failed", Postfix's
// "Undelivered Mail Returned to Sender" notice and qmail's "failure
// notice". From those, the recipients and the server's reply are read out
// of the text.
//
// Every status found is kept: a code the explanation table does not know
// is reported as unknown, with the generic meaning of its class and
// subject (RFC 3463, section 3), never dropped.
//
// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
// [RFC 3464]: https://www.rfc-editor.org/rfc/rfc3464
// [RFC 6522]: https://www.rfc-editor.org/rfc/rfc6522
// [RFC 7372]: https://www.rfc-editor.org/rfc/rfc7372
package bounce

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/textproto"
	"strings"

	"github.com/emersion/go-message"
)

// Kind says how a bounce reports its failures.
type Kind string

// Kinds of bounce.
const (
	// KindDSN: a multipart/report with a message/delivery-status part
	// (RFC 3464, RFC 6522).
	KindDSN Kind = "delivery-status"
	// KindText: a notice in prose only, with no machine-readable part.
	KindText Kind = "text"
)

// Generator names the mail system whose wording was recognised.
type Generator string

// Generators recognised; GeneratorUnknown when none is.
const (
	GeneratorMicrosoft Generator = "microsoft"
	GeneratorGmail     Generator = "gmail"
	GeneratorExim      Generator = "exim"
	GeneratorPostfix   Generator = "postfix"
	GeneratorQmail     Generator = "qmail"
	GeneratorSendmail  Generator = "sendmail"
	GeneratorUnknown   Generator = ""
)

// Report is what a bounce says.
type Report struct {
	// Kind says whether the failures were read from a delivery-status part
	// or from the notice's text.
	Kind Kind `json:"kind"`
	// Generator is the mail system whose wording was recognised, "" when
	// none was.
	Generator Generator `json:"generator,omitempty"`
	// ReportingMTA is the Reporting-MTA field without its type ("dns;"),
	// or Microsoft's "Generating server" (RFC 3464, section 2.2.2).
	ReportingMTA string `json:"reporting_mta,omitempty"`
	// ArrivalDate is the Arrival-Date field as written (RFC 3464,
	// section 2.2.5).
	ArrivalDate string `json:"arrival_date,omitempty"`
	// Recipients holds one entry per failed (or delayed, relayed, …)
	// recipient, in the report's order.
	Recipients []Recipient `json:"recipients"`
	// Original holds header fields of the message that bounced, when the
	// report includes them (text/rfc822-headers, message/rfc822, or the
	// headers quoted at the end of a text notice).
	Original *Original `json:"original,omitempty"`
	// Error says what part of the report could not be read; what was read
	// before it is kept.
	Error string `json:"error,omitempty"`
}

// Recipient is one per-recipient block of a delivery status notification
// (RFC 3464, section 2.3), or the same facts read from a notice's text.
type Recipient struct {
	// Address is the Final-Recipient address without its type
	// ("rfc822;"); OriginalAddress the Original-Recipient, when given.
	Address         string `json:"address"`
	OriginalAddress string `json:"original_address,omitempty"`
	// Action is failed, delayed, delivered, relayed or expanded
	// (RFC 3464, section 2.3.3); "" when the notice does not say.
	Action string `json:"action,omitempty"`
	// Status is the enhanced status code (RFC 3463), "5.7.26": the most
	// specific one found — the code in the server's reply when it is more
	// specific than the Status field (which many systems set to 5.0.0).
	Status string `json:"status,omitempty"`
	// StatusField is the Status field exactly when it differs from Status.
	StatusField string `json:"status_field,omitempty"`
	// ReplyCode is the SMTP reply code (RFC 5321, section 4.2) in the
	// server's reply, 0 when none was found.
	ReplyCode int `json:"reply_code,omitempty"`
	// DiagnosticType is the Diagnostic-Code type ("smtp", "x-unix").
	DiagnosticType string `json:"diagnostic_type,omitempty"`
	// Diagnostic is the server's reply or the reporting system's reason,
	// unfolded onto one line, with the repeated code prefixes of a
	// multi-line SMTP reply removed. It is text written by a remote
	// system: clean it before showing it on a terminal.
	Diagnostic string `json:"diagnostic,omitempty"`
	// RemoteMTA is the Remote-MTA field without its type (RFC 3464,
	// section 2.3.5), or the server a text notice names.
	RemoteMTA string `json:"remote_mta,omitempty"`
	// LastAttemptDate is the Last-Attempt-Date field as written.
	LastAttemptDate string `json:"last_attempt_date,omitempty"`
	// Explanation says what the failure means and what to do.
	Explanation Explanation `json:"explanation"`
}

// Original is the part of the bounced message's header the report quotes.
type Original struct {
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	Subject    string `json:"subject,omitempty"`
	Date       string `json:"date,omitempty"`
	MessageID  string `json:"message_id,omitempty"`
	ReturnPath string `json:"return_path,omitempty"`
	// AuthResults are the original's Authentication-Results fields (and
	// Microsoft's Authentication-Results-Original), top to bottom: what
	// the rejecting system, or one before it, recorded.
	AuthResults []string `json:"auth_results,omitempty"`
	// Recorded sums up the topmost of AuthResults: each SPF, DKIM and
	// DMARC result with the identity it was for, as in
	// "spf=pass smtp.mailfrom=a.example; dkim=fail header.d=b.example;
	// dmarc=fail header.from=b.example". It shows why a message failed
	// DMARC: which check failed, or passed for a domain other than From.
	Recorded string `json:"recorded,omitempty"`
}

// Header gives the value of the first field of a name, "" when there is
// none. net/textproto.MIMEHeader, net/mail.Header and go-message's
// Header satisfy it.
type Header interface {
	Get(name string) string
}

// Limits on what Parse reads, so that a hostile report costs bounded work.
const (
	maxPartBytes  = 1 << 20 // bytes read from any one MIME part
	maxParts      = 64      // MIME parts visited
	maxRecipients = 1000    // recipients kept
	maxTextBytes  = 256 << 10
)

// Parse reads the bounce in a message whose top-level header is h and
// whose body (after the blank line, still transfer-encoded) is body. It
// returns nil and false when the message is not a bounce. A report that is
// partly unreadable is still returned, with Error set.
func Parse(h Header, body []byte) (*Report, bool) {
	ct := h.Get("Content-Type")
	mediaType, params := parseContentType(ct)
	if mediaType == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
		return parseDSN(h, body), true
	}
	if mediaType == "multipart/report" {
		// Another report type (disposition-notification, feedback-report,
		// tlsrpt): not a bounce.
		return nil, false
	}
	if !Likely(h) {
		return nil, false
	}
	return parseText(h, body)
}

// ParseMessage reads a whole message from r and calls [Parse]. It returns
// an error only when r has no readable header block.
func ParseMessage(r io.Reader) (*Report, bool, error) {
	br := bufio.NewReader(io.LimitReader(r, maxTextBytes*16))
	if b, err := br.Peek(5); err == nil && string(b) == "From " {
		br.ReadString('\n') // an mbox separator line
	}
	tp := textproto.NewReader(br)
	h, err := tp.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return nil, false, fmt.Errorf("bounce: reading the header: %w", err)
	}
	body, err := io.ReadAll(tp.R)
	if err != nil {
		return nil, false, fmt.Errorf("bounce: reading the body: %w", err)
	}
	rep, ok := Parse(headerMap(h), body)
	return rep, ok, nil
}

// newEntity builds a go-message entity from h and body for MIME walking.
func newEntity(h Header, body []byte) (*message.Entity, error) {
	var mh message.Header
	for _, name := range []string{"Content-Type", "Content-Transfer-Encoding"} {
		if v := h.Get(name); v != "" {
			mh.Set(name, v)
		}
	}
	return message.New(mh, bytes.NewReader(body))
}

// headerMap adapts a textproto.MIMEHeader read from a report part.
type headerMap textproto.MIMEHeader

func (m headerMap) Get(name string) string { return textproto.MIMEHeader(m).Get(name) }
