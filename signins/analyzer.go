package signins

import (
	"context"
	"io"
	"strings"
	"time"
)

// Options tune the analysis. The zero value uses the defaults below.
type Options struct {
	// Since and Until keep only sign-ins at or after Since and before
	// Until (zero: no bound).
	Since, Until time.Time
	// SprayAccounts and SprayWindow: an address that fails against at
	// least SprayAccounts distinct accounts within SprayWindow is
	// spraying (default 5 in 20 minutes, Microsoft Sentinel's rule).
	SprayAccounts int
	SprayWindow   time.Duration
	// SlowAccounts and SlowWindow catch the low-and-slow spray that stays
	// under the first rule (default 10 accounts in 24 hours).
	SlowAccounts int
	SlowWindow   time.Duration
	// DistributedAddresses and DistributedWindow: an account failing from
	// at least this many addresses within the window is the target of a
	// distributed spray (default 5 addresses in 24 hours).
	DistributedAddresses int
	DistributedWindow    time.Duration
}

// Defaults.
const (
	DefaultSprayAccounts        = 5
	DefaultSprayWindow          = 20 * time.Minute
	DefaultSlowAccounts         = 10
	DefaultSlowWindow           = 24 * time.Hour
	DefaultDistributedAddresses = 5
	DefaultDistributedWindow    = 24 * time.Hour
)

func (o *Options) fill() {
	if o.SprayAccounts <= 0 {
		o.SprayAccounts = DefaultSprayAccounts
	}
	if o.SprayWindow <= 0 {
		o.SprayWindow = DefaultSprayWindow
	}
	if o.SlowAccounts <= 0 {
		o.SlowAccounts = DefaultSlowAccounts
	}
	if o.SlowWindow <= 0 {
		o.SlowWindow = DefaultSlowWindow
	}
	if o.DistributedAddresses <= 0 {
		o.DistributedAddresses = DefaultDistributedAddresses
	}
	if o.DistributedWindow <= 0 {
		o.DistributedWindow = DefaultDistributedWindow
	}
}

// Analyzer accumulates sign-ins and builds a Report. Its memory grows
// with the distinct users, addresses and (address, user) pairs, plus 16
// bytes per failed password guess; not with the rows themselves.
type Analyzer struct {
	opts Options

	users, ips, apps, locs, policies *names

	total, legacy, outside int
	first, last            int64
	files                  []FileInfo

	// events are the failed password guesses (wrong password, lockout,
	// unknown account), for the spray windows.
	events []event
	ipStat map[uint32]*ipStat
	pairs  map[uint64]pairStat
	triple map[tripleKey]*legacyAgg
	days   map[int64]*dayAgg
}

// event is one failed password guess.
type event struct {
	t        int64 // Unix nanoseconds
	user, ip uint32
}

// ipStat is what one address did.
type ipStat struct {
	signIns, failures, lockouts, successes, accepted int
	first, last                                      int64
	loc                                              uint32 // locs id + 1; 0 when unknown
	apps                                             []uint32
}

// pairStat is what one address did against one account.
type pairStat struct {
	failed, accepted int
	firstAccepted    int64
	app              uint32
	code             int
}

type tripleKey struct{ user, app, ip uint32 }

// legacyAgg is one account's legacy sign-ins with one client app from one
// address.
type legacyAgg struct {
	signIns, accepted, successes, blocked, failures int
	first, last, lastSuccess, firstBlocked          int64
	lastBlocked                                     int64
	reportOnly                                      map[uint32]*[4]int
}

// Report-only results, as indexes into legacyAgg.reportOnly counts.
const (
	roFailure = iota
	roInterrupted
	roSuccess
	roNotApplied
)

type dayAgg struct{ legacy, blocked int }

// NewAnalyzer returns an empty Analyzer.
func NewAnalyzer(opts Options) *Analyzer {
	opts.fill()
	return &Analyzer{
		opts: opts, users: newNames(), ips: newNames(), apps: newNames(), locs: newNames(), policies: newNames(),
		ipStat: map[uint32]*ipStat{}, pairs: map[uint64]pairStat{}, triple: map[tripleKey]*legacyAgg{}, days: map[int64]*dayAgg{},
	}
}

// AddFile records an input that was read, for the report.
func (a *Analyzer) AddFile(fi FileInfo) { a.files = append(a.files, fi) }

// The years a sign-in may carry; others are counted as outside the range
// (they cannot be sign-ins, and would not fit the nanosecond clock).
const (
	minYear = 1970
	maxYear = 2199
)

