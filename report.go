package authlens

import (
	"github.com/authlens/authlens/authres"
	"github.com/authlens/authlens/bounce"
	"github.com/authlens/authlens/compauth"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/received"
)

// Report is everything authlens concluded about one message. Its JSON form
// is the documented contract of `authlens --format json` (see README.md,
// "JSON fields"); names are stable.
type Report struct {
	// Source names the input: a path, "path#N" for the N-th message of a
	// multi-message input, or "-" for standard input.
	Source string `json:"source"`
	// Error is set only when the message could not be analysed.
	Error string `json:"error,omitempty"`
	// Verdict is the one-line answer.
	Verdict *Verdict `json:"verdict,omitempty"`
	// From is the RFC 5322 author; MailFrom the RFC 5321 envelope sender.
	From     *Identity `json:"from,omitempty"`
	MailFrom *MailFrom `json:"mail_from,omitempty"`
	// Message holds the Subject, Date, Message-ID, To and Reply-To fields.
	Message *MessageInfo `json:"message,omitempty"`
	// AuthResults lists every Authentication-Results-like header field,
	// top to bottom.
	AuthResults []AuthResultsField `json:"auth_results"`
	// SPF, DKIM and DMARC are the verdicts, as recorded by the trusted
	// receiver, with alignment recomputed.
	SPF   *SPFVerdict   `json:"spf,omitempty"`
	DKIM  []DKIMVerdict `json:"dkim"`
	DMARC *DMARCVerdict `json:"dmarc,omitempty"`
	// SPFEvaluated and DMARCEvaluated are authlens' own checks over DNS
	// (online mode), beside the recorded verdicts; evaluated DKIM results
	// join the dkim list with origin "evaluated".
	SPFEvaluated   *SPFEvaluated   `json:"spf_evaluated,omitempty"`
	DMARCEvaluated *DMARCEvaluated `json:"dmarc_evaluated,omitempty"`
	// DNS lists every query the online checks made, in order.
	DNS []DNSQuery `json:"dns,omitempty"`
	// ARC is the ARC chain, when the message carries one.
	ARC *ARCReport `json:"arc,omitempty"`
	// Compauth is Microsoft 365's composite authentication, when recorded.
	Compauth *CompauthVerdict `json:"compauth,omitempty"`
	// Antispam holds Microsoft 365's antispam fields, decoded.
	Antispam *compauth.Antispam `json:"antispam,omitempty"`
	// Received is the Received trace chain, oldest hop first.
	Received *received.Chain `json:"received,omitempty"`
	// Submission is the evidence of how the message was submitted.
	Submission *Submission `json:"submission,omitempty"`
	// Bounce is what the message reports when it is a delivery failure
	// report (RFC 3464), with each failure explained.
	Bounce *bounce.Report `json:"bounce,omitempty"`
	// Findings are what looks wrong or noteworthy, most severe first.
	Findings []finding.Finding `json:"findings"`
}

// Verdict is the one-line answer to "does this message really come from
// its From domain?".
type Verdict struct {
	Status  VerdictStatus `json:"status"`
	Summary string        `json:"summary"`
	// Basis names the receiver whose checks the verdict rests on
	// ("mx.google.com", "Microsoft 365"), or "" when there is none.
	Basis string `json:"basis"`
}

// VerdictStatus classifies a verdict.
type VerdictStatus string

// Verdict statuses.
const (
	// VerdictPass: the From domain is authenticated (DMARC pass, or an
	// aligned SPF or DKIM pass where no DMARC policy exists).
	VerdictPass VerdictStatus = "pass"
	// VerdictFail: authentication as the From domain failed.
	VerdictFail VerdictStatus = "fail"
	// VerdictWeak: something passed, but nothing ties it to the From domain.
	VerdictWeak VerdictStatus = "weak"
	// VerdictUnknown: the headers hold no usable authentication results.
	VerdictUnknown VerdictStatus = "unknown"
)

// Identity is an address, its domain and the display name beside it.
type Identity struct {
	Address string `json:"address"`
	Domain  string `json:"domain"`
	// Name is the display name (RFC 5322, section 3.4), RFC 2047 words
	// decoded; absent when there is none.
	Name string `json:"name,omitempty"`
}

// MailFrom is the envelope sender and where it was read from.
type MailFrom struct {
	Address string `json:"address"`
	Domain  string `json:"domain"`
	// Origin: "return-path", "smtp.mailfrom" (the trusted AR header),
	// "received-spf" (its envelope-from), or "helo" for a null sender.
	Origin string `json:"origin"`
}

