package compauth

import (
	"fmt"
	"strconv"
	"strings"
)

// MicrosoftAntispam is the X-Microsoft-Antispam field: "BCL:n;" plus
// undocumented keys.
//
// Example:
//
//	X-Microsoft-Antispam: BCL:0;
type MicrosoftAntispam struct {
	// BCL is "BCL": the bulk complaint level (0–9); nil when absent or
	// unreadable.
	BCL *int `json:"bcl,omitempty"`
	// Fields holds every pair in order, with its meaning.
	Fields []Field `json:"fields"`
}

// antispamKeys holds the keys of X-Microsoft-Antispam.
var antispamKeys = map[string]keyInfo{
	"BCL": {name: "Bulk complaint level", confidence: ConfidenceDocumented, values: bclValues},
	"PCL": {name: "Phishing confidence level", confidence: ConfidenceDocumented, values: pclValues},
	// Undocumented keys seen in real headers; meanings unknown.
	"ARA":    {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
	"RULEID": {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
	"SRVR":   {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
}

// bclValues holds the BCL values (Microsoft, "Bulk complaint level").
var bclValues = map[string]valueInfo{
	"0": {"Not from a bulk sender.", ""},
	"1": {"Bulk sender with few complaints.", ""},
	"2": {"Bulk sender with few complaints.", ""},
	"3": {"Bulk sender with few complaints.", ""},
	"4": {"Bulk sender with mixed complaints.", ""},
	"5": {"Bulk sender with mixed complaints (the Strict preset's threshold).", ""},
	"6": {"Bulk sender with mixed complaints (the Standard preset's threshold).", ""},
	"7": {"Bulk sender with mixed complaints (the default policy's threshold).", ""},
	"8": {"Bulk sender with many complaints.", ""},
	"9": {"Bulk sender with many complaints.", ""},
}

// pclValues holds the PCL values (Exchange Server documentation,
// "Antispam stamps"; the Exchange Online documentation no longer
// describes PCL).
var pclValues = map[string]valueInfo{
	"1": {"Neutral: content unlikely to be phishing.", ""},
	"2": {"Neutral: content unlikely to be phishing.", ""},
	"3": {"Neutral: content unlikely to be phishing.", ""},
	"4": {"Suspicious: content likely phishing.", ""},
	"5": {"Suspicious: content likely phishing.", ""},
	"6": {"Suspicious: content likely phishing.", ""},
	"7": {"Suspicious: content likely phishing.", ""},
	"8": {"Suspicious: content likely phishing.", ""},
}

// ParseMicrosoftAntispam reads an X-Microsoft-Antispam value. Like
// [ParseForefront] it keeps every pair and returns the result together
// with an error wrapping [ErrMalformed] for unreadable parts.
func ParseMicrosoftAntispam(value string) (*MicrosoftAntispam, error) {
	pairs := splitPairs(value)
	if len(pairs) == 0 {
		return nil, ErrEmpty
	}
	r := &MicrosoftAntispam{Fields: make([]Field, 0, len(pairs))}
	var problems []string
	for _, p := range pairs {
		r.Fields = append(r.Fields, describe(p, antispamKeys))
		switch {
		case !p.colon:
			problems = append(problems, fmt.Sprintf("segment %q has no \":\"", p.key))
		case strings.EqualFold(p.key, "BCL") && r.BCL == nil:
			n, err := strconv.Atoi(p.value)
			if err != nil {
				problems = append(problems, fmt.Sprintf("BCL %q is not a number", p.value))
				continue
			}
			r.BCL = &n
		}
	}
	if len(problems) > 0 {
		return r, fmt.Errorf("%w: X-Microsoft-Antispam: %s", ErrMalformed, strings.Join(problems, "; "))
	}
	return r, nil
}

// Level is a confidence level field (X-MS-Exchange-Organization-SCL or
// -PCL) with its meaning.
type Level struct {
	// Value is the level.
	Value int `json:"value"`
	// Meaning explains the level.
	Meaning string `json:"meaning"`
	// Confidence says where Meaning comes from.
	Confidence Confidence `json:"confidence"`
}

// ParseSCL reads an X-MS-Exchange-Organization-SCL value (-1 to 9).
func ParseSCL(value string) (*Level, error) {
	return parseLevel(value, "SCL", sclValues)
}

// ParsePCL reads an X-MS-Exchange-Organization-PCL value (1 to 8).
func ParsePCL(value string) (*Level, error) {
	return parseLevel(value, "PCL", pclValues)
}

func parseLevel(value, name string, table map[string]valueInfo) (*Level, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil, ErrEmpty
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q is not a number", ErrMalformed, name, v)
	}
	l := &Level{Value: n}
	if vi, ok := table[strconv.Itoa(n)]; ok {
		l.Meaning, l.Confidence = vi.meaning, ConfidenceDocumented
	} else {
		l.Meaning = fmt.Sprintf("%s %d is outside the documented range; meaning unknown.", name, n)
		l.Confidence = ConfidenceUnknown
	}
	return l, nil
}

// MailboxDelivery is the X-Microsoft-Antispam-Mailbox-Delivery field
// written at mailbox delivery.
//
// Example:
//
//	X-Microsoft-Antispam-Mailbox-Delivery: ucf:0;jmr:0;auth:0;dest:I;
type MailboxDelivery struct {
	// Destination is "dest": "I" (Inbox), "J" (Junk Email), "C" (a
	// custom folder).
	Destination string `json:"dest,omitempty"`
	// OverrideReason is "OFR": why the folder decision was overridden.
	OverrideReason string `json:"ofr,omitempty"`
	// Fields holds every pair in order, with its meaning.
	Fields []Field `json:"fields"`
}

// deliveryKeys holds the keys of X-Microsoft-Antispam-Mailbox-Delivery.
// Only dest and OFR are explained, by Microsoft's Message Header
// Analyzer rules and a university help page; the rest are unknown.
var deliveryKeys = map[string]keyInfo{
	"DEST": {name: "Destination folder", confidence: ConfidenceCode, values: map[string]valueInfo{
		"I": {"Delivered to the Inbox.", ""},
		"J": {"Delivered to the Junk Email folder.", ""},
		"C": {"Delivered to a custom folder.", ""},
	}},
	"OFR":  {name: "Override reason (why the folder decision was overridden; values not documented)", confidence: ConfidenceCode},
	"AUTH": {name: "Undocumented field (observed values 0 and 1)", confidence: ConfidenceUnknown},
	"UCF":  {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
	"JMR":  {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
	"ENG":  {name: "Undocumented field (observed)", confidence: ConfidenceUnknown},
}

// ParseMailboxDelivery reads an X-Microsoft-Antispam-Mailbox-Delivery
// value. Like [ParseForefront] it keeps every pair.
func ParseMailboxDelivery(value string) (*MailboxDelivery, error) {
	pairs := splitPairs(value)
	if len(pairs) == 0 {
		return nil, ErrEmpty
	}
	r := &MailboxDelivery{Fields: make([]Field, 0, len(pairs))}
	var problems []string
	for _, p := range pairs {
		r.Fields = append(r.Fields, describe(p, deliveryKeys))
		switch {
		case !p.colon:
			problems = append(problems, fmt.Sprintf("segment %q has no \":\"", p.key))
		case strings.EqualFold(p.key, "dest") && r.Destination == "":
			r.Destination = p.value
		case strings.EqualFold(p.key, "OFR") && r.OverrideReason == "":
			r.OverrideReason = p.value
		}
	}
	if len(problems) > 0 {
		return r, fmt.Errorf("%w: X-Microsoft-Antispam-Mailbox-Delivery: %s", ErrMalformed, strings.Join(problems, "; "))
	}
	return r, nil
}
