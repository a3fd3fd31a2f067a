package signins

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/authlens/authlens/finding"
)

// Report is what the sign-in logs say about legacy authentication and
// password spray.
type Report struct {
	SignIns       int                `json:"sign_ins"`
	LegacySignIns int                `json:"legacy_sign_ins"`
	OutsideRange  int                `json:"outside_range"` // left out by Since/Until, or dated before 1970 or after 2199
	Files         []FileInfo         `json:"files"`
	First         time.Time          `json:"first,omitzero"`
	Last          time.Time          `json:"last,omitzero"`
	Skipped       map[SkipReason]int `json:"skipped"`
	// Legacy is legacy use per account and client app, without the
	// traffic of spraying addresses.
	Legacy []LegacyUse `json:"legacy"`
	Sprays []Spray     `json:"sprays"`
	// Compromised lists each account whose password was accepted from a
	// spraying address, once, at the first acceptance.
	Compromised []Compromise `json:"compromised"`
	Readiness   Readiness    `json:"readiness"`
	// BlocksByDay counts legacy sign-ins, and those blocked by policy, per
	// UTC day from the first day of the data to the last.
	BlocksByDay []DayCount        `json:"blocks_by_day"`
	Findings    []finding.Finding `json:"findings"`
}

// LegacyUse is one account's legacy sign-ins with one client app.
type LegacyUse struct {
	User      string `json:"user"`
	ClientApp string `json:"client_app"`
	SignIns   int    `json:"sign_ins"`
	// Accepted counts sign-ins whose password was right: successes, and
	// failures that come only after the password (MFA, Conditional
	// Access, expired password).
	Accepted  int `json:"accepted"`
	Successes int `json:"successes"`
	// Blocked counts sign-ins blocked by Conditional Access or security
	// defaults (53003, 53000, 53001, 530032, 530035).
	Blocked int `json:"blocked"`
	// Failures counts every sign-in that did not succeed, blocked ones
	// included.
	Failures int       `json:"failures"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	IPs      []string  `json:"ips"`

	lastSuccess, firstBlocked, lastBlocked int64
}

// Spray is one password spray.
type Spray struct {
	Kind SprayKind `json:"kind"`
	// IP is the spraying address; empty for a distributed spray, whose
	// addresses are in IPs.
	IP  string   `json:"ip"`
	IPs []string `json:"ips"`
	// Users is how many accounts were targeted; Targets names them.
	Users   int      `json:"users"`
	Targets []string `json:"targets"`
	// Peak is the most accounts (or, distributed, addresses) within one
	// window of the rule that matched.
	Peak        int          `json:"peak"`
	Failures    int          `json:"failures"`
	Successes   int          `json:"successes"`
	Lockouts    int          `json:"lockouts"`
	Compromised []Compromise `json:"compromised"`
	ClientApps  []string     `json:"client_apps"`
	First       time.Time    `json:"first"`
	Last        time.Time    `json:"last"`
	Location    string       `json:"location"`
}

// Compromise is an account whose password was accepted from a spraying
// address: compromised until proven otherwise.
type Compromise struct {
	User      string    `json:"user"`
	IP        string    `json:"ip"`
	ClientApp string    `json:"client_app"`
	At        time.Time `json:"at"`
	ErrorCode int       `json:"error_code"`
	Accepted  int       `json:"accepted"` // sign-ins with the password accepted from that address
}

// Readiness is what a "Block legacy authentication" policy would do.
type Readiness struct {
	// WouldStop: accounts whose legacy sign-ins still succeed.
	WouldStop []ReadyEntry `json:"would_stop"`
	// AlreadyBlocked: accounts whose legacy sign-ins are now blocked.
	AlreadyBlocked []ReadyEntry `json:"already_blocked"`
	// Advice: per client app, what the accounts in WouldStop should move
	// to.
	Advice []AppAdvice `json:"advice"`
	// ReportOnly: report-only policies' results on legacy sign-ins, where
	// the export has them (Graph, Azure Monitor, Log Analytics).
	ReportOnly []ReportOnly `json:"report_only"`
}

// ReadyEntry is one account and client app in Readiness.
type ReadyEntry struct {
	User         string    `json:"user"`
	ClientApp    string    `json:"client_app"`
	Successes    int       `json:"successes"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	Blocked      int       `json:"blocked"`
	BlockedSince time.Time `json:"blocked_since,omitzero"`
}

// AppAdvice says what one client app's accounts should move to.
type AppAdvice struct {
	ClientApp string   `json:"client_app"`
	Accounts  []string `json:"accounts"`
	Advice    string   `json:"advice"`
}