// AuthResultsField is one Authentication-Results-like header field.
type AuthResultsField struct {
	// Field is the header name as written in the message.
	Field string `json:"field"`
	// Instance is the ARC instance (i=) of an ARC-Authentication-Results
	// field, else 0.
	Instance int `json:"instance"`
	// AuthservID is the authserv-id in lower case, "" when absent
	// (Microsoft 365 writes none).
	AuthservID string `json:"authserv_id"`
	// Trusted is true for the fields whose results the report uses.
	Trusted bool `json:"trusted"`
	// Error says why the field could not be fully read.
	Error   string       `json:"error,omitempty"`
	Results []ResultJSON `json:"results"`
}

// ResultJSON is one method result of an Authentication-Results field.
type ResultJSON struct {
	Method string `json:"method"`
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
	// Props is keyed "ptype.property" ("smtp.mailfrom", "header.d"), plus
	// "action" and "reason" as Microsoft writes them.
	Props    map[string]string `json:"props"`
	Comments []string          `json:"comments,omitempty"`
}

// Origin says where a verdict came from.
type Origin string

// Origins of verdicts.
const (
	// OriginRecorded: read from the trusted receiver's header.
	OriginRecorded Origin = "recorded"
	// OriginEvaluated: checked by authlens itself.
	OriginEvaluated Origin = "evaluated"
)

// SPFVerdict is the SPF result for the envelope sender.
type SPFVerdict struct {
	Result authres.ResultValue `json:"result"`
	// Domain is the domain SPF authenticated (MailFrom, or HELO for a null
	// sender).
	Domain string `json:"domain"`
	// Aligned reports relaxed alignment of Domain with the From domain
	// (RFC 7489, section 3.1.2).
	Aligned bool   `json:"aligned"`
	Origin  Origin `json:"origin"`
}

// DKIMVerdict is one DKIM signature's result.
type DKIMVerdict struct {
	Domain   string              `json:"domain"`
	Selector string              `json:"selector"`
	Result   authres.ResultValue `json:"result"`
	// Aligned reports relaxed alignment of d= with the From domain
	// (RFC 7489, section 3.1.1).
	Aligned bool   `json:"aligned"`
	Reason  string `json:"reason,omitempty"`
	Origin  Origin `json:"origin"`
	// BodyIntact says whether the body still matches the signature's body
	// hash (checked without DNS); absent when the signature could not be
	// found in the message.
	BodyIntact *bool `json:"body_intact,omitempty"`
	// Warnings are what an evaluated pass does not guarantee (l=, a weak
	// key, From not over-signed).
	Warnings []string `json:"warnings,omitempty"`

	bPrefix string // header.b as recorded, to find the signature
}

// DMARCVerdict is the DMARC result for the From domain.
type DMARCVerdict struct {
	Result authres.ResultValue `json:"result"`
	Domain string              `json:"domain"`
	// Policy is the published policy the receiver recorded (none,
	// quarantine, reject), "" when unknown.
	Policy string `json:"policy"`
	// Disposition is what the receiver did or would do (none, quarantine,
	// reject), "" when unknown.
	Disposition string `json:"disposition"`
	Origin      Origin `json:"origin"`
	// Action is Microsoft's action= word as recorded (none, quarantine,
	// oreject, pct.reject, …), kept as written even when Microsoft does
	// not document it; absent for other receivers.
	Action string `json:"action,omitempty"`
}

// CompauthVerdict is Microsoft 365's composite authentication verdict.
type CompauthVerdict struct {
	Result  compauth.Result `json:"result"`
	Reason  string          `json:"reason"`
	Meaning string          `json:"meaning"`
	// Confidence says where the meaning comes from: documented, observed,
	// inferred or unknown.
	Confidence string `json:"confidence"`
	// NextSteps are what an analyst should check next.
	NextSteps []string `json:"next_steps,omitempty"`
	// Estimate is the verdict Microsoft's explicit authentication would
	// give from the SPF, DKIM and DMARC results; Comparison says whether
	// the recorded verdict follows from them or from Microsoft's implicit
	// signals (reputation, history).
	Estimate   *compauth.Estimate   `json:"estimate,omitempty"`
	Comparison *compauth.Comparison `json:"comparison,omitempty"`
}

// Submission is the evidence of how the message entered the mail system.
type Submission struct {
	// Exchange is Exchange's own classification (X-MS-Exchange-
	// Organization-AuthAs, -AuthSource, -AuthMechanism).
	Exchange *compauth.Submission `json:"exchange,omitempty"`
	// Received lists the hops whose "with" type says the client
	// authenticated (ESMTPA, ESMTPSA, LMTPA; RFC 3848).
	Received *received.Submission `json:"received,omitempty"`
	// SMTPAuth lists auth=pass results (RFC 8601, section 2.7.4).
	SMTPAuth []SMTPAuth `json:"smtp_auth,omitempty"`
}

