package batch

import (
	"cmp"
	"slices"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
)

// Limits of the summary, so that its memory stays bounded on any export.
const (
	// maxKeys is the number of distinct From domains, and of sending IP
	// addresses, counted one by one; later new ones are counted together
	// under Other.
	maxKeys = 10000
	// topInputs is the number of slowest and largest inputs kept.
	topInputs = 5
	// topFailures is the number of failure reasons listed per domain.
	topFailures = 3
)

// Other is the key that stands for every From domain or sending address
// beyond the first 10 000 distinct ones.
const Other = "(other)"

// Summary aggregates the items of a scan. Add each item in turn; the zero
// value is empty. It is not safe for concurrent use.
type Summary struct {
	// Found is the number of items; Analysed + Errors == Found.
	Found    int
	Analysed int
	Errors   int
	// Bytes is the total size of the messages, as stored.
	Bytes int64
	// Verdicts, DMARC and Dispositions count analysed messages by verdict
	// status, DMARC result and DMARC disposition ("none" when absent).
	Verdicts     map[string]int
	DMARC        map[string]int
	Dispositions map[string]int
	// Findings counts findings by code over all messages.
	Findings map[string]int
	// ErrorKinds counts items that could not be analysed, by ErrorKind.
	ErrorKinds map[string]int

	domains map[string]*Group
	ips     map[string]*Group
	slowest []Input
	largest []Input
}

// Group is what the summary knows about the messages of one From domain
// or sending address.
type Group struct {
	// Key is the domain or address, "" when the message had none.
	Key string
	// Messages is the number of analysed messages; Pass and Fail those
	// whose verdict is pass or fail.
	Messages, Pass, Fail int
	// Failures counts the codes of medium and high findings.
	Failures map[string]int
}

// Input is one item among the slowest or largest.
type Input struct {
	Source  string
	Size    int64
	Elapsed time.Duration
}

// Count is a key and how many times it was seen.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Add counts one item.
func (s *Summary) Add(it *Item) {
	if s.Verdicts == nil {
		s.Verdicts, s.DMARC, s.Dispositions = map[string]int{}, map[string]int{}, map[string]int{}
		s.Findings, s.ErrorKinds = map[string]int{}, map[string]int{}
		s.domains, s.ips = map[string]*Group{}, map[string]*Group{}
	}
	s.Found++
	s.Bytes += it.Size
	in := Input{Source: it.Location.String(), Size: it.Size, Elapsed: it.Elapsed}
	s.largest = keepTop(s.largest, in, func(a, b Input) int { return cmp.Compare(b.Size, a.Size) })
	r := it.Report
	if it.Err != nil || r == nil || r.Error != "" {
		s.Errors++
		s.ErrorKinds[ErrorKind(it.Err)]++
		return
	}
	s.Analysed++
	s.slowest = keepTop(s.slowest, in, func(a, b Input) int { return cmp.Compare(b.Elapsed, a.Elapsed) })
	verdict := "none"
	if r.Verdict != nil {
		verdict = string(r.Verdict.Status)
	}
	s.Verdicts[verdict]++
	dmarc, disp := "none", "none"
	if r.DMARC != nil {
		dmarc = orNone(string(r.DMARC.Result))
		disp = orNone(r.DMARC.Disposition)
	}
	s.DMARC[dmarc]++
	s.Dispositions[disp]++
	for _, f := range r.Findings {
		s.Findings[string(f.Code)]++
	}
	domain := ""
	if r.From != nil {
		domain = r.From.Domain
	}
	group(s.domains, domain).add(r)
	group(s.ips, SendingIP(r)).add(r)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// keepTop inserts in into the sorted list l, keeping at most topInputs.
func keepTop(l []Input, in Input, order func(a, b Input) int) []Input {
	if len(l) == topInputs && order(in, l[len(l)-1]) >= 0 {
		return l
	}
	i, _ := slices.BinarySearchFunc(l, in, order)
	for i < len(l) && order(l[i], in) == 0 {
		i++ // keep input order among equals
	}
	l = slices.Insert(l, i, in)
	if len(l) > topInputs {
		l = l[:topInputs]
	}
	return l
}

// group returns the group for key, creating it while there is room.
func group(m map[string]*Group, key string) *Group {
	g, ok := m[key]
	if ok {
		return g
	}
	if len(m) >= maxKeys {
		key = Other
		if g, ok := m[key]; ok {
			return g
		}
	}
	g = &Group{Key: key, Failures: map[string]int{}}
	m[key] = g
	return g
}

func (g *Group) add(r *authlens.Report) {
	g.Messages++
	if r.Verdict != nil {
		switch r.Verdict.Status {
		case authlens.VerdictPass:
			g.Pass++
		case authlens.VerdictFail:
			g.Fail++
		}
	}
	for _, f := range r.Findings {
		if f.Severity == finding.High || f.Severity == finding.Medium {
			g.Failures[string(f.Code)]++
		}
	}
}

// TopFailures returns the most frequent failure codes of the group, most
// frequent first.
func (g *Group) TopFailures() []Count {
	return top(g.Failures, topFailures)
}

// Domains returns the From domain groups, most messages first.
func (s *Summary) Domains() []*Group { return sortGroups(s.domains) }

// SendingIPs returns the sending address groups, most messages first.
func (s *Summary) SendingIPs() []*Group { return sortGroups(s.ips) }

// Slowest returns the analysed messages that took longest, slowest first.
func (s *Summary) Slowest() []Input { return s.slowest }

// Largest returns the largest items, largest first.
func (s *Summary) Largest() []Input { return s.largest }

func sortGroups(m map[string]*Group) []*Group {
	l := make([]*Group, 0, len(m))
	for _, g := range m {
		l = append(l, g)
	}
	slices.SortFunc(l, func(a, b *Group) int {
		if c := cmp.Compare(b.Messages, a.Messages); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return l
}

// Sorted returns the counts of m, most frequent first, then by key.
func Sorted(m map[string]int) []Count {
	return top(m, len(m))
}

func top(m map[string]int, n int) []Count {
	l := make([]Count, 0, len(m))
	for k, v := range m {
		l = append(l, Count{k, v})
	}
	slices.SortFunc(l, func(a, b Count) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return l[:min(n, len(l))]
}

// SendingIP returns the address the message came from: the client of the
// entry hop of the Received chain, else the client address a trusted
// Authentication-Results or Received-SPF field names, else "".
func SendingIP(r *authlens.Report) string {
	if r.Received != nil && r.Received.EntryClientIP != "" {
		return r.Received.EntryClientIP
	}
	for _, f := range r.AuthResults {
		if !f.Trusted {
			continue
		}
		for _, res := range f.Results {
			for _, p := range []string{"client-ip", "smtp.remote-ip", "smtp.client-ip"} {
				if ip := res.Props[p]; ip != "" {
					return ip
				}
			}
		}
	}
	return ""
}