// ReportOnly is one report-only policy's results on legacy sign-ins.
type ReportOnly struct {
	Policy         string   `json:"policy"`
	WouldBlock     int      `json:"would_block"` // reportOnlyFailure
	WouldInterrupt int      `json:"would_interrupt"`
	Success        int      `json:"success"`
	NotApplied     int      `json:"not_applied"`
	Users          []string `json:"users"` // accounts with a reportOnlyFailure
}

// DayCount is one UTC day's legacy sign-ins.
type DayCount struct {
	Day     string `json:"day"` // YYYY-MM-DD
	Legacy  int    `json:"legacy"`
	Blocked int    `json:"blocked"`
}

// maxDays bounds BlocksByDay: beyond it only days with legacy traffic are
// listed.
const maxDays = 400

// Report builds the report. It may be called more than once.
func (a *Analyzer) Report() *Report {
	r := &Report{
		SignIns: a.total, LegacySignIns: a.legacy, OutsideRange: a.outside,
		Files: append([]FileInfo{}, a.files...), Skipped: map[SkipReason]int{},
		Legacy: []LegacyUse{}, Sprays: []Spray{}, Compromised: []Compromise{}, BlocksByDay: []DayCount{},
		Readiness: Readiness{WouldStop: []ReadyEntry{}, AlreadyBlocked: []ReadyEntry{}, Advice: []AppAdvice{}, ReportOnly: []ReportOnly{}},
	}
	for _, f := range a.files {
		for k, v := range f.Skipped {
			r.Skipped[k] += v
		}
	}
	if a.total > 0 {
		r.First, r.Last = utc(a.first), utc(a.last)
	}
	attack := a.buildSprays(r)
	a.buildLegacy(r, attack)
	a.buildReadiness(r, attack)
	a.buildDays(r)
	r.Findings = findings(r)
	return r
}

func utc(t int64) time.Time { return time.Unix(0, t).UTC() }

// buildSprays fills Sprays and Compromised and returns the attacking
// addresses.
func (a *Analyzer) buildSprays(r *Report) map[uint32]bool {
	dets := a.detect()
	attack := map[uint32]int{} // address → index in r.Sprays
	for i, d := range dets {
		sp := Spray{Kind: d.kind, Peak: d.peak, IPs: []string{}, Targets: []string{}, Compromised: []Compromise{}, ClientApps: []string{}}
		apps := map[string]bool{}
		locs := map[string]bool{}
		for j, ip := range d.ips {
			attack[ip] = i
			st := a.ipStat[ip]
			sp.IPs = append(sp.IPs, a.ips.name(ip))
			sp.Failures += st.failures
			sp.Successes += st.successes
			sp.Lockouts += st.lockouts
			if j == 0 || st.first < sp.First.UnixNano() {
				sp.First = utc(st.first)
			}
			if j == 0 || st.last > sp.Last.UnixNano() {
				sp.Last = utc(st.last)
			}
			for _, app := range st.apps {
				apps[a.apps.name(app)] = true
			}
			if st.loc > 0 {
				locs[a.locs.name(st.loc-1)] = true
			}
		}
		slices.SortFunc(sp.IPs, compareAddr)
		if d.kind != SprayDistributed {
			sp.IP = sp.IPs[0]
		}
		delete(apps, "")
		sp.ClientApps = slices.Sorted(maps.Keys(apps))
		switch len(locs) {
		case 0:
		case 1:
			for l := range locs {
				sp.Location = l
			}
		default:
			sp.Location = fmt.Sprintf("%d locations", len(locs))
		}
		r.Sprays = append(r.Sprays, sp)
	}
	// Targets and compromises, from the (address, account) pairs.
	targets := make([]map[string]bool, len(r.Sprays))
	comp := make([]map[string]Compromise, len(r.Sprays))
	for i := range targets {
		targets[i], comp[i] = map[string]bool{}, map[string]Compromise{}
	}
	for k, p := range a.pairs {
		i, ok := attack[uint32(k>>32)]
		if !ok {
			continue
		}
		user := a.users.name(uint32(k))
		if p.failed > 0 {
			targets[i][user] = true
		}
		if p.accepted > 0 {
			c := Compromise{User: user, IP: a.ips.name(uint32(k >> 32)), ClientApp: a.apps.name(p.app), At: utc(p.firstAccepted), ErrorCode: p.code, Accepted: p.accepted}
			if old, ok := comp[i][user]; !ok || earlier(c, old) {
				comp[i][user] = c
			}
		}
	}
	// A distributed spray targets the accounts its rule matched.
	for i, d := range dets {
		if d.kind == SprayDistributed {
			clear(targets[i])
			for _, u := range d.users {
				targets[i][a.users.name(u)] = true
			}
		}
	}
	all := map[string]Compromise{}
	for i := range r.Sprays {
		sp := &r.Sprays[i]
		sp.Targets = slices.Sorted(maps.Keys(targets[i]))
		sp.Users = len(sp.Targets)
		for _, c := range comp[i] {
			sp.Compromised = append(sp.Compromised, c)
			if old, ok := all[c.User]; !ok || earlier(c, old) {
				all[c.User] = c
			}
		}
		sortCompromises(sp.Compromised)
	}
	for _, c := range all {
		r.Compromised = append(r.Compromised, c)
	}
	sortCompromises(r.Compromised)
	slices.SortStableFunc(r.Sprays, func(x, y Spray) int {
		return cmp.Or(cmp.Compare(y.Failures, x.Failures), x.First.Compare(y.First), cmp.Compare(x.IP, y.IP))
	})
	out := make(map[uint32]bool, len(attack))
	for ip := range attack {
		out[ip] = true
	}
	return out
}