// SMTPAuth is one auth=pass result: a receiver saw the client log in.
type SMTPAuth struct {
	Field      string `json:"field"`
	AuthservID string `json:"authserv_id"`
	// User is the smtp.auth property: the authenticated identity.
	User string `json:"user"`
	// Mechanism is the comment beside the result (often the SASL
	// mechanism, e.g. "PLAIN").
	Mechanism string `json:"mechanism,omitempty"`
}

// SPFEvaluated is authlens' own SPF check (RFC 7208) for the client the
// trusted receiver saw.
type SPFEvaluated struct {
	SPFVerdict
	// ClientIP is the address checked, and ClientIPFrom where it was read:
	// "received-spf", "authentication-results" or "received".
	ClientIP     string `json:"client_ip"`
	ClientIPFrom string `json:"client_ip_from"`
	// Explanation says in one sentence which term decided and how many of
	// the 10 DNS lookups were used.
	Explanation string `json:"explanation"`
	Lookups     int    `json:"lookups"`
	Error       string `json:"error,omitempty"`
}

// DMARCEvaluated is authlens' own DMARC evaluation with live policy
// discovery.
type DMARCEvaluated struct {
	DMARCVerdict
	// PolicyDomain is where the applied record was found; OrgDomain the
	// organizational domain of the From domain.
	PolicyDomain string `json:"policy_domain"`
	OrgDomain    string `json:"org_domain"`
	// Reason explains the disposition.
	Reason string `json:"reason"`
	Error  string `json:"error,omitempty"`
}

// DNSQuery is one query an online check made.
type DNSQuery struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Class is the kind of answer: ok, nxdomain, nodata, servfail,
	// timeout, …
	Class   string   `json:"class"`
	Records []string `json:"records,omitempty"`
	Cached  bool     `json:"cached"`
	Error   string   `json:"error,omitempty"`
}

// MessageInfo is what a mail client shows of a message besides its
// author: the fields an analyst reads first (RFC 5322, section 3.6).
// Values are as written in the message (RFC 2047 words decoded).
type MessageInfo struct {
	Subject   string `json:"subject"`
	Date      string `json:"date"`
	MessageID string `json:"message_id"`
	// To lists the addresses of the To field.
	To []string `json:"to"`
	// ReplyTo is where replies go, when it is set.
	ReplyTo []Identity `json:"reply_to,omitempty"`
}

// ARCReport is the ARC chain (RFC 8617): who vouched for the message before
// the last hop, and whether that can be believed.
type ARCReport struct {
	// Result is the chain validation status: pass, fail or none.
	Result string `json:"result"`
	// Checked says how far: "offline" (structure, recorded results and
	// body hashes; seals not verified) or "online" (seals and message
	// signatures verified over DNS).
	Checked string `json:"checked"`
	// FailedInstance, Reason and Explanation say where and why a chain
	// failed.
	FailedInstance int    `json:"failed_instance,omitempty"`
	Reason         string `json:"reason,omitempty"`
	Explanation    string `json:"explanation,omitempty"`
	// OldestPass is the oldest instance whose message signature still
	// verifies (0: all of them).
	OldestPass int `json:"oldest_pass"`
	// Trusted reports whether every sealer is in Options.ARCTrustedSealers.
	Trusted bool     `json:"trusted"`
	Sets    []ARCHop `json:"sets"`
}

// ARCHop is one ARC set: its sealer and what that hop saw.
type ARCHop struct {
	Instance int    `json:"instance"`
	Sealer   string `json:"sealer"`
	Selector string `json:"selector"`
	// CV is the chain validation status the sealer recorded (cv=).
	CV string `json:"cv"`
	// SealVerified and SignatureVerified are set online only.
	SealVerified      *bool `json:"seal_verified,omitempty"`
	SignatureVerified *bool `json:"signature_verified,omitempty"`
	// BodyIntact says whether the body still matches this hop's message
	// signature; absent when the body was not available to check.
	BodyIntact *bool `json:"body_intact,omitempty"`
	// Saw is what this hop's ARC-Authentication-Results recorded.
	Saw ARCSaw `json:"saw"`
}

// ARCSaw is the authentication a sealer recorded in its
// ARC-Authentication-Results.
type ARCSaw struct {
	AuthservID  string   `json:"authserv_id"`
	SPF         string   `json:"spf"`
	MailFrom    string   `json:"mail_from"`
	DKIM        string   `json:"dkim"`
	DKIMDomains []string `json:"dkim_domains"`
	DMARC       string   `json:"dmarc"`
	HeaderFrom  string   `json:"header_from"`
	ARC         string   `json:"arc"`
}
