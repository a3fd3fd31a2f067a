package bounce

import (
	"strings"
)

// Category groups what a failure is about.
type Category string

// Categories of failure.
const (
	// CategorySMTPAuth: the sending client's own login to its submission
	// server (SMTP AUTH, RFC 4954) failed or was missing.
	CategorySMTPAuth Category = "smtp-auth"
	// CategorySPF, CategoryDKIM, CategoryDMARC, CategoryReverseDNS: a
	// receiver rejected the message for failing that check.
	CategorySPF        Category = "spf"
	CategoryDKIM       Category = "dkim"
	CategoryDMARC      Category = "dmarc"
	CategoryReverseDNS Category = "reverse-dns"
	// CategorySenderAuth: several sender authentication checks failed, or
	// the receiver does not say which.
	CategorySenderAuth Category = "sender-auth"
	// CategoryOther: not an authentication failure.
	CategoryOther Category = "other"
)

// Explanation says what a failure means and what to do about it.
type Explanation struct {
	// Rule names the table entry that matched ("smtp-auth-disabled-tenant",
	// "dmarc-reject-microsoft"); "" when the code is not in the table.
	Rule     string   `json:"rule"`
	Category Category `json:"category"`
	// Auth is true for authentication failures: SMTP AUTH, SPF, DKIM,
	// DMARC, reverse DNS.
	Auth bool `json:"auth"`
	// Known is false when the status is not in the table; Meaning then
	// gives the generic sense of its class and subject (RFC 3463).
	Known bool `json:"known"`
	// Temporary is true for a 4.X.X status (or a 4XX reply without one):
	// the sender retries, and the failure may clear.
	Temporary bool   `json:"temporary"`
	Summary   string `json:"summary"`
	Meaning   string `json:"meaning"`
	// Actions are what to do, most useful first.
	Actions []string `json:"actions,omitempty"`
	// Sources are the documents the explanation rests on.
	Sources []string `json:"sources,omitempty"`
}

// Sources cited by the table.
const (
	srcRFC3463     = "RFC 3463, Enhanced Mail System Status Codes: https://www.rfc-editor.org/rfc/rfc3463"
	srcRFC4954     = "RFC 4954, section 6 (SMTP AUTH status codes): https://www.rfc-editor.org/rfc/rfc4954#section-6"
	srcRFC5248     = "IANA SMTP Enhanced Status Codes registry (RFC 5248): https://www.iana.org/assignments/smtp-enhanced-status-codes"
	srcRFC7372     = "RFC 7372, Email Authentication Status Codes, section 3: https://www.rfc-editor.org/rfc/rfc7372#section-3"
	srcRFC7208     = "RFC 7208, section 8.4 (SPF fail): https://www.rfc-editor.org/rfc/rfc7208#section-8.4"
	srcRFC7489     = "RFC 7489, section 6.6 (DMARC policy enforcement): https://www.rfc-editor.org/rfc/rfc7489#section-6.6"
	srcRFC7505     = "RFC 7505, section 4 (null MX): https://www.rfc-editor.org/rfc/rfc7505#section-4"
	srcMSNDR       = "Microsoft Learn, Email non-delivery reports and SMTP errors in Exchange Online: https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online"
	srcMSSMTPAuth  = "Microsoft Learn, Enable or disable authenticated client SMTP submission (SMTP AUTH) in Exchange Online: https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission"
	srcMS5757      = "Microsoft Learn, Fix email delivery issues for error code 5.7.57 in Exchange Online: https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-5-7-57-in-exchange-online"
	srcMS5723      = "Microsoft Learn, Fix email delivery issues for error code 5.7.23 in Exchange Online: https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-5-7-23-in-exchange-online"
	srcMSSecDef    = "Microsoft Learn, Security defaults in Microsoft Entra ID: https://learn.microsoft.com/entra/fundamentals/security-defaults"
	srcMSIPv6      = "Microsoft Learn, Support for anonymous inbound email messages over IPv6: https://learn.microsoft.com/defender-office-365/support-for-anonymous-inbound-email-messages-over-ipv6"
	srcGoogleSend  = "Google, Email sender guidelines: https://support.google.com/a/answer/81126"
	srcGoogleDMARC = "Google, Control unauthenticated mail from your domain: https://support.google.com/a/answer/2451690"
	srcGoogleSMTP  = "Google, SMTP error reference: https://support.google.com/a/answer/3726730"
)

