package received

import (
	"fmt"
	"strings"
	"time"

	"github.com/authlens/authlens/align"
	"github.com/authlens/authlens/finding"
)

// Tolerances for the date checks of [ParseChain].
const (
	// skewTolerance is how far a hop's date may precede the previous
	// hop's before it is reported: servers' clocks differ by seconds.
	skewTolerance = 2 * time.Minute
	// futureTolerance is how far past "now" a date may be.
	futureTolerance = 15 * time.Minute
	// longDelay is the per-hop delay reported as unusual.
	longDelay = 6 * time.Hour
)

// Chain is the Received trace of one message in delivery order: Hops[0]
// is the oldest hop (the bottom-most Received field, usually the
// sender's own server) and the last is the final receiver's (the
// top-most field).
type Chain struct {
	// Hops holds one entry per Received field, in delivery order.
	Hops []Step `json:"hops"`
	// TotalDelay is the time from the first dated hop to the last dated
	// hop; valid when TotalKnown.
	TotalDelay time.Duration `json:"-"`
	// TotalSeconds is TotalDelay in seconds, for JSON.
	TotalSeconds float64 `json:"total_delay_seconds"`
	// TotalKnown reports whether at least two hops had readable dates.
	TotalKnown bool `json:"total_delay_known"`
	// ReceiverOrg is the organizational domain of the final receiver,
	// from the newest hop whose "by" name is under a public (ICANN)
	// top-level domain; empty when none is.
	ReceiverOrg string `json:"receiver_org,omitempty"`
	// Entry is the index in Hops of the hop where the message entered
	// the receiving organization, or -1. It is a heuristic: the first
	// hop whose "by" name has the organizational domain ReceiverOrg.
	// Hops before it were written outside the receiver's control.
	Entry int `json:"entry"`
	// EntryClientIP is the client IP address recorded by the entry hop:
	// the address that connected to the receiving organization.
	EntryClientIP string `json:"entry_client_ip,omitempty"`
	// EntryClientIPFrom says where EntryClientIP was read: "received"
	// (the entry hop found by ParseChain), or a record of the receiver's
	// own that the caller reconciled the chain with ("received-spf",
	// "authentication-results", "x-sender-ip", "forefront-cip").
	EntryClientIPFrom string `json:"entry_client_ip_from,omitempty"`
	// Submission summarizes authenticated-submission evidence.
	Submission Submission `json:"submission"`
	// Findings lists observations about the chain.
	Findings []finding.Finding `json:"findings"`
}

// Step is one hop of a [Chain] with its place in the chain.
type Step struct {
	// Hop is the parsed field; it may be partial when Error is set.
	Hop *Hop `json:"hop"`
	// Err is the error from [Parse], if any.
	Err error `json:"-"`
	// Error is Err as text, for JSON.
	Error string `json:"error,omitempty"`
	// Delay is the time since the previous dated hop; valid when
	// DelayKnown. It is negative when the dates are out of order.
	Delay time.Duration `json:"-"`
	// DelaySeconds is Delay in seconds, for JSON.
	DelaySeconds float64 `json:"delay_seconds"`
	// DelayKnown reports whether this hop and an earlier one had dates.
	DelayKnown bool `json:"delay_known"`
}

// ParseChain reads the Received field values of one message, given top
// to bottom as they appear in the header (newest first), and returns the
// chain in delivery order (oldest first). now is the time dates are
// checked against for being in the future; pass the time the message
// was received or [time.Now]. Unreadable fields are kept as partial
// hops with their error and a finding.
func ParseChain(values []string, now time.Time) *Chain {
	parsed := make([]Parsed, len(values))
	for i, v := range values {
		parsed[i] = ParseField(v)
	}
	return BuildChain(parsed, now)
}

// Parsed is the outcome of [Parse] on one Received field value.
type Parsed struct {
	// Value is the field value that was parsed.
	Value string
	// Hop and Err are what Parse returned.
	Hop *Hop
	Err error
}