// compareAddr orders addresses numerically (IPv4 before IPv6), and
// anything that is not an address after them, as text.
func compareAddr(x, y string) int {
	a, aerr := netip.ParseAddr(x)
	b, berr := netip.ParseAddr(y)
	switch {
	case aerr == nil && berr == nil:
		return a.Compare(b)
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	}
	return cmp.Compare(x, y)
}

func earlier(c, old Compromise) bool {
	return c.At.Before(old.At) || (c.At.Equal(old.At) && c.IP < old.IP)
}

func sortCompromises(l []Compromise) {
	slices.SortFunc(l, func(x, y Compromise) int {
		return cmp.Or(x.At.Compare(y.At), cmp.Compare(x.User, y.User), cmp.Compare(x.IP, y.IP))
	})
}

// legacyGroups sums the legacy sign-ins per account and client app,
// leaving out attacking addresses.
func (a *Analyzer) legacyGroups(attack map[uint32]bool) []LegacyUse {
	type ua struct{ user, app uint32 }
	groups := map[ua]*LegacyUse{}
	ips := map[ua]map[string]bool{}
	for k, g := range a.triple {
		if attack[k.ip] {
			continue
		}
		key := ua{k.user, k.app}
		l := groups[key]
		if l == nil {
			l = &LegacyUse{User: a.users.name(k.user), ClientApp: a.apps.name(k.app), First: utc(g.first), Last: utc(g.last)}
			groups[key] = l
			ips[key] = map[string]bool{}
		}
		l.SignIns += g.signIns
		l.Accepted += g.accepted
		l.Successes += g.successes
		l.Blocked += g.blocked
		l.Failures += g.failures
		if f := utc(g.first); f.Before(l.First) {
			l.First = f
		}
		if t := utc(g.last); t.After(l.Last) {
			l.Last = t
		}
		l.lastSuccess = max(l.lastSuccess, g.lastSuccess)
		l.lastBlocked = max(l.lastBlocked, g.lastBlocked)
		if g.blocked > 0 && (l.firstBlocked == 0 || g.firstBlocked < l.firstBlocked) {
			l.firstBlocked = g.firstBlocked
		}
		ips[key][a.ips.name(k.ip)] = true
	}
	out := make([]LegacyUse, 0, len(groups))
	for key, l := range groups {
		l.IPs = slices.SortedFunc(maps.Keys(ips[key]), compareAddr)
		out = append(out, *l)
	}
	slices.SortFunc(out, func(x, y LegacyUse) int {
		return cmp.Or(cmp.Compare(x.ClientApp, y.ClientApp), cmp.Compare(y.SignIns, x.SignIns), cmp.Compare(x.User, y.User))
	})
	return out
}

func (a *Analyzer) buildLegacy(r *Report, attack map[uint32]bool) {
	r.Legacy = a.legacyGroups(attack)
}

