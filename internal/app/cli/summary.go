package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/internal/app/batch"
	"github.com/authlens/authlens/internal/textsafe"
)

// summaryTop is the number of From domains and sending addresses listed
// in the summary, most messages first.
const summaryTop = 20

// dnsSummaryJSON reports, online, that DNS became unreachable in the run.
type dnsSummaryJSON struct {
	Unreachable bool   `json:"unreachable"`
	Message     string `json:"message"`
}

// summaryJSON is the JSON form of the summary; README.md documents it.
type summaryJSON struct {
	Found        int            `json:"found"`
	Analysed     int            `json:"analysed"`
	Errors       int            `json:"errors"`
	Matched      *int           `json:"fail_on_matched,omitempty"`
	Bytes        int64          `json:"bytes"`
	Verdicts     map[string]int `json:"verdicts"`
	DMARC        map[string]int `json:"dmarc"`
	Dispositions map[string]int `json:"dispositions"`
	Domains      groupsJSON     `json:"from_domains"`
	SendingIPs   groupsJSON     `json:"sending_ips"`
	Findings     map[string]int `json:"findings"`
	ErrorKinds   map[string]int `json:"errors_by_kind"`
	Slowest      []inputJSON    `json:"slowest"`
	Largest      []inputJSON    `json:"largest"`
	// DNS is set, online, when every DNS server stopped answering.
	DNS *dnsSummaryJSON `json:"dns,omitempty"`
}

type groupsJSON struct {
	Distinct int         `json:"distinct"`
	Top      []groupJSON `json:"top"`
}

type groupJSON struct {
	Key         string        `json:"key"`
	Messages    int           `json:"messages"`
	Pass        int           `json:"pass"`
	Fail        int           `json:"fail"`
	PassRate    float64       `json:"pass_rate"`
	FailRate    float64       `json:"fail_rate"`
	TopFailures []batch.Count `json:"top_failures"`
}

type inputJSON struct {
	Source string  `json:"source"`
	Bytes  int64   `json:"bytes"`
	Millis float64 `json:"ms"`
}

func newSummaryJSON(s *batch.Summary, failOn bool, matched int) summaryJSON {
	j := summaryJSON{
		Found: s.Found, Analysed: s.Analysed, Errors: s.Errors, Bytes: s.Bytes,
		Verdicts: nonNil(s.Verdicts), DMARC: nonNil(s.DMARC), Dispositions: nonNil(s.Dispositions),
		Findings: nonNil(s.Findings), ErrorKinds: nonNil(s.ErrorKinds),
		Domains: groups(s.Domains()), SendingIPs: groups(s.SendingIPs()),
		Slowest: inputs(s.Slowest()), Largest: inputs(s.Largest()),
	}
	if failOn {
		j.Matched = &matched
	}
	return j
}