// ParseField parses one Received field value and keeps it beside the
// outcome, for [BuildChain].
func ParseField(value string) Parsed {
	h, err := Parse(value)
	return Parsed{Value: value, Hop: h, Err: err}
}

// BuildChain is [ParseChain] for fields already parsed, so that a caller
// that reads the hops for other purposes parses each field once: parsed
// holds the Received fields top to bottom, as [ParseField] returned them.
// The hops are shared, not copied; BuildChain does not change them.
func BuildChain(parsed []Parsed, now time.Time) *Chain {
	c := &Chain{Entry: -1, Findings: []finding.Finding{}}
	if len(parsed) > 0 {
		c.Hops = make([]Step, 0, len(parsed))
	}
	for i := len(parsed) - 1; i >= 0; i-- {
		h, err := parsed[i].Hop, parsed[i].Err
		if h == nil {
			h = &Hop{Raw: parsed[i].Value}
		}
		st := Step{Hop: h, Err: err}
		if err != nil {
			st.Error = err.Error()
		}
		c.Hops = append(c.Hops, st)
	}
	if len(c.Hops) == 0 {
		c.Findings = append(c.Findings, finding.Finding{Severity: finding.Info, Code: CodeNoReceivedHeaders, Message: "The message has no Received fields, so its path cannot be traced."})
		return c
	}
	c.checkDates(now)
	c.findEntry()
	c.Submission = summarize(c.Hops)
	c.Findings = append(c.Findings, c.Submission.findings(c.Hops)...)
	return c
}

// checkDates computes delays and reports unreadable, missing, reordered
// and future dates.
func (c *Chain) checkDates(now time.Time) {
	var first, prev time.Time
	dated := 0
	for i := range c.Hops {
		st := &c.Hops[i]
		n := i + 1
		if st.Err != nil && st.Hop.Date.IsZero() && st.Hop.DateText == "" && st.Hop.By == "" {
			c.Findings = append(c.Findings, finding.Finding{Severity: finding.Low, Code: CodeUnreadable, Message: fmt.Sprintf("Received field %d (in delivery order) could not be read: %v.", n, st.Err)})
			continue
		}
		d := st.Hop.Date
		if d.IsZero() {
			c.Findings = append(c.Findings, finding.Finding{Severity: finding.Low, Code: CodeMissingDate, Message: fmt.Sprintf("Hop %d (by %s) has no readable date, so the delay around it is unknown.", n, orUnknown(st.Hop.By))})
			continue
		}
		if !now.IsZero() && d.After(now.Add(futureTolerance)) {
			c.Findings = append(c.Findings, finding.Finding{Severity: finding.Medium, Code: CodeFutureDate, Message: fmt.Sprintf("Hop %d (by %s) is dated %s, %s after the time of analysis; the server's clock is wrong or the field was forged.",
				n, orUnknown(st.Hop.By), d.UTC().Format(time.RFC3339), d.Sub(now).Round(time.Second))})
		}
		if !prev.IsZero() {
			st.Delay, st.DelayKnown = d.Sub(prev), true
			st.DelaySeconds = st.Delay.Seconds()
			switch {
			case st.Delay < -skewTolerance:
				c.Findings = append(c.Findings, finding.Finding{Severity: finding.Low, Code: CodeOutOfOrder, Message: fmt.Sprintf("Hop %d (by %s) is dated %s before the hop that precedes it; clocks differ, or a field was added or altered.",
					n, orUnknown(st.Hop.By), (-st.Delay).Round(time.Second))})
			case st.Delay > longDelay:
				c.Findings = append(c.Findings, finding.Finding{Severity: finding.Info, Code: CodeLongDelay, Message: fmt.Sprintf("Hop %d (by %s) took %s after the previous hop; the message was queued or held.",
					n, orUnknown(st.Hop.By), st.Delay.Round(time.Second))})
			}
		}
		if first.IsZero() {
			first = d
		}
		prev = d
		dated++
	}
	// Compared by count, not by value: two hops in the same second are a
	// known total delay of zero.
	if dated > 1 {
		c.TotalDelay, c.TotalKnown = prev.Sub(first), true
		c.TotalSeconds = c.TotalDelay.Seconds()
	}
}