// rule is one entry of the explanation table. It matches a status whose
// subject and detail are detail (either class), a reply code, and a
// diagnostic containing one of text; an empty condition matches anything.
type rule struct {
	detail string   // "7.139"; "" for any
	reply  int      // 535; 0 for any
	text   []string // lower case; nil for any
	exp    Explanation
}

// Phrases that say, in a reply without an authentication status code,
// that a check failed (a bare mention, as in advice to "set up SPF
// records", does not).
var (
	dmarcFailText = []string{"dmarc policy", "dmarc verification", "dmarc validation", "dmarc check", "dmarc fail", "dmarc=fail",
		"failed dmarc", "fails dmarc", "fail dmarc", "dmarc reject", "dmarc authentication", "due to dmarc", "per dmarc", "dmarc (rfc 7489)"}
	spfFailText = []string{"spf fail", "spf=fail", "spf check", "spf validation", "failed spf", "fails spf", "fails to pass spf", "spf hard",
		"sender policy framework", "spf policy", "spf authentication", "spf domain authentication", "bad spf", "spf record (fail",
		"per it's spf", "per its spf", "not permitted by spf", "spf) domain authentication"}
	dkimFailText = []string{"dkim fail", "dkim=fail", "dkim verif", "dkim signature verif", "no valid dkim", "failed dkim", "dkim check",
		"dkim authentication", "invalid dkim", "dkim signature is invalid", "dkim signature failed", "dkim-signature verif", "dkim validation"}
)

// Shared advice.
var (
	fixDMARC = []string{
		"If you own the From domain: find the system that sent this message (the returned header's Received and Authentication-Results fields show it) and make it authenticate as your domain — DKIM-sign with d= your domain, or send with an envelope sender in your domain whose SPF record lists that system.",
		"Read your DMARC aggregate (rua) reports for other senders failing the same way before changing the policy.",
		"If the message was forwarded or went through a mailing list, the intermediary broke SPF and DKIM: ask it to rewrite From or to seal with ARC, or write to the final address directly.",
	}
	fixSPF = []string{
		"Find the sending IP address (in the reply or the returned header) and authorise the system that uses it in the envelope sender domain's SPF record (include:, ip4: or ip6:), keeping within the limit of 10 DNS-querying terms.",
		"If the message was forwarded, SPF fails by design at the next hop: the forwarder should rewrite the envelope sender (SRS).",
	}
	fixSMTPAuthOAuth = "Move the client to modern authentication: SMTP AUTH with OAuth 2.0 (XOAUTH2) or Microsoft Graph; devices that cannot do OAuth can relay through a connector or use direct send to your own domains."
)

