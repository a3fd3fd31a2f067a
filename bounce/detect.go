package bounce

import "strings"

// Likely reports whether a message's header says it may be a bounce: a
// delivery-status report (RFC 6522), a null-sender notice from a mailer
// daemon or postmaster, a subject worded as mail systems word their
// failure notices, or Exim's X-Failed-Recipients field. It reads no body,
// so a caller can skip the body of every other message.
func Likely(h Header) bool {
	if ct := h.Get("Content-Type"); containsFold(ct, "multipart/report") {
		_, params := parseContentType(ct)
		return strings.EqualFold(params["report-type"], "delivery-status")
	}
	if h.Get("X-Failed-Recipients") != "" {
		return true
	}
	subject := h.Get("Subject")
	for _, s := range bounceSubjects {
		if containsFold(subject, s) {
			return true
		}
	}
	from := h.Get("From")
	return containsFold(from, "mailer-daemon") || containsFold(from, "postmaster@") || containsFold(from, "mail delivery")
}

// containsFold reports whether s contains sub, a lower-case ASCII string,
// ignoring ASCII case; it allocates nothing, since Likely runs on every
// message.
func containsFold(s, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

// bounceSubjects are lower-case subject fragments of failure notices.
var bounceSubjects = []string{
	"undeliverable",                          // Microsoft: "Undeliverable: …"
	"undelivered mail returned to sender",    // Postfix
	"delivery status notification (failure)", // Gmail, Exchange
	"delivery status notification (delay)",
	"mail delivery failed",   // Exim
	"failure notice",         // qmail
	"returned mail",          // sendmail
	"delivery failure",       // various
	"non-delivery",           // various
	"nondeliverable",         // various
	"could not be delivered", // various
	"delivery has failed",    // Microsoft, older
	"mail delivery failure",
	"delivery notification: delivery has failed",
}

// detectGenerator recognises the mail system that wrote a notice from its
// fixed wording.
func detectGenerator(h Header, text string) Generator {
	lower := strings.ToLower(text)
	from := strings.ToLower(h.Get("From"))
	switch {
	case strings.Contains(lower, "diagnostic information for administrators"),
		strings.Contains(lower, "delivery has failed to these recipients"),
		strings.Contains(lower, "remote server returned '"),
		h.Get("X-MS-Exchange-Message-Is-Ndr") != "",
		strings.Contains(strings.ToLower(h.Get("Subject")), "undeliverable:") && strings.Contains(lower, "generating server"):
		return GeneratorMicrosoft
	case strings.Contains(from, "googlemail.com"), strings.Contains(lower, "google tried to deliver your message"),
		strings.Contains(lower, "the response from the remote server was:"):
		return GeneratorGmail
	case strings.Contains(lower, "this message was created automatically by mail delivery software"),
		strings.Contains(lower, "the following address(es) failed"), h.Get("X-Failed-Recipients") != "":
		return GeneratorExim
	case strings.Contains(lower, "this is the mail system at host"), strings.Contains(lower, "x-postfix-queue-id"):
		return GeneratorPostfix
	case strings.Contains(lower, "this is the qmail-send program"):
		return GeneratorQmail
	case strings.Contains(lower, "the following addresses had permanent fatal errors"),
		strings.Contains(lower, "transcript of session follows"):
		return GeneratorSendmail
	}
	return GeneratorUnknown
}
