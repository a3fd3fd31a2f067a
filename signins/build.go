package signins

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"time"
)

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
		sp := Spray{Kind: d.kind, Peak: d.peak, Window: a.window(d.kind).String(), IPs: []string{}, Targets: []string{}, Compromised: []Compromise{}, ClientApps: []string{}}
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

// window returns the window of the rule a spray kind matched.
func (a *Analyzer) window(k SprayKind) time.Duration {
	switch k {
	case SprayBurst:
		return a.opts.SprayWindow
	case SprayLowAndSlow:
		return a.opts.SlowWindow
	}
	return a.opts.DistributedWindow
}
