package cli

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/internal/textsafe"
)

// csvColumns is the header row of --format csv; README.md documents each
// column.
var csvColumns = []string{
	"source", "from_domain", "mail_from_domain", "spf", "spf_aligned",
	"dkim", "dkim_aligned_pass", "dmarc", "dmarc_policy", "dmarc_disposition",
	"compauth", "compauth_reason", "verdict", "top_finding", "error",
}

// csvRecord renders one report as a CSV row, line end included. Every
// value is made safe for a spreadsheet by csvCell.
func csvRecord(r *authlens.Report) ([]byte, error) {
	row := make([]string, 0, len(csvColumns))
	from, mailFrom := "", ""
	if r.From != nil {
		from = r.From.Domain
	}
	if r.MailFrom != nil {
		mailFrom = r.MailFrom.Domain
	}
	spf, spfAligned := "", ""
	if r.SPF != nil {
		spf, spfAligned = string(r.SPF.Result), strconv.FormatBool(r.SPF.Aligned)
	}
	var dkim strings.Builder
	dkimAligned := false
	for i, d := range r.DKIM {
		if i > 0 {
			dkim.WriteByte('|')
		}
		dkim.WriteString(string(d.Result) + ":" + d.Domain)
		if d.Aligned {
			dkim.WriteString(":aligned")
		}
		dkimAligned = dkimAligned || (d.Aligned && d.Result == "pass")
	}
	dmarc, policy, disposition := "", "", ""
	if r.DMARC != nil {
		dmarc, policy, disposition = string(r.DMARC.Result), r.DMARC.Policy, r.DMARC.Disposition
	}
	compauth, reason := "", ""
	if r.Compauth != nil {
		compauth, reason = string(r.Compauth.Result), r.Compauth.Reason
	}
	verdict := ""
	if r.Verdict != nil {
		verdict = string(r.Verdict.Status)
	}
	top := ""
	if len(r.Findings) > 0 {
		top = string(r.Findings[0].Code)
	}
	row = append(row, r.Source, from, mailFrom, spf, spfAligned,
		dkim.String(), "", dmarc, policy, disposition,
		compauth, reason, verdict, top, r.Error)
	if r.Error == "" {
		row[6] = strconv.FormatBool(dkimAligned)
	}
	for i, v := range row {
		row[i] = csvCell(v)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(row); err != nil {
		return nil, err
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// csvCell cleans a value taken from a message for a spreadsheet: control
// characters, escape sequences and bidirectional overrides are removed
// (textsafe.Clean), and a value that a spreadsheet would run as a formula
// — starting with =, +, -, or @, after any spaces — gets a leading
// apostrophe. A lone "-" (standard input) is left as it is.
func csvCell(v string) string {
	v = textsafe.Clean(v)
	if t := strings.TrimLeft(v, " "); t != "" && t != "-" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + v
	}
	return v
}