// table is searched in order; the first entry that matches explains.
var table = []rule{
	// Microsoft 365 SMTP AUTH (client submission to smtp.office365.com).
	{detail: "7.139", text: []string{"disabled for the tenant", "disabled for the organization"}, exp: Explanation{
		Rule: "smtp-auth-disabled-tenant", Category: CategorySMTPAuth,
		Summary: "SMTP AUTH is turned off for the whole Microsoft 365 organization",
		Meaning: "Exchange Online refused the client's SMTP AUTH login because authenticated client submission is disabled organization-wide (Set-TransportConfig -SmtpClientAuthenticationDisabled $true, the default for tenants created since 2020). The message was never accepted; the password may well be right.",
		Actions: []string{fixSMTPAuthOAuth,
			"If this one mailbox must keep using SMTP AUTH, enable it for the mailbox alone (Set-CASMailbox <mailbox> -SmtpClientAuthenticationDisabled $false) and leave the organization setting off: a mailbox setting overrides the organization's.",
			"Check that security defaults or a Conditional Access policy blocking legacy authentication will not block the sign-in next."},
		Sources: []string{srcMSSMTPAuth, srcMSNDR}}},
	{detail: "7.139", text: []string{"disabled for the mailbox"}, exp: Explanation{
		Rule: "smtp-auth-disabled-mailbox", Category: CategorySMTPAuth,
		Summary: "SMTP AUTH is turned off for this mailbox",
		Meaning: "Exchange Online refused the client's SMTP AUTH login because authenticated client submission is disabled for this mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $true), whatever the organization setting.",
		Actions: []string{fixSMTPAuthOAuth,
			"If the client must keep using SMTP AUTH, enable Authenticated SMTP for the mailbox (Microsoft 365 admin center, the user's Mail tab, Manage email apps; or Set-CASMailbox -SmtpClientAuthenticationDisabled $false)."},
		Sources: []string{srcMSSMTPAuth, srcMSNDR}}},
	{detail: "7.139", text: []string{"security defaults"}, exp: Explanation{
		Rule: "smtp-auth-security-defaults", Category: CategorySMTPAuth,
		Summary: "Security defaults block SMTP AUTH with a password",
		Meaning: "The sign-in was blocked by Microsoft Entra security defaults, which block legacy authentication — including SMTP AUTH with a user name and password — for every account in the tenant.",
		Actions: []string{fixSMTPAuthOAuth,
			"Only if a legacy client cannot be replaced: switch from security defaults to Conditional Access policies that give the same protection and exclude just that account from the legacy-authentication block, and record the exception."},
		Sources: []string{srcMSSecDef, srcMSSMTPAuth}}},
	{detail: "7.139", text: []string{"basic authentication is disabled"}, exp: Explanation{
		Rule: "smtp-auth-basic-disabled", Category: CategorySMTPAuth,
		Summary: "Basic authentication is no longer accepted for SMTP AUTH",
		Meaning: "Exchange Online refused the user name and password (Basic authentication) the client offered for SMTP AUTH; only OAuth is accepted for this tenant or mailbox.",
		Actions: []string{fixSMTPAuthOAuth},
		Sources: []string{srcMSSMTPAuth}}},
	{detail: "7.139", text: []string{"did not meet the criteria"}, exp: Explanation{
		Rule: "smtp-auth-sign-in-policy", Category: CategorySMTPAuth,
		Summary: "A sign-in policy refused the SMTP AUTH login",
		Meaning: "The identity platform refused the sign-in behind the SMTP AUTH login: multi-factor authentication, a Conditional Access policy or an authentication policy that blocks basic SMTP authentication stopped it.",
		Actions: []string{"Find the failed sign-in in the Microsoft Entra sign-in logs (client app \"Authenticated SMTP\") to see which policy applied.",
			fixSMTPAuthOAuth + " Do not exempt the account from MFA or Conditional Access to make a password work."},
		Sources: []string{srcMSSMTPAuth}}},
	{detail: "7.139", exp: Explanation{
		Rule: "smtp-auth-blocked", Category: CategorySMTPAuth,
		Summary: "Exchange Online refused the SMTP AUTH login",
		Meaning: "Exchange Online refused the client's SMTP AUTH login; the text after the code gives the reason (SMTP AUTH disabled for the organization or mailbox, security defaults, a sign-in policy).",
		Actions: []string{"Check the organization's and the mailbox's SmtpClientAuthenticationDisabled settings, security defaults and Conditional Access.", fixSMTPAuthOAuth},
		Sources: []string{srcMSSMTPAuth}}},
	{detail: "7.57", exp: Explanation{
		Rule: "smtp-auth-not-authenticated", Category: CategorySMTPAuth,
		Summary: "The client sent MAIL FROM to Microsoft 365 without authenticating",
		Meaning: "A device or application connected to smtp.office365.com (client submission) and started a message without logging in first. That endpoint accepts only authenticated submission, so it refused the message as anonymous mail.",
		Actions: []string{"Configure the device or application to authenticate: SMTP AUTH over STARTTLS on port 587, as a licensed mailbox it is allowed to send as.",
			"Check that it really attempts AUTH (a wrong port or disabled TLS can make clients skip it), and that SMTP AUTH is not disabled for the tenant or mailbox (which gives 5.7.139 instead).",
			"A device that cannot authenticate can use direct send (your MX endpoint, internal recipients only) or a connector-based relay."},
		Sources: []string{srcMS5757, srcMSNDR}}},
	{detail: "7.3", reply: 535, exp: smtpAuthUnsuccessful},
	{detail: "7.3", text: []string{"authentication unsuccessful", "authentication failed"}, exp: smtpAuthUnsuccessful},
	{detail: "7.8", exp: smtpAuthInvalid},
	{detail: "7.9", reply: 534, exp: Explanation{
		Rule: "smtp-auth-mechanism-too-weak", Category: CategorySMTPAuth,
		Summary: "The server wants a stronger login than the client used",
		Meaning: "The server refused the authentication mechanism the client chose as too weak (RFC 4954: 534 5.7.9). Gmail uses this when an account with 2-Step Verification logs in with its plain password.",
		Actions: []string{"Use OAuth, or an app password where the provider offers them, or a stronger SASL mechanism over TLS."},
		Sources: []string{srcRFC4954, srcGoogleSMTP}}},
	{detail: "7.9", text: []string{"mechanism", "application-specific password", "app password"}, exp: Explanation{
		Rule: "smtp-auth-mechanism-too-weak", Category: CategorySMTPAuth,
		Summary: "The server wants a stronger login than the client used",
		Meaning: "The server refused the authentication mechanism the client chose as too weak (RFC 4954: 534 5.7.9). Gmail uses this when an account with 2-Step Verification logs in with its plain password.",
		Actions: []string{"Use OAuth, or an app password where the provider offers them, or a stronger SASL mechanism over TLS."},
		Sources: []string{srcRFC4954, srcGoogleSMTP}}},
	{detail: "7.9", exp: other("policy-refusal-7.9", "The receiver refused the message by policy", "The registry defines X.7.9 for SMTP AUTH (\"Authentication mechanism is too weak\", RFC 4954), but receivers such as Yahoo reply 554 5.7.9 to refuse a message for policy reasons that the reply's link explains.", "Follow the link in the server's reply; check the sending IP address's and domain's reputation.")},
	{detail: "7.14", text: []string{"log in", "web browser", "sign in"}, exp: Explanation{
		Rule: "smtp-auth-web-login-required", Category: CategorySMTPAuth,
		Summary: "The provider wants the user to sign in through the web first",
		Meaning: "Gmail refused the SMTP AUTH login until the account holder signs in through a web browser (a suspicious or first login from this client).",
		Actions: []string{"Sign in to the account in a browser, then retry; prefer OAuth or an app password for the client."},
		Sources: []string{srcGoogleSMTP}}},
	{detail: "7.1", text: []string{"client was not authenticated", "client not authenticated"}, exp: Explanation{
		Rule: "relay-not-authenticated", Category: CategorySMTPAuth,
		Summary: "The receiving server requires authentication before it accepts mail",
		Meaning: "The sending system did not authenticate to a server that only accepts authenticated submission or relay (Microsoft's 530 5.7.1 Client was not authenticated).",
		Actions: []string{"The sending system's administrator must configure it to authenticate to that server (SMTP AUTH, or a certificate- or IP-based connector), or deliver to the recipient's public MX instead."},
		Sources: []string{srcMSNDR}}},
	{reply: 535, exp: smtpAuthInvalid},
	{detail: "7.0", reply: 530, exp: smtpAuthRequired},
	{reply: 530, text: []string{"authentication required", "must authenticate", "not authenticated"}, exp: smtpAuthRequired},
	{detail: "7.0", reply: 454, text: []string{"authentication"}, exp: Explanation{
		Rule: "smtp-auth-temporary", Category: CategorySMTPAuth,
		Summary: "Temporary authentication failure",
		Meaning: "The server could not complete the SMTP AUTH login for a passing reason (RFC 4954: 454 4.7.0 Temporary authentication failure).",
		Actions: []string{"Retry later; if it persists, check the server's authentication back end and the account."},
		Sources: []string{srcRFC4954}}},

	// Receivers' sender authentication: DMARC, SPF, DKIM, reverse DNS.
	{detail: "7.509", exp: Explanation{
		Rule: "dmarc-reject-microsoft", Category: CategoryDMARC,
		Summary: "Microsoft rejected the message: the From domain fails DMARC with p=reject",
		Meaning: "The receiving Microsoft 365 or Outlook.com system rejected the message because its From domain failed DMARC — neither SPF nor DKIM passed in alignment with that domain — and the domain publishes p=reject.",
		Actions: fixDMARC,
		Sources: []string{srcMSNDR, srcRFC7489}}},
	{detail: "7.515", exp: Explanation{
		Rule: "auth-level-outlook", Category: CategorySenderAuth,
		Summary: "Outlook.com: the sending domain does not meet the required authentication level",
		Meaning: "Outlook.com requires domains that send it high volumes of mail to pass SPF and DKIM and to publish DMARC (at least p=none) aligned with one of them; this message's domain did not.",
		Actions: []string{"Publish an SPF record and DKIM keys for the sending domain, sign every message, and publish a DMARC record aligned with SPF or DKIM."},
		Sources: []string{srcMSNDR}}},
	{detail: "7.23", exp: Explanation{
		Rule: "spf-fail", Category: CategorySPF,
		Summary: "The receiver rejected the message for failing SPF",
		Meaning: "The receiver checked SPF for the envelope sender (MAIL FROM, or HELO for a null sender) and the sending server's IP address is not authorised by that domain's SPF record (RFC 7372: X.7.23 \"SPF validation failed\", in place of RFC 7208's 550 5.7.1).",
		Actions: fixSPF,
		Sources: []string{srcRFC7372, srcRFC7208, srcMS5723}}},
	{detail: "7.24", exp: Explanation{
		Rule: "spf-error", Category: CategorySPF,
		Summary: "The receiver could not evaluate SPF",
		Meaning: "SPF evaluation ended in an error (RFC 7372: X.7.24 \"SPF validation error\"): a temporary DNS failure (4.7.24), or a broken record (5.7.24) — bad syntax, more than one v=spf1 record, or more than 10 DNS-querying terms.",
		Actions: []string{"Check the envelope domain's SPF record: one v=spf1 record, valid terms, at most 10 DNS lookups including nested includes.", "For a temporary error, check that the domain's DNS servers answer reliably."},
		Sources: []string{srcRFC7372}}},
	{detail: "7.20", exp: dkimExp("dkim-no-pass", "No DKIM signature passed", "No DKIM signature on the message verified (RFC 7372: X.7.20 \"No passing DKIM signature found\"), and the receiver requires one.")},
	{detail: "7.21", exp: dkimExp("dkim-not-acceptable", "No acceptable DKIM signature", "DKIM signatures may have verified, but none satisfies the receiver's policy, for example on the signing domain or algorithm (RFC 7372: X.7.21 \"No acceptable DKIM signature found\").")},
	{detail: "7.22", exp: dkimExp("dkim-no-author-signature", "No valid DKIM signature from the author's domain", "No valid DKIM signature has a signing domain (d=) matching the From domain (RFC 7372: X.7.22 \"No valid author-matched DKIM signature found\").")},
	{detail: "7.25", exp: Explanation{
		Rule: "reverse-dns", Category: CategoryReverseDNS,
		Summary: "The sending IP address failed the reverse DNS check",
		Meaning: "The sending server's IP address has no reverse DNS (PTR) name, or that name does not resolve back to the address (RFC 7372: X.7.25 \"Reverse DNS validation failed\"). Gmail requires this of all senders; Microsoft of anonymous senders over IPv6.",
		Actions: []string{"Ask whoever operates the sending IP address to publish a PTR record naming the server, with a matching A or AAAA record (forward-confirmed reverse DNS).", "Make the server's HELO name that same name."},
		Sources: []string{srcRFC7372, srcMSIPv6, srcGoogleSend}}},
	{detail: "7.26", text: []string{"multiple authentication"}, exp: Explanation{
		Rule: "multiple-auth-failed", Category: CategorySenderAuth,
		Summary: "Several authentication checks failed",
		Meaning: "The receiver rejected the message because more than one authentication check (SPF, DKIM, DMARC) failed; RFC 7372 (X.7.26 \"Multiple authentication checks failed\") leaves unsaid which.",
		Actions: append([]string{"Check SPF for the envelope domain, DKIM for the signing domain and DMARC for the From domain; the returned header's Authentication-Results show what failed."}, fixDMARC[1:2]...),
		Sources: []string{srcRFC7372}}},
	{detail: "7.26", text: []string{"dmarc"}, exp: Explanation{
		Rule: "dmarc-reject-gmail", Category: CategoryDMARC,
		Summary: "Gmail rejected the message under the From domain's DMARC policy",
		Meaning: "Gmail found neither SPF nor DKIM passing in alignment with the From domain, and that domain's DMARC policy asks receivers to refuse such mail, so it rejected the message as unauthenticated.",
		Actions: fixDMARC,
		Sources: []string{srcGoogleDMARC, srcGoogleSend, srcRFC7489}}},
	{detail: "7.26", text: []string{"unauthenticated", "authentication information", "senders to authenticate"}, exp: Explanation{
		Rule: "unauthenticated-gmail", Category: CategorySenderAuth,
		Summary: "Gmail blocked the message as unauthenticated",
		Meaning: "Gmail requires every sender to pass SPF or DKIM (bulk senders, over 5,000 messages a day: both, plus DMARC aligned with From); this message passed neither.",
		Actions: []string{"Publish an SPF record that lists the system that sent the message, and DKIM-sign the mail with d= your domain.", "If you send in bulk, also publish a DMARC record and align From with SPF or DKIM."},
		Sources: []string{srcGoogleSend, srcGoogleSMTP}}},
	{detail: "7.26", text: []string{"spf"}, exp: Explanation{
		Rule: "spf-fail-gmail", Category: CategorySPF,
		Summary: "Gmail rejected the message: SPF hard fail",
		Meaning: "Gmail rejected the message because the envelope sender's domain publishes an SPF record ending in -all and the sending IP address is not in it.",
		Actions: fixSPF,
		Sources: []string{srcGoogleSend, srcGoogleSMTP}}},
	{detail: "7.26", exp: Explanation{
		Rule: "multiple-auth-failed", Category: CategorySenderAuth,
		Summary: "Several authentication checks failed",
		Meaning: "The receiver rejected the message because more than one authentication check (SPF, DKIM, DMARC) failed; RFC 7372 (X.7.26 \"Multiple authentication checks failed\") leaves unsaid which.",
		Actions: []string{"Check SPF for the envelope domain, DKIM for the signing domain and DMARC for the From domain; the returned header's Authentication-Results show what failed."},
		Sources: []string{srcRFC7372}}},
	{text: dmarcFailText, exp: Explanation{
		Rule: "dmarc-reject", Category: CategoryDMARC,
		Summary: "The receiver rejected the message under the From domain's DMARC policy",
		Meaning: "The reply says the message failed DMARC: neither SPF nor DKIM passed in alignment with the From domain, and the receiver applied that domain's policy.",
		Actions: fixDMARC,
		Sources: []string{srcRFC7489}}},
	{text: spfFailText, exp: Explanation{
		Rule: "spf-reject", Category: CategorySPF,
		Summary: "The receiver rejected the message for failing SPF",
		Meaning: "The reply says the sending IP address is not authorised by the envelope sender domain's SPF record (RFC 7208 suggests 550 5.7.1 for this; RFC 7372 adds 5.7.23).",
		Actions: fixSPF,
		Sources: []string{srcRFC7208, srcRFC7372}}},
	{text: dkimFailText, exp: dkimExp("dkim-reject", "The receiver rejected the message over DKIM", "The reply says the message's DKIM signature was missing or did not verify.")},
	{text: []string{"reverse dns", "ptr record"}, exp: Explanation{
		Rule: "reverse-dns", Category: CategoryReverseDNS,
		Summary: "The sending IP address failed the reverse DNS check",
		Meaning: "The reply says the sending server's IP address has no usable reverse DNS (PTR) record.",
		Actions: []string{"Ask whoever operates the sending IP address to publish a PTR record naming the server, with a matching A or AAAA record."},
		Sources: []string{srcRFC7372}}},

	// Common failures that are not about authentication.
	{detail: "7.27", exp: Explanation{
		Rule: "sender-null-mx", Category: CategoryOther,
		Summary: "The envelope sender's domain accepts no mail (null MX)",
		Meaning: "The envelope sender's domain publishes a null MX record (RFC 7505: it receives no mail), and the receiver refuses mail whose bounces could never be returned (RFC 7505, section 4.2: X.7.27 \"Sender address has null MX\"). This is not an authentication failure.",
		Actions: []string{"Send with an envelope sender (MAIL FROM) in a domain that receives mail, or remove the null MX if the domain should receive mail."},
		Sources: []string{srcRFC7505, srcRFC5248}}},
	{detail: "1.10", text: []string{"not found", "notfound"}, exp: recipientUnknown},
	{detail: "1.10", exp: Explanation{
		Rule: "recipient-null-mx", Category: CategoryOther,
		Summary: "The recipient's domain accepts no mail (null MX)",
		Meaning: "The recipient's domain publishes a null MX record (RFC 7505, section 4.1: X.1.10): it receives no mail.",
		Actions: []string{"Check the recipient's address; the domain does not take mail."},
		Sources: []string{srcRFC7505}}},
	{detail: "1.1", exp: recipientUnknown},
	{detail: "7.1", exp: other("not-authorized", "Delivery not authorized", "The receiver refused the message by policy (RFC 3463: X.7.1 \"Delivery not authorized, message refused\"): a blocklist, a recipient restriction, a rule. The server's reply says which.", "Read the server's reply; if it names a blocklist or a policy, contact the recipient's administrator.")},
	{detail: "2.1", exp: other("mailbox-disabled", "The recipient's mailbox is disabled", "The mailbox exists but does not accept messages (RFC 3463: X.2.1 \"Mailbox disabled, not accepting messages\").", "Reach the recipient another way; the address may be closed.")},
	{detail: "2.2", exp: other("mailbox-full", "The recipient's mailbox is full", "The recipient's mailbox is over its quota (RFC 3463: X.2.2 \"Mailbox full\").", "Retry later or tell the recipient another way.")},
	{detail: "3.4", exp: other("message-too-big", "The message is too big", "The message exceeds a size limit of the receiving system (RFC 3463: X.3.4 \"Message too big for system\").", "Send smaller attachments, or share them by link.")},
	{detail: "4.7", exp: other("delivery-expired", "Delivery time expired", "The sending system gave up after retrying for its maximum queue time (RFC 3463: X.4.7 \"Delivery time expired\").", "Look for the earlier temporary failures in the report; check that the recipient's servers are reachable.")},
}

