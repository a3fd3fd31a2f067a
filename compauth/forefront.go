package compauth

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ForefrontReport is the X-Forefront-Antispam-Report field EOP writes:
// semicolon-separated KEY:value pairs describing how the message was
// filtered.
//
// Example:
//
//	X-Forefront-Antispam-Report: CIP:192.0.2.7;CTRY:DE;LANG:en;SCL:1;
//	 SRV:;IPV:NLI;SFV:NSPM;H:mail.example.org;PTR:mail.example.org;
//	 CAT:NONE;SFS:(13230022)(396003);DIR:INB;
//
// The named fields hold the documented keys (the first occurrence of
// each); Fields holds every pair in order, unknown keys included.
type ForefrontReport struct {
	// ConnectingIP is "CIP": the IP address that connected to EOP, not
	// necessarily the origin.
	ConnectingIP string `json:"connecting_ip,omitempty"`
	// Country is "CTRY": the country or region of ConnectingIP.
	Country string `json:"country,omitempty"`
	// Language is "LANG": the detected language of the message.
	Language string `json:"language,omitempty"`
	// SCL is "SCL": the spam confidence level; nil when absent or
	// unreadable.
	SCL *int `json:"scl,omitempty"`
	// Service is "SRV": "BULK" when the message was identified as bulk.
	Service string `json:"srv,omitempty"`
	// IPFilter is "IPV": "CAL" (IP Allow List) or "NLI" (on no list).
	IPFilter string `json:"ipv,omitempty"`
	// Verdict is "SFV": the spam-filter verdict.
	Verdict string `json:"sfv,omitempty"`
	// HELO is "H": the HELO/EHLO name of the connecting server.
	HELO string `json:"helo,omitempty"`
	// PTR is "PTR": the reverse-DNS name of ConnectingIP.
	PTR string `json:"ptr,omitempty"`
	// Category is "CAT": the protection category applied.
	Category string `json:"cat,omitempty"`
	// SafetyTip is "SFTY": the safety tip shown, such as "9.19".
	SafetyTip string `json:"sfty,omitempty"`
	// Rules is "SFS": Microsoft-internal filter rule identifiers.
	Rules string `json:"sfs,omitempty"`
	// Direction is "DIR": "INB", "OUT" or "INT".
	Direction string `json:"dir,omitempty"`
	// Fields holds every pair in order, with its meaning.
	Fields []Field `json:"fields"`
}

