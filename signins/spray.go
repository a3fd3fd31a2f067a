package signins

import (
	"cmp"
	"slices"
)

// SprayKind says which pattern a spray matched.
type SprayKind string

// Spray kinds.
const (
	// SprayBurst: one address failing against many accounts within
	// minutes (Options.SprayAccounts in Options.SprayWindow).
	SprayBurst SprayKind = "burst"
	// SprayLowAndSlow: one address failing against many accounts over a
	// day, never fast enough for the burst rule.
	SprayLowAndSlow SprayKind = "low-and-slow"
	// SprayDistributed: accounts failing from many addresses, each address
	// trying few accounts.
	SprayDistributed SprayKind = "distributed"
)

// detection is a spray found in the failure events.
type detection struct {
	kind SprayKind
	ips  []uint32
	// users are the accounts whose failures matched the rule (distributed
	// sprays only; an address spray targets every account it failed on).
	users []uint32
	peak  int
}

// detect finds the sprays. An address counts only when it failed against
// more accounts than it signed in to with an accepted password, so a
// shared office address with a few mistyped passwords is not a spray (as
// in Sentinel's rule); one person mistyping a password many times is one
// account from one address and matches no rule.
func (a *Analyzer) detect() []detection {
	ev := a.events
	failed, accepted := a.pairCounts()
	genuine := func(ip uint32) bool { return failed[ip] > accepted[ip] }

	// One address against many accounts.
	slices.SortFunc(ev, func(x, y event) int {
		return cmp.Or(cmp.Compare(x.ip, y.ip), cmp.Compare(x.t, y.t))
	})
	var out []detection
	spraying := map[uint32]bool{}
	counts := map[uint32]int{}
	for i := 0; i < len(ev); {
		j := i
		for j < len(ev) && ev[j].ip == ev[i].ip {
			j++
		}
		ip := ev[i].ip
		if genuine(ip) {
			userOf := func(e event) uint32 { return e.user }
			if peak := windowPeak(ev[i:j], int64(a.opts.SprayWindow), userOf, counts); peak >= a.opts.SprayAccounts {
				out = append(out, detection{kind: SprayBurst, ips: []uint32{ip}, peak: peak})
				spraying[ip] = true
			} else if peak := windowPeak(ev[i:j], int64(a.opts.SlowWindow), userOf, counts); peak >= a.opts.SlowAccounts {
				out = append(out, detection{kind: SprayLowAndSlow, ips: []uint32{ip}, peak: peak})
				spraying[ip] = true
			}
		}
		i = j
	}

	// One account from many addresses, among the rest.
	rest := make([]event, 0, len(ev))
	for _, e := range ev {
		if !spraying[e.ip] && genuine(e.ip) {
			rest = append(rest, e)
		}
	}
	slices.SortFunc(rest, func(x, y event) int {
		return cmp.Or(cmp.Compare(x.user, y.user), cmp.Compare(x.t, y.t))
	})
	uf := newUnionFind()
	var targets []uint32
	peaks := map[uint32]int{}
	for i := 0; i < len(rest); {
		j := i
		for j < len(rest) && rest[j].user == rest[i].user {
			j++
		}
		ipOf := func(e event) uint32 { return e.ip }
		if peak := windowPeak(rest[i:j], int64(a.opts.DistributedWindow), ipOf, counts); peak >= a.opts.DistributedAddresses {
			u := rest[i].user
			targets = append(targets, u)
			peaks[u] = peak
			for _, e := range rest[i:j] {
				uf.union(userNode(u), ipNode(e.ip))
			}
		}
		i = j
	}
	groups := map[uint64]*detection{}
	var order []uint64
	for _, u := range targets {
		root := uf.find(userNode(u))
		d := groups[root]
		if d == nil {
			d = &detection{kind: SprayDistributed}
			groups[root] = d
			order = append(order, root)
		}
		d.users = append(d.users, u)
		d.peak = max(d.peak, peaks[u])
	}
	for node := range uf.parent {
		if node&ipBit == 0 {
			continue
		}
		if d := groups[uf.find(node)]; d != nil {
			d.ips = append(d.ips, uint32(node))
		}
	}
	for _, root := range order {
		d := groups[root]
		slices.Sort(d.ips)
		out = append(out, *d)
	}
	return out
}

// pairCounts returns, per address, how many distinct accounts failed a
// password guess from it and how many had a password accepted.
func (a *Analyzer) pairCounts() (failed, accepted map[uint32]int) {
	failed, accepted = map[uint32]int{}, map[uint32]int{}
	for k, p := range a.pairs {
		ip := uint32(k >> 32)
		if p.failed > 0 {
			failed[ip]++
		}
		if p.accepted > 0 {
			accepted[ip]++
		}
	}
	return failed, accepted
}

// windowPeak returns the most distinct keys among events (sorted by time)
// within any window of the given length.
func windowPeak(ev []event, window int64, key func(event) uint32, counts map[uint32]int) int {
	clear(counts)
	peak, lo := 0, 0
	for hi := range ev {
		counts[key(ev[hi])]++
		for ev[hi].t-ev[lo].t >= window {
			k := key(ev[lo])
			if counts[k]--; counts[k] == 0 {
				delete(counts, k)
			}
			lo++
		}
		peak = max(peak, len(counts))
	}
	return peak
}

// Union-find over accounts and addresses, to group a distributed spray's
// targets by the addresses they share.
const ipBit = 1 << 32

func userNode(u uint32) uint64 { return uint64(u) }
func ipNode(ip uint32) uint64  { return uint64(ip) | ipBit }

type unionFind struct{ parent map[uint64]uint64 }

func newUnionFind() *unionFind { return &unionFind{parent: map[uint64]uint64{}} }

func (u *unionFind) find(x uint64) uint64 {
	if _, ok := u.parent[x]; !ok {
		u.parent[x] = x
		return x
	}
	r := x
	for u.parent[r] != r {
		r = u.parent[r]
	}
	for x != r {
		next := u.parent[x]
		u.parent[x] = r
		x = next
	}
	return r
}

func (u *unionFind) union(x, y uint64) {
	rx, ry := u.find(x), u.find(y)
	if rx != ry {
		u.parent[ry] = rx
	}
}
