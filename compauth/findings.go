package compauth

import (
	"fmt"
	"strings"

	"github.com/authlens/authlens/finding"
)

// Finding codes for verdict fields.
const (
	CodeCompauthFail     finding.Code = "ms-compauth-fail"
	CodeCompauthSoftPass finding.Code = "ms-compauth-softpass"
	CodeCompauthNone     finding.Code = "ms-compauth-not-checked"
	CodeARCOverride      finding.Code = "ms-arc-override"
	CodeImplicitVerdict  finding.Code = "ms-compauth-implicit"
	CodeSpamVerdict      finding.Code = "ms-spam-verdict"
	CodeFilterSkipped    finding.Code = "ms-filter-skipped"
	CodeSpoofCategory    finding.Code = "ms-spoof-category"
	CodePhishCategory    finding.Code = "ms-phish-category"
	CodeMalwareCategory  finding.Code = "ms-malware-category"
	CodeImpersonation    finding.Code = "ms-impersonation-category"
	CodeSpamCategory     finding.Code = "ms-spam-category"
	CodeSCLSpam          finding.Code = "ms-scl-spam"
	CodeSCLSkipped       finding.Code = "ms-scl-skipped"
	CodeBCLHigh          finding.Code = "ms-bcl-high"
	CodeBulk             finding.Code = "ms-bulk"
	CodeIPAllowList      finding.Code = "ms-ip-allow-list"
	CodeSafetyTip        finding.Code = "ms-safety-tip"
	CodePCLSuspicious    finding.Code = "ms-pcl-suspicious"
	CodeJunkFolder       finding.Code = "ms-delivered-junk"
)

// explanationFindings reports a recorded compauth verdict.
func explanationFindings(e Explanation) []finding.Finding {
	verdict := fmt.Sprintf("compauth=%s reason=%s", e.Result, e.Reason)
	switch {
	case e.Result == ResultFail:
		sev := finding.Medium
		switch e.Reason {
		case "000", "002", "010":
			sev = finding.High
		}
		if e.Class == "6xx" {
			sev = finding.High
		}
		return []finding.Finding{{Severity: sev, Code: CodeCompauthFail, Message: fmt.Sprintf("Microsoft recorded %s: %s", verdict, lowerFirst(e.Meaning))}}
	case e.Result == ResultSoftPass:
		return []finding.Finding{{Severity: finding.Low, Code: CodeCompauthSoftPass, Message: fmt.Sprintf("Microsoft recorded %s: only a weak implicit soft pass, not an authenticated sender.", verdict)}}
	case e.Result == ResultNone:
		return []finding.Finding{{Severity: finding.Low, Code: CodeCompauthNone, Message: fmt.Sprintf("Microsoft recorded %s: composite authentication was not checked or was bypassed.", verdict)}}
	case e.Result == ResultPass && e.Reason == "130":
		return []finding.Finding{{Severity: finding.Info, Code: CodeARCOverride, Message: "Microsoft recorded compauth=pass reason=130: a trusted ARC sealer's result overrode a DMARC failure."}}
	}
	return nil
}

// categoryFinding maps a CAT value to a finding code and severity.
var categoryFinding = map[string]struct {
	code finding.Code
	sev  finding.Severity
}{
	"SPOOF": {CodeSpoofCategory, finding.High},
	"PHSH":  {CodePhishCategory, finding.High}, "HPHSH": {CodePhishCategory, finding.High}, "HPHISH": {CodePhishCategory, finding.High},
	"INTOS": {CodePhishCategory, finding.High},
	"MALW":  {CodeMalwareCategory, finding.High}, "AMP": {CodeMalwareCategory, finding.High}, "FTBP": {CodeMalwareCategory, finding.High}, "SAP": {CodeMalwareCategory, finding.High},
	"DIMP": {CodeImpersonation, finding.High}, "UIMP": {CodeImpersonation, finding.High}, "GIMP": {CodeImpersonation, finding.High}, "BIMP": {CodeImpersonation, finding.High},
	"SPM": {CodeSpamCategory, finding.Medium}, "HSPM": {CodeSpamCategory, finding.High}, "OSPM": {CodeSpamCategory, finding.Medium},
	"BULK": {CodeBulk, finding.Low},
}

// verdictFinding maps an SFV value to a finding code and severity.
var verdictFinding = map[string]struct {
	code finding.Code
	sev  finding.Severity
}{
	"SPM": {CodeSpamVerdict, finding.Medium}, "SKS": {CodeSpamVerdict, finding.Medium},
	"SKB": {CodeSpamVerdict, finding.Medium}, "BLK": {CodeSpamVerdict, finding.Low},
	"SKA": {CodeFilterSkipped, finding.Medium}, "SKN": {CodeFilterSkipped, finding.Medium},
	"SFE": {CodeFilterSkipped, finding.Low}, "SKI": {CodeFilterSkipped, finding.Info},
	"DMS": {CodeFilterSkipped, finding.Low}, "SKQ": {CodeFilterSkipped, finding.Info},
}

