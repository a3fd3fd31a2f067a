package bounce

import (
	"strings"
	"testing"
)

// TestExplain covers the authentication codes the table must explain, in
// the wording real servers use, and the failures it must not call
// authentication failures.
func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status string
		reply  int
		diag   string
		rule   string
		cat    Category
		auth   bool
		temp   bool
	}{
		{"5.7.139 tenant", "5.7.139", 535, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.", "smtp-auth-disabled-tenant", CategorySMTPAuth, true, false},
		{"5.7.139 mailbox", "5.7.139", 535, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled", "smtp-auth-disabled-mailbox", CategorySMTPAuth, true, false},
		{"5.7.139 security defaults", "5.7.139", 535, "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", "smtp-auth-security-defaults", CategorySMTPAuth, true, false},
		{"5.7.139 basic auth", "5.7.139", 535, "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", "smtp-auth-basic-disabled", CategorySMTPAuth, true, false},
		{"5.7.139 sign-in policy", "5.7.139", 535, "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.", "smtp-auth-sign-in-policy", CategorySMTPAuth, true, false},
		{"5.7.139 other wording", "5.7.139", 535, "535 5.7.139 Authentication unsuccessful", "smtp-auth-blocked", CategorySMTPAuth, true, false},
		{"5.7.57", "5.7.57", 530, "530 5.7.57 Client not authenticated to send mail.", "smtp-auth-not-authenticated", CategorySMTPAuth, true, false},
		{"5.7.57 Exchange wording", "5.7.57", 0, "5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM", "smtp-auth-not-authenticated", CategorySMTPAuth, true, false},
		{"535 5.7.3", "5.7.3", 535, "535 5.7.3 Authentication unsuccessful", "smtp-auth-unsuccessful", CategorySMTPAuth, true, false},
		{"535 5.7.8", "5.7.8", 535, "535 5.7.8 Error: authentication failed: authentication failure", "smtp-auth-invalid-credentials", CategorySMTPAuth, true, false},
		{"535 without status", "", 535, "535 Incorrect authentication data", "smtp-auth-invalid-credentials", CategorySMTPAuth, true, false},
		{"530 5.7.0", "5.7.0", 530, "530 5.7.0 Authentication required", "smtp-auth-required", CategorySMTPAuth, true, false},
		{"530 5.7.1 client not authenticated", "5.7.1", 530, "530 5.7.1 Client was not authenticated", "relay-not-authenticated", CategorySMTPAuth, true, false},
		{"5.7.509", "5.7.509", 550, "550 5.7.509 Access denied, sending domain [EXAMPLE.COM] does not pass DMARC verification and has a DMARC policy of reject.", "dmarc-reject-microsoft", CategoryDMARC, true, false},
		{"5.7.23", "5.7.23", 550, "550 5.7.23 The message was rejected because of Sender Policy Framework violation", "spf-fail", CategorySPF, true, false},
		{"4.7.24", "4.7.24", 451, "451 4.7.24 SPF validation error", "spf-error", CategorySPF, true, true},
		{"5.7.26 gmail dmarc", "5.7.26", 550, "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.", "dmarc-reject-gmail", CategoryDMARC, true, false},
		{"5.7.26 gmail unauthenticated", "5.7.26", 550, "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.", "unauthenticated-gmail", CategorySenderAuth, true, false},
		{"5.7.26 gmail spf", "5.7.26", 550, "550 5.7.26 The MAIL FROM domain [a.example] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks", "spf-fail-gmail", CategorySPF, true, false},
		{"5.7.26 rfc 7372", "5.7.26", 550, "550 5.7.26 Multiple authentication checks failed", "multiple-auth-failed", CategorySenderAuth, true, false},
		{"4.7.26 temporary", "4.7.26", 421, "421 4.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.", "dmarc-reject-gmail", CategoryDMARC, true, true},
		{"5.7.1 dmarc text", "5.7.1", 550, "550 5.7.1 Email rejected per DMARC policy for example.org", "dmarc-reject", CategoryDMARC, true, false},
		{"5.7.1 spf text", "5.7.1", 550, "550 5.7.1 Sender Policy Framework of `example.cz' domain denied your IP address.", "spf-reject", CategorySPF, true, false},
		{"5.7.1 dkim text", "5.7.1", 550, "550 5.7.1 DKIM signature verification failed", "dkim-reject", CategoryDKIM, true, false},
		{"5.7.20", "5.7.20", 550, "550 5.7.20 No passing DKIM signature found", "dkim-no-pass", CategoryDKIM, true, false},
		{"5.7.22", "5.7.22", 550, "550 5.7.22 No valid author-matched DKIM signature found", "dkim-no-author-signature", CategoryDKIM, true, false},
		{"550 5.7.25 PTR", "5.7.25", 550, "550 5.7.25 [192.0.2.1] The IP address sending this message does not have a PTR record setup", "reverse-dns", CategoryReverseDNS, true, false},
		{"5.7.515 outlook", "5.7.515", 550, "550 5.7.515 Access denied, sending domain [EXAMPLE.COM] doesn't meet the required authentication level.", "auth-level-outlook", CategorySenderAuth, true, false},
		{"5.7.27 null MX is not authentication", "5.7.27", 550, "550 Host does not accept mail", "sender-null-mx", CategoryOther, false, false},
		{"5.1.1 is not authentication", "5.1.1", 550, "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown", "recipient-unknown", CategoryOther, false, false},
		{"5.1.10 Microsoft recipient not found", "5.1.10", 550, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", "recipient-unknown", CategoryOther, false, false},
		{"5.7.1 relay is not authentication", "5.7.1", 554, "554 5.7.1 <x@example.org>: Relay access denied", "not-authorized", CategoryOther, false, false},
		{"534 5.7.9 weak mechanism", "5.7.9", 534, "534-5.7.9 Application-specific password required.", "smtp-auth-mechanism-too-weak", CategorySMTPAuth, true, false},
		{"554 5.7.9 Yahoo policy is not authentication", "5.7.9", 554, "554 5.7.9 Message not accepted for policy reasons. See https://senders.yahooinc.com/error-codes", "policy-refusal-7.9", CategoryOther, false, false},
		{"advice to set up SPF is not an SPF failure", "5.0.0", 0, "Your email to group a@example.com was rejected due to spam classification. * Set up SPF records for your sending domain if you have not done so already.", "", CategoryOther, false, false},
		{"a DKIM-Signature header is not a DKIM failure", "", 554, "554 Transaction failed: Duplicate header 'DKIM-Signature'.", "", CategoryOther, false, false},
		{"DMARC check failed without a code", "", 550, "550 DMARC check failed.", "dmarc-reject", CategoryDMARC, true, false},
		{"SPF in Symantec's wording", "5.7.1", 553, "553 SPF (Sender Policy Framework) domain authentication fail.", "spf-reject", CategorySPF, true, false},
		{"2.0.0 never matches on text", "2.0.0", 250, "250 2.0.0 OK dmarc=pass", "", CategoryOther, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := Explain(tc.status, tc.reply, tc.diag)
			if e.Rule != tc.rule || e.Category != tc.cat || e.Auth != tc.auth || e.Temporary != tc.temp {
				t.Errorf("Explain(%q, %d, %q) = rule %q category %q auth %v temporary %v; want %q %q %v %v",
					tc.status, tc.reply, tc.diag, e.Rule, e.Category, e.Auth, e.Temporary, tc.rule, tc.cat, tc.auth, tc.temp)
			}
			if e.Known != (tc.rule != "") {
				t.Errorf("Known = %v for rule %q", e.Known, e.Rule)
			}
			if e.Summary == "" || e.Meaning == "" {
				t.Errorf("empty summary or meaning: %+v", e)
			}
		})
	}
}

// TestExplainUnknown checks that a code the table does not hold is kept
// and explained by its class and subject (RFC 3463).
func TestExplainUnknown(t *testing.T) {
	e := Explain("5.4.312", 550, "550 5.4.312 DNS query failed")
	if e.Known || e.Auth || e.Rule != "" {
		t.Fatalf("5.4.312: %+v", e)
	}
	for _, want := range []string{"5.4.312", "permanent", "network or routing"} {
		if !strings.Contains(e.Summary+" "+e.Meaning, want) {
			t.Errorf("5.4.312 explanation %q lacks %q", e.Meaning, want)
		}
	}
	if e := Explain("4.9.9", 0, ""); e.Known || !e.Temporary || !strings.Contains(e.Meaning, "does not define") {
		t.Errorf("4.9.9: %+v", e)
	}
	if e := Explain("", 0, "something failed"); e.Known || e.Summary != "No status code" {
		t.Errorf("no code: %+v", e)
	}
	if e := Explain("not-a-code", 0, ""); e.Known || e.Summary != "No status code" {
		t.Errorf("invalid status kept as a code: %+v", e)
	}
}

// TestTableComplete checks every table entry says what it means, what to
// do and on what authority, and that callers cannot change the table
// through a returned explanation.
func TestTableComplete(t *testing.T) {
	for i, r := range table {
		e := r.exp
		if e.Rule == "" || e.Summary == "" || e.Meaning == "" || len(e.Actions) == 0 || len(e.Sources) == 0 || e.Category == "" {
			t.Errorf("table entry %d (%s) is incomplete: %+v", i, e.Rule, e)
		}
		if r.detail != "" && !validStatus("5."+r.detail) {
			t.Errorf("table entry %d (%s): detail %q is not a status subject.detail", i, e.Rule, r.detail)
		}
	}
	e := Explain("5.7.509", 550, "")
	e.Actions[0] = "changed"
	if Explain("5.7.509", 550, "").Actions[0] == "changed" {
		t.Error("Explain returns the table's own Actions slice")
	}
}
