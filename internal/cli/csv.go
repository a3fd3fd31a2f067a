package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
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

// csvReporter writes one CSV row per message (RFC 4180), after a header
// row that is written even when there is no message.
type csvReporter struct {
	w      *bufio.Writer
	header bool
}

func newCSVReporter(w io.Writer) *csvReporter {
	return &csvReporter{w: bufio.NewWriterSize(w, 64<<10)}
}

func (c *csvReporter) report(r *authlens.Report) error {
	row, err := csvRecord(r)
	if err != nil {
		return err
	}
	return c.writeRow(row)
}

// writeRow writes a row encoded by csvRecord, after the header row.
func (c *csvReporter) writeRow(row []byte) error {
	if !c.header {
		c.header = true
		cw := csv.NewWriter(c.w)
		if err := cw.Write(csvColumns); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	_, err := c.w.Write(row)
	return err
}

func (c *csvReporter) close() error {
	if !c.header {
		if err := c.writeRow(nil); err != nil {
			return err
		}
	}
	return c.w.Flush()
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