var (
	smtpAuthUnsuccessful = Explanation{
		Rule: "smtp-auth-unsuccessful", Category: CategorySMTPAuth,
		Summary: "The submission server rejected the login",
		Meaning: "The client's SMTP AUTH login was refused. At Microsoft 365 this 535 5.7.3 \"Authentication unsuccessful\" answers a wrong user name or password, an expired password, a user name other than the mailbox's address, a locked or disabled account, or an account whose password logins are blocked. (RFC 3463 defines X.7.3 as \"Security conversion required but not possible\"; Microsoft reuses it for failed logins.)",
		Actions: []string{"Check the user name (the full address) and the password the client stores; sign in to the mailbox on the web with them to test.",
			"Look for the failed sign-in in the Microsoft Entra sign-in logs: a Conditional Access or MFA failure there means the client needs OAuth.",
			"Repeated failures from an address you do not know are password guessing: block it and review the account."},
		Sources: []string{srcMSSMTPAuth, srcRFC3463}}
	smtpAuthInvalid = Explanation{
		Rule: "smtp-auth-invalid-credentials", Category: CategorySMTPAuth,
		Summary: "The server rejected the login credentials",
		Meaning: "The server rejected the SMTP AUTH credentials as invalid (RFC 4954, section 6: 535 5.7.8 \"Authentication credentials invalid\").",
		Actions: []string{"Correct the user name or password the client uses; providers that enforce two-step verification want an app password or OAuth.",
			"If the credentials are right, check whether the account is locked or its provider blocks password logins."},
		Sources: []string{srcRFC4954}}
	smtpAuthRequired = Explanation{
		Rule: "smtp-auth-required", Category: CategorySMTPAuth,
		Summary: "The server requires SMTP AUTH and the client did not log in",
		Meaning: "The server accepts this mail only from authenticated clients, and the client did not authenticate (RFC 4954, section 6: 530 5.7.0 \"Authentication required\").",
		Actions: []string{"Configure the sending client or relay to authenticate (SMTP AUTH over TLS) as an account allowed to send as the sender."},
		Sources: []string{srcRFC4954}}
	recipientUnknown = other("recipient-unknown", "The recipient address does not exist", "The receiving system has no mailbox for this address (RFC 3463: X.1.1 \"Bad destination mailbox address\"; Microsoft also uses 5.1.10 for it).", "Check the address for typing errors; the recipient may have moved.")
)

