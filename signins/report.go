package signins

import (
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
	Peak int `json:"peak"`
	// Window is the rule's window, such as "20m0s".
	Window      string       `json:"window"`
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