// forefrontFindings reports the high-signal values of the report.
func forefrontFindings(r *ForefrontReport) []finding.Finding {
	if r == nil {
		return nil
	}
	var out []finding.Finding
	if v := strings.ToUpper(r.Verdict); v != "" {
		if vf, ok := verdictFinding[v]; ok {
			out = append(out, finding.Finding{Severity: vf.sev, Code: vf.code, Message: fmt.Sprintf("Spam filter verdict SFV:%s: %s", r.Verdict, lowerFirst(verdictValues[v].meaning))})
		}
	}
	if c := strings.ToUpper(r.Category); c != "" {
		if cf, ok := categoryFinding[c]; ok {
			out = append(out, finding.Finding{Severity: cf.sev, Code: cf.code, Message: fmt.Sprintf("Microsoft applied protection category CAT:%s (%s).", r.Category, strings.TrimSuffix(lowerFirst(categoryValues[c].meaning), "."))})
		}
	}
	if r.SCL != nil {
		out = append(out, sclFindings(*r.SCL, "X-Forefront-Antispam-Report")...)
	}
	if strings.EqualFold(r.IPFilter, "CAL") {
		out = append(out, finding.Finding{Severity: finding.Medium, Code: CodeIPAllowList, Message: fmt.Sprintf("The connecting IP %s is on the tenant's IP Allow List (IPV:CAL), so spam filtering was skipped; check that the address belongs to a trusted gateway.", orNone(r.ConnectingIP))})
	}
	if strings.EqualFold(r.Service, "BULK") && !strings.EqualFold(r.Category, "BULK") {
		out = append(out, finding.Finding{Severity: finding.Low, Code: CodeBulk, Message: "Microsoft identified the message as bulk mail (SRV:BULK)."})
	}
	if t := r.SafetyTip; t != "" {
		switch t {
		case "9.19", "9.20":
			out = append(out, finding.Finding{Severity: finding.Medium, Code: CodeSafetyTip, Message: fmt.Sprintf("Microsoft showed safety tip SFTY:%s (%s).", t, strings.TrimSuffix(lowerFirst(forefrontKeys["SFTY"].values[t].meaning), "."))})
		case "9.25":
			out = append(out, finding.Finding{Severity: finding.Info, Code: CodeSafetyTip, Message: "Microsoft showed the first-contact safety tip (SFTY:9.25): the recipient has not received mail from this sender before."})
		default:
			out = append(out, finding.Finding{Severity: finding.Info, Code: CodeSafetyTip, Message: fmt.Sprintf("Microsoft showed safety tip SFTY:%s, which is not documented.", t)})
		}
	}
	return out
}

// sclFindings reports a spam confidence level.
func sclFindings(scl int, where string) []finding.Finding {
	switch {
	case scl >= 7:
		return []finding.Finding{{Severity: finding.High, Code: CodeSCLSpam, Message: fmt.Sprintf("%s gives SCL %d: high-confidence spam.", where, scl)}}
	case scl >= 5:
		return []finding.Finding{{Severity: finding.Medium, Code: CodeSCLSpam, Message: fmt.Sprintf("%s gives SCL %d: spam.", where, scl)}}
	case scl == -1:
		return []finding.Finding{{Severity: finding.Low, Code: CodeSCLSkipped, Message: fmt.Sprintf("%s gives SCL -1: spam filtering was skipped (allow list, safe sender or mail-flow rule).", where)}}
	}
	return nil
}

// antispamFindings reports the X-Microsoft-Antispam, PCL and mailbox
// delivery values.
func (a *Antispam) findings() []finding.Finding {
	var out []finding.Finding
	out = append(out, forefrontFindings(a.Forefront)...)
	if a.Microsoft != nil && a.Microsoft.BCL != nil && *a.Microsoft.BCL >= 7 {
		out = append(out, finding.Finding{Severity: finding.Medium, Code: CodeBCLHigh, Message: fmt.Sprintf("Bulk complaint level BCL %d: %s", *a.Microsoft.BCL, lowerFirst(bclValues[fmt.Sprint(*a.Microsoft.BCL)].meaning))})
	}
	if a.SCL != nil && (a.Forefront == nil || a.Forefront.SCL == nil || *a.Forefront.SCL != a.SCL.Value) {
		out = append(out, sclFindings(a.SCL.Value, "X-MS-Exchange-Organization-SCL")...)
	}
	if a.PCL != nil && a.PCL.Value >= 4 {
		out = append(out, finding.Finding{Severity: finding.Medium, Code: CodePCLSuspicious, Message: fmt.Sprintf("Phishing confidence level PCL %d: content likely phishing.", a.PCL.Value)})
	}
	if a.MailboxDelivery != nil && strings.EqualFold(a.MailboxDelivery.Destination, "J") {
		out = append(out, finding.Finding{Severity: finding.Low, Code: CodeJunkFolder, Message: "The message was delivered to the Junk Email folder (dest:J)."})
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(not recorded)"
	}
	return s
}