// dkimExp builds a DKIM explanation.
func dkimExp(rule, summary, meaning string) Explanation {
	return Explanation{Rule: rule, Category: CategoryDKIM, Summary: summary, Meaning: meaning,
		Actions: []string{"DKIM-sign outgoing mail with d= your domain and publish the key at <selector>._domainkey.<domain>.",
			"Check that nothing changes the message after signing (footers, rewritten links, re-encoding), which breaks the signature."},
		Sources: []string{srcRFC7372}}
}

// other builds the explanation of a failure that is not about
// authentication.
func other(rule, summary, meaning, action string) Explanation {
	return Explanation{Rule: rule, Category: CategoryOther, Summary: summary, Meaning: meaning, Actions: []string{action}, Sources: []string{srcRFC3463}}
}

// Explain explains a failure from its enhanced status code ("5.7.26",
// "" when none), its SMTP reply code (0 when none) and the diagnostic
// text. A code not in the table is explained by its class and subject
// (RFC 3463, sections 3.1 to 3.9) with Known false.
func Explain(status string, reply int, diagnostic string) Explanation {
	if status != "" && !validStatus(status) {
		status = ""
	}
	lower := strings.ToLower(diagnostic)
	detail := ""
	if status != "" {
		detail = status[2:]
	}
	temporary := (status != "" && status[0] == '4') || (status == "" && reply >= 400 && reply < 500)
	for _, r := range table {
		if r.detail != "" && r.detail != detail {
			continue
		}
		if r.reply != 0 && r.reply != reply {
			continue
		}
		if r.text != nil && !containsAny(lower, r.text) {
			continue
		}
		if r.detail == "" && r.reply == 0 && status != "" && status[0] == '2' {
			continue // a success status never matches on text alone
		}
		e := r.exp
		e.Known = true
		e.Auth = e.Category != CategoryOther
		e.Temporary = temporary
		e.Actions = append([]string(nil), e.Actions...)
		e.Sources = append([]string(nil), e.Sources...)
		return e
	}
	return unknown(status, reply, temporary)
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// classMeaning and subjectMeaning are RFC 3463's classes (section 3.1)
// and subjects (sections 3.2 to 3.9).
var (
	classMeaning = map[byte]string{
		'2': "success",
		'4': "a persistent transient failure: the message was valid and the condition may clear, so the sender may retry",
		'5': "a permanent failure: resending the same message will not succeed until something changes",
	}
	subjectMeaning = map[string]string{
		"0": "an undefined or other condition",
		"1": "an addressing problem (the sender's or a recipient's address)",
		"2": "a problem with the recipient's mailbox",
		"3": "a problem with the receiving mail system",
		"4": "a network or routing problem",
		"5": "a mail delivery protocol problem",
		"6": "a problem with the message content or media",
		"7": "a security or policy refusal",
	}
)

// unknown explains a status the table does not hold.
func unknown(status string, reply int, temporary bool) Explanation {
	e := Explanation{Category: CategoryOther, Temporary: temporary, Sources: []string{srcRFC3463, srcRFC5248}}
	switch {
	case status != "":
		subject, _, _ := strings.Cut(status[2:], ".")
		sm, ok := subjectMeaning[subject]
		if !ok {
			sm = "a subject RFC 3463 does not define"
		}
		e.Summary = "Status " + status + " is not in authlens' table"
		e.Meaning = "Status " + status + " is " + classMeaning[status[0]] + ", of " + sm + " (RFC 3463). The server's reply says more."
	case reply != 0:
		e.Summary = "No enhanced status code"
		e.Meaning = "The report gives only an SMTP reply code; " + map[bool]string{true: "4XX is a temporary failure", false: "5XX is a permanent failure"}[temporary] + " (RFC 5321, section 4.2.1). The server's reply says more."
		e.Sources = []string{"RFC 5321, section 4.2.1: https://www.rfc-editor.org/rfc/rfc5321#section-4.2.1"}
	default:
		e.Summary = "No status code"
		e.Meaning = "The report gives no status code; only its text says what failed."
		e.Sources = nil
	}
	return e
}