// forefrontKeys holds the documented keys of X-Forefront-Antispam-Report
// (Microsoft, "Anti-spam message headers") and the undocumented keys
// seen in real headers.
var forefrontKeys = map[string]keyInfo{
	"ARC":  {name: "ARC sub-fields (AAR, AMS, AS)", confidence: ConfidenceDocumented},
	"CAT":  {name: "Protection category", confidence: ConfidenceDocumented, values: categoryValues},
	"CIP":  {name: "Connecting IP address", confidence: ConfidenceDocumented, data: true, values: map[string]valueInfo{"255.255.255.255": {"Observed on mail generated inside Microsoft 365 rather than received from a connecting server.", ConfidenceObserved}}},
	"CTRY": {name: "Country or region of the connecting IP", confidence: ConfidenceDocumented},
	"DIR": {name: "Direction", confidence: ConfidenceDocumented, values: map[string]valueInfo{
		"INB": {"Inbound.", ""}, "OUT": {"Outbound.", ""}, "INT": {"Internal.", ""},
	}},
	"H": {name: "HELO/EHLO name of the connecting server", confidence: ConfidenceDocumented},
	"IPV": {name: "IP filter", confidence: ConfidenceDocumented, values: map[string]valueInfo{
		"CAL": {"The connecting IP is on the tenant's IP Allow List, so spam filtering was skipped.", ""},
		"NLI": {"The connecting IP is not on any reputation list.", ""},
	}},
	"LANG": {name: "Detected language", confidence: ConfidenceDocumented},
	"PTR":  {name: "Reverse DNS of the connecting IP", confidence: ConfidenceDocumented},
	"SCL":  {name: "Spam confidence level", confidence: ConfidenceDocumented, values: sclValues},
	"SFTY": {name: "Safety tip", confidence: ConfidenceDocumented, values: map[string]valueInfo{
		"9.19": {"Domain impersonation safety tip.", ""},
		"9.20": {"User impersonation safety tip.", ""},
		"9.25": {"First-contact safety tip.", ""},
	}},
	"SFV": {name: "Spam filter verdict", confidence: ConfidenceDocumented, values: verdictValues},
	"SRV": {name: "Bulk service marker", confidence: ConfidenceDocumented, values: map[string]valueInfo{
		"":     {"Not identified as bulk.", ConfidenceInferred},
		"BULK": {"Identified as bulk by the bulk complaint level threshold.", ""},
	}},
	"SFS": {name: "Spam filter rules (Microsoft-internal identifiers; individual values undocumented)", confidence: ConfidenceDocumented},
	// Undocumented keys seen in real headers; meanings unknown.
	"SFP":  {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
	"EFV":  {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
	"SRVR": {name: "Undocumented field (observed in older reports)", confidence: ConfidenceUnknown},
	"FPR":  {name: "Undocumented field (observed in older reports)", confidence: ConfidenceUnknown},
	"SPF":  {name: "Undocumented field (observed in older reports)", confidence: ConfidenceUnknown},
	"MX":   {name: "Undocumented field (observed in older reports)", confidence: ConfidenceUnknown},
	"A":    {name: "Undocumented field (observed in older reports)", confidence: ConfidenceUnknown},
}

// verdictValues holds the SFV values.
var verdictValues = map[string]valueInfo{
	"NSPM": {"Not spam; delivered.", ""},
	"SPM":  {"Marked as spam by spam filtering.", ""},
	"SKS":  {"Marked as spam before spam filtering, for example by a mail-flow rule.", ""},
	"SKA":  {"Filtering skipped: the sender is in an anti-spam policy's allowed senders or domains.", ""},
	"SKB":  {"Marked as spam: the sender is in an anti-spam policy's blocked senders or domains.", ""},
	"SKN":  {"Marked as non-spam before filtering, for example by a mail-flow rule.", ""},
	"SKQ":  {"Released from quarantine.", ""},
	"SKI":  {"Filtering skipped for another reason, such as mail inside the organisation (older documentation).", ""},
	"SFE":  {"Filtering skipped and allowed: the sender is in the recipient's Safe Senders list.", ""},
	"BLK":  {"Filtering skipped and blocked: the sender is in the recipient's Blocked Senders list.", ""},
	"DMS":  {"Spam verdict ignored because of tenant settings (from Microsoft's Message Header Analyzer rules, not the documentation page).", ConfidenceCode},
}

// categoryValues holds the CAT values; MDO marks Defender for Office 365.
var categoryValues = map[string]valueInfo{
	"AMP":    {"Anti-malware.", ""},
	"BIMP":   {"Brand impersonation (Defender for Office 365).", ""},
	"BULK":   {"Bulk.", ""},
	"DIMP":   {"Domain impersonation (Defender for Office 365).", ""},
	"FTBP":   {"Anti-malware common-attachments (file type) filter.", ""},
	"GIMP":   {"Mailbox-intelligence impersonation (Defender for Office 365).", ""},
	"HPHSH":  {"High-confidence phishing.", ""},
	"HPHISH": {"High-confidence phishing.", ""},
	"HSPM":   {"High-confidence spam.", ""},
	"INTOS":  {"Intra-organisation phishing.", ""},
	"MALW":   {"Malware.", ""},
	"OSPM":   {"Outbound spam.", ""},
	"PHSH":   {"Phishing.", ""},
	"SAP":    {"Safe Attachments (Defender for Office 365).", ""},
	"SPM":    {"Spam.", ""},
	"SPOOF":  {"Spoofing.", ""},
	"UIMP":   {"User impersonation (Defender for Office 365).", ""},
	"NONE":   {"No category.", ConfidenceObserved},
}

// sclValues holds the SCL values (Microsoft, "Spam confidence level").
var sclValues = map[string]valueInfo{
	"-1": {"Spam filtering was skipped (safe sender or recipient, IP Allow List, or a mail-flow rule).", ""},
	"0":  {"Not spam.", ""},
	"1":  {"Not spam.", ""},
	"2":  {"Never stamped by spam filtering (observed rarely).", ""},
	"3":  {"Never stamped by spam filtering.", ""},
	"4":  {"Never stamped by spam filtering.", ""},
	"5":  {"Spam.", ""},
	"6":  {"Spam.", ""},
	"7":  {"High-confidence spam.", ""},
	"8":  {"High-confidence spam.", ""},
	"9":  {"High-confidence spam.", ""},
}

// forefrontDecoded are the keys ParseForefront decodes into the fields of
// ForefrontReport.
var forefrontDecoded = [...]string{"CIP", "CTRY", "LANG", "SCL", "SRV", "IPV", "SFV", "H", "PTR", "CAT", "SFTY", "SFS", "DIR"}

// ParseForefront reads an X-Forefront-Antispam-Report value. Every pair
// is kept in Fields, in order; unknown keys are marked unknown, never
// dropped. A segment without ":" is kept with an empty value. The
// report is returned together with an error wrapping [ErrMalformed] when
// a segment has no ":" or SCL is not a number; it is nil only for
// [ErrEmpty].
func ParseForefront(value string) (*ForefrontReport, error) {
	pairs := splitPairs(value)
	if len(pairs) == 0 {
		return nil, ErrEmpty
	}
	r := &ForefrontReport{Fields: make([]Field, 0, len(pairs))}
	var problems []string
	var seen uint32 // bit i: forefrontDecoded[i] was read; the first one counts
	for _, p := range pairs {
		r.Fields = append(r.Fields, describe(p, forefrontKeys))
		if !p.colon {
			problems = append(problems, fmt.Sprintf("segment %q has no \":\"", p.key))
			continue
		}
		k := strings.ToUpper(p.key)
		i := slices.Index(forefrontDecoded[:], k)
		if i < 0 || seen&(1<<i) != 0 {
			continue
		}
		seen |= 1 << i
		switch k {
		case "CIP":
			r.ConnectingIP = p.value
		case "CTRY":
			r.Country = p.value
		case "LANG":
			r.Language = p.value
		case "SCL":
			if n, err := strconv.Atoi(p.value); err == nil {
				r.SCL = &n
			} else if p.value != "" {
				problems = append(problems, fmt.Sprintf("SCL %q is not a number", p.value))
			}
		case "SRV":
			r.Service = p.value
		case "IPV":
			r.IPFilter = p.value
		case "SFV":
			r.Verdict = p.value
		case "H":
			r.HELO = p.value
		case "PTR":
			r.PTR = p.value
		case "CAT":
			r.Category = p.value
		case "SFTY":
			r.SafetyTip = p.value
		case "SFS":
			r.Rules = p.value
		case "DIR":
			r.Direction = p.value
		}
	}
	if len(problems) > 0 {
		return r, fmt.Errorf("%w: X-Forefront-Antispam-Report: %s", ErrMalformed, strings.Join(problems, "; "))
	}
	return r, nil
}