func nonNil(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

func groups(l []*batch.Group) groupsJSON {
	g := groupsJSON{Distinct: len(l), Top: []groupJSON{}}
	for _, e := range l[:min(summaryTop, len(l))] {
		fails := e.TopFailures()
		if fails == nil {
			fails = []batch.Count{}
		}
		g.Top = append(g.Top, groupJSON{
			Key: e.Key, Messages: e.Messages, Pass: e.Pass, Fail: e.Fail,
			PassRate: rate(e.Pass, e.Messages), FailRate: rate(e.Fail, e.Messages),
			TopFailures: fails,
		})
	}
	return g
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(int(float64(n)/float64(of)*1000+0.5)) / 1000
}

func inputs(l []batch.Input) []inputJSON {
	out := make([]inputJSON, 0, len(l))
	for _, in := range l {
		out = append(out, inputJSON{Source: in.Source, Bytes: in.Size, Millis: float64(in.Elapsed.Microseconds()) / 1000})
	}
	return out
}

// writeTextSummary writes the summary as a block of text.
func writeTextSummary(w io.Writer, s *batch.Summary, failOn bool, matched int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nSummary: %d found, %d analysed, %d could not be analysed (%.1f MiB)\n", s.Found, s.Analysed, s.Errors, float64(s.Bytes)/(1<<20))
	if failOn {
		fmt.Fprintf(&b, "  %-13s %d message(s) matched --fail-on\n", "fail-on", matched)
	}
	counts := func(label string, m map[string]int) {
		if len(m) > 0 {
			fmt.Fprintf(&b, "  %-13s %s\n", label, countList(batch.Sorted(m)))
		}
	}
	counts("verdicts", s.Verdicts)
	counts("dmarc", s.DMARC)
	counts("disposition", s.Dispositions)
	counts("findings", s.Findings)
	counts("errors", s.ErrorKinds)
	groupBlock(&b, "From domains", s.Domains())
	groupBlock(&b, "Sending IPs", s.SendingIPs())
	inputBlock(&b, "Slowest", s.Slowest())
	inputBlock(&b, "Largest", s.Largest())
	_, err := io.WriteString(w, b.String())
	return err
}

func countList(l []batch.Count) string {
	parts := make([]string, len(l))
	for i, c := range l {
		parts[i] = fmt.Sprintf("%s %d", textsafe.Clean(c.Key), c.Count)
	}
	return strings.Join(parts, ", ")
}

func groupBlock(b *strings.Builder, title string, l []*batch.Group) {
	if len(l) == 0 {
		return
	}
	fmt.Fprintf(b, "  %s (%d shown of %d)\n", title, min(summaryTop, len(l)), len(l))
	for _, g := range l[:min(summaryTop, len(l))] {
		key := textsafe.Clean(g.Key)
		if key == "" {
			key = "(none)"
		}
		fmt.Fprintf(b, "    %-32s %6d  pass %5.1f%%  fail %5.1f%%", key, g.Messages, 100*rate(g.Pass, g.Messages), 100*rate(g.Fail, g.Messages))
		if f := g.TopFailures(); len(f) > 0 {
			fmt.Fprintf(b, "  %s", countList(f))
		}
		b.WriteByte('\n')
	}
}

func inputBlock(b *strings.Builder, title string, l []batch.Input) {
	if len(l) == 0 {
		return
	}
	fmt.Fprintf(b, "  %s\n", title)
	for _, in := range l {
		fmt.Fprintf(b, "    %-40s %9.1f KiB  %s\n", textsafe.Clean(in.Source), float64(in.Size)/1024, in.Elapsed.Round(time.Microsecond))
	}
}

// textLine renders a report as one line of text, for scans of mailboxes
// and folders: source, verdict, the From domain, SPF, DKIM and DMARC
// results, and the most severe finding; or the error.
func textLine(r *authlens.Report, color bool) []byte {
	t := &textReporter{color: color}
	src := textsafe.Clean(r.Source)
	if r.Error != "" {
		return fmt.Appendf(nil, "%s  %s  %s\n", src, t.paint(sgrRed, "ERROR"), textsafe.Clean(r.Error))
	}
	verdict := "-"
	if r.Verdict != nil {
		verdict = string(r.Verdict.Status)
	}
	from := "-"
	if r.From != nil && r.From.Domain != "" {
		from = textsafe.Clean(r.From.Domain)
	}
	spf, dmarc := "", ""
	if r.SPF != nil {
		spf = string(r.SPF.Result)
	}
	if r.DMARC != nil {
		dmarc = string(r.DMARC.Result)
	}
	dkim := make([]string, 0, len(r.DKIM))
	for _, d := range r.DKIM {
		dkim = append(dkim, t.result(string(d.Result)))
	}
	if len(dkim) == 0 {
		dkim = append(dkim, t.result(""))
	}
	top := ""
	if len(r.Findings) > 0 {
		top = "  " + textsafe.Clean(string(r.Findings[0].Code))
	}
	return fmt.Appendf(nil, "%s  %s  from %s  spf %s  dkim %s  dmarc %s%s\n",
		src, t.result(verdict), from, t.result(spf), strings.Join(dkim, ","), t.result(dmarc), top)
}