func (a *Analyzer) buildReadiness(r *Report, attack map[uint32]bool) {
	advice := map[string][]string{}
	for _, l := range r.Legacy {
		e := ReadyEntry{User: l.User, ClientApp: l.ClientApp, Successes: l.Successes, Blocked: l.Blocked}
		if l.Successes > 0 {
			e.LastSuccess = utc(l.lastSuccess)
		}
		if l.Blocked > 0 {
			e.BlockedSince = utc(l.firstBlocked)
		}
		switch {
		case l.Successes > 0 && (l.Blocked == 0 || l.lastSuccess > l.lastBlocked):
			r.Readiness.WouldStop = append(r.Readiness.WouldStop, e)
			advice[l.ClientApp] = append(advice[l.ClientApp], l.User)
		case l.Blocked > 0:
			r.Readiness.AlreadyBlocked = append(r.Readiness.AlreadyBlocked, e)
		}
	}
	for _, app := range slices.Sorted(maps.Keys(advice)) {
		accts := advice[app]
		slices.Sort(accts)
		r.Readiness.Advice = append(r.Readiness.Advice, AppAdvice{ClientApp: app, Accounts: accts, Advice: Advice(app)})
	}
	type counts struct {
		c     [4]int
		users map[string]bool
	}
	pol := map[uint32]*counts{}
	for k, g := range a.triple {
		if attack[k.ip] {
			continue
		}
		for pid, c := range g.reportOnly {
			p := pol[pid]
			if p == nil {
				p = &counts{users: map[string]bool{}}
				pol[pid] = p
			}
			for i := range c {
				p.c[i] += c[i]
			}
			if c[roFailure] > 0 {
				p.users[a.users.name(k.user)] = true
			}
		}
	}
	for pid, p := range pol {
		r.Readiness.ReportOnly = append(r.Readiness.ReportOnly, ReportOnly{
			Policy: a.policies.name(pid), WouldBlock: p.c[roFailure], WouldInterrupt: p.c[roInterrupted],
			Success: p.c[roSuccess], NotApplied: p.c[roNotApplied], Users: slices.Sorted(maps.Keys(p.users)),
		})
	}
	slices.SortFunc(r.Readiness.ReportOnly, func(x, y ReportOnly) int { return cmp.Compare(x.Policy, y.Policy) })
}

func (a *Analyzer) buildDays(r *Report) {
	if a.total == 0 {
		return
	}
	first, last := dayOf(a.first), dayOf(a.last)
	if last-first < maxDays {
		for d := first; d <= last; d++ {
			c := a.days[d]
			if c == nil {
				c = &dayAgg{}
			}
			r.BlocksByDay = append(r.BlocksByDay, DayCount{Day: dayName(d), Legacy: c.legacy, Blocked: c.blocked})
		}
		return
	}
	for _, d := range slices.Sorted(maps.Keys(a.days)) {
		c := a.days[d]
		r.BlocksByDay = append(r.BlocksByDay, DayCount{Day: dayName(d), Legacy: c.legacy, Blocked: c.blocked})
	}
}

func dayName(d int64) string { return time.Unix(0, d*day).UTC().Format("2006-01-02") }

// findings sums the report up for a person.
func findings(r *Report) []finding.Finding {
	out := []finding.Finding{}
	for _, c := range r.Compromised {
		out = append(out, finding.Finding{Severity: finding.High, Code: "signins-account-compromised",
			Message: fmt.Sprintf("%s: password accepted from spraying address %s (%s, %s, error code %d); treat the account as compromised until proven otherwise",
				c.User, c.IP, orDash(c.ClientApp), c.At.Format("2006-01-02 15:04 UTC"), c.ErrorCode)})
	}
	for _, s := range r.Sprays {
		from := s.IP
		if s.Kind == SprayDistributed {
			from = fmt.Sprintf("%d addresses", len(s.IPs))
		}
		out = append(out, finding.Finding{Severity: finding.Medium, Code: "signins-password-spray",
			Message: fmt.Sprintf("%s spray from %s against %d accounts: %d failures, %d lockouts, %d accounts with the password accepted (%s to %s)",
				s.Kind, from, s.Users, s.Failures, s.Lockouts, len(s.Compromised), s.First.Format("2006-01-02 15:04"), s.Last.Format("2006-01-02 15:04 UTC"))})
	}
	if n := len(r.Readiness.WouldStop); n > 0 {
		var apps []string
		for _, ad := range r.Readiness.Advice {
			apps = append(apps, fmt.Sprintf("%s: %d", ad.ClientApp, len(ad.Accounts)))
		}
		out = append(out, finding.Finding{Severity: finding.Low, Code: "signins-legacy-in-use",
			Message: fmt.Sprintf("%d account(s) still sign in with legacy authentication (%s); a block legacy authentication policy would stop them", n, strings.Join(apps, ", "))})
	}
	blocked := 0
	since := ""
	for _, d := range r.BlocksByDay {
		if d.Blocked > 0 && since == "" {
			since = d.Day
		}
		blocked += d.Blocked
	}
	if blocked > 0 {
		out = append(out, finding.Finding{Severity: finding.Info, Code: "signins-legacy-blocked",
			Message: fmt.Sprintf("%d legacy sign-in(s) blocked by policy since %s", blocked, since)})
	}
	skipped := 0
	for _, n := range r.Skipped {
		skipped += n
	}
	if skipped > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(r.Skipped)) {
			parts = append(parts, fmt.Sprintf("%d %s", r.Skipped[k], k))
		}
		out = append(out, finding.Finding{Severity: finding.Low, Code: "signins-rows-skipped",
			Message: fmt.Sprintf("%d row(s) could not be read (%s)", skipped, strings.Join(parts, ", "))})
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