// findEntry finds the receiver's organizational domain and the hop where
// the message entered it. Each hop's organizational domain is looked up
// at most once, and only as far as needed.
func (c *Chain) findEntry() {
	receiver := -1
	for i := len(c.Hops) - 1; i >= 0; i-- {
		if org := publicOrg(c.Hops[i].Hop.By); org != "" {
			c.ReceiverOrg, receiver = org, i
			break
		}
	}
	if receiver < 0 {
		c.Findings = append(c.Findings, finding.Finding{Severity: finding.Info, Code: CodeNoEntry, Message: "No Received field names the receiving server by a public domain name, so the hop where the message entered the receiving organization is unknown."})
		return
	}
	// The entry is the oldest hop into the receiver's organization whose
	// client is on the public internet: a hop with no client, or a
	// loopback, link-local or private one, is the sender's own outbound
	// side (when both are one provider) or an internal relay.
	c.Entry = -1
	first := receiver
	for i := 0; i <= receiver; i++ {
		if !inOrg(c.Hops[i].Hop.By, c.ReceiverOrg) {
			continue
		}
		first = min(first, i)
		if publicClient(c.Hops[i].Hop) {
			c.Entry = i
			break
		}
	}
	if c.Entry < 0 {
		// No public client: the organization's own relay handed it on.
		// Follow the chain back while each hop's server is the client
		// of the one after it.
		c.Entry = first
		for e := first; e > 0 && !publicClient(c.Hops[e].Hop); e-- {
			prev, cur := c.Hops[e-1].Hop, c.Hops[e].Hop
			if prev == nil || prev.By == "" || !strings.EqualFold(prev.By, cur.From) && !strings.EqualFold(prev.By, cur.ReverseDNS) {
				break
			}
			if publicClient(prev) {
				c.Entry = e - 1
				break
			}
		}
	}
	// The client address, without a zone (fe80::1%22 names an interface
	// of the host that wrote it, not the client), and none for 0.0.0.0.
	if a := c.Hops[c.Entry].Hop.Addr(); !a.IsValid() || !a.IsUnspecified() {
		c.EntryClientIP, _, _ = strings.Cut(c.Hops[c.Entry].Hop.IP, "%")
	}
}

// publicClient reports whether a hop's client address is on the public
// internet: not loopback, link-local, private (RFC 1918, RFC 4193) or
// unspecified.
func publicClient(h *Hop) bool {
	if h == nil {
		return false
	}
	a := h.Addr()
	return a.IsValid() && !a.IsLoopback() && !a.IsPrivate() && !a.IsLinkLocalUnicast() && !a.IsUnspecified() && !a.IsLinkLocalMulticast()
}

// publicOrg returns the organizational domain of name when name is a
// domain under an ICANN top-level domain, or "" (see
// [align.PublicOrgDomain]).
func publicOrg(name string) string { return align.PublicOrgDomain(name) }

// inOrg reports whether publicOrg(name) is org, an organizational domain.
// An organizational domain is a suffix of every name under it, so an
// ASCII name that does not end in org is told apart without a Public
// Suffix List lookup. (A non-ASCII name is looked up: its A-label form
// may end in org.)
func inOrg(name, org string) bool {
	if n := strings.TrimSuffix(strings.TrimSpace(name), "."); isASCII(n) && !hasDomainSuffix(n, org) {
		return false
	}
	return publicOrg(name) == org
}

// hasDomainSuffix reports whether name is domain or a name under it,
// ignoring ASCII case.
func hasDomainSuffix(name, domain string) bool {
	if len(name) < len(domain) || !strings.EqualFold(name[len(name)-len(domain):], domain) {
		return false
	}
	return len(name) == len(domain) || name[len(name)-len(domain)-1] == '.'
}

func orUnknown(s string) string {
	if s == "" {
		return "an unnamed server"
	}
	return s
}