// Add takes one sign-in. It keeps nothing that points into s.
func (a *Analyzer) Add(s *SignIn) {
	if y := s.Time.Year(); y < minYear || y > maxYear || (!a.opts.Since.IsZero() && s.Time.Before(a.opts.Since)) || (!a.opts.Until.IsZero() && !s.Time.Before(a.opts.Until)) {
		a.outside++
		return
	}
	t := s.Time.UnixNano()
	if a.total == 0 || t < a.first {
		a.first = t
	}
	if a.total == 0 || t > a.last {
		a.last = t
	}
	a.total++
	o := s.Outcome()
	u, ip, app := a.users.id(s.User), a.ips.id(s.IP), a.apps.id(s.ClientApp)

	st := a.ipStat[ip]
	if st == nil {
		st = &ipStat{first: t, last: t}
		a.ipStat[ip] = st
	}
	st.signIns++
	st.first, st.last = min(st.first, t), max(st.last, t)
	if st.loc == 0 && s.Location != "" {
		st.loc = a.locs.id(s.Location) + 1
	}
	if !containsID(st.apps, app) && len(st.apps) < 32 {
		st.apps = append(st.apps, app)
	}
	switch {
	case o == OutcomeSuccess:
		st.successes++
	case o == OutcomeLockout:
		st.lockouts++
	}
	if o.CredentialAccepted() {
		st.accepted++
	} else {
		st.failures++
	}

	key := uint64(ip)<<32 | uint64(u)
	p := a.pairs[key]
	if o.SprayFailure() {
		p.failed++
		if s.IP != "" {
			a.events = append(a.events, event{t: t, user: u, ip: ip})
		}
	}
	if o.CredentialAccepted() {
		if p.accepted == 0 || t < p.firstAccepted {
			p.firstAccepted, p.app, p.code = t, app, s.ErrorCode
		}
		p.accepted++
	}
	a.pairs[key] = p

	if !s.Legacy() {
		return
	}
	a.legacy++
	d := a.days[dayOf(t)]
	if d == nil {
		d = &dayAgg{}
		a.days[dayOf(t)] = d
	}
	d.legacy++
	if o.Blocked() {
		d.blocked++
	}
	tk := tripleKey{u, app, ip}
	g := a.triple[tk]
	if g == nil {
		g = &legacyAgg{first: t, last: t}
		a.triple[tk] = g
	}
	g.signIns++
	g.first, g.last = min(g.first, t), max(g.last, t)
	if o.CredentialAccepted() {
		g.accepted++
	}
	if o == OutcomeSuccess {
		g.successes++
		g.lastSuccess = max(g.lastSuccess, t)
	} else {
		g.failures++
	}
	if o.Blocked() {
		if g.blocked == 0 || t < g.firstBlocked {
			g.firstBlocked = t
		}
		g.blocked++
		g.lastBlocked = max(g.lastBlocked, t)
	}
	for _, pr := range s.Policies {
		i := reportOnlyIndex(pr.Result)
		if i < 0 {
			continue
		}
		if g.reportOnly == nil {
			g.reportOnly = map[uint32]*[4]int{}
		}
		pid := a.policies.id(pr.Name)
		c := g.reportOnly[pid]
		if c == nil {
			c = &[4]int{}
			g.reportOnly[pid] = c
		}
		c[i]++
	}
}

// reportOnlyIndex maps a report-only policy result to its count index, or
// -1 for a result of an enforced policy.
func reportOnlyIndex(r string) int {
	if len(r) < len("reportOnly") || !strings.EqualFold(r[:len("reportOnly")], "reportOnly") {
		return -1
	}
	switch strings.ToLower(r[len("reportOnly"):]) {
	case "failure":
		return roFailure
	case "interrupted":
		return roInterrupted
	case "success":
		return roSuccess
	case "notapplied":
		return roNotApplied
	}
	return -1
}

func containsID(l []uint32, id uint32) bool {
	for _, v := range l {
		if v == id {
			return true
		}
	}
	return false
}

const day = int64(24 * time.Hour)

// dayOf returns the UTC day number of a Unix-nanosecond time.
func dayOf(t int64) int64 {
	d := t / day
	if t < 0 && t%day != 0 {
		d--
	}
	return d
}

// ReadFrom reads one export with Read and adds its sign-ins. The file is
// listed in the report even when reading stopped with an error.
func (a *Analyzer) ReadFrom(ctx context.Context, r io.Reader, name string) (FileInfo, error) {
	fi, err := Read(ctx, r, name, func(s *SignIn) error {
		a.Add(s)
		return nil
	})
	if fi.Format != "" || err == nil {
		a.AddFile(fi)
	}
	return fi, err
}
