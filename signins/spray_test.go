package signins

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func signIn(at time.Duration, user, ip, app string, code int) *SignIn {
	return &SignIn{Time: t0.Add(at), User: user, IP: ip, ClientApp: app, ErrorCode: code}
}

func TestNotASpray(t *testing.T) {
	a := NewAnalyzer(Options{})
	// One person mistyping a password 40 times, locked out, then in.
	for k := range 40 {
		code := 50126
		if k%4 == 3 {
			code = 50053
		}
		a.Add(signIn(time.Duration(k)*20*time.Second, "nestor@x.example", "198.51.100.77", "Browser", code))
	}
	a.Add(signIn(15*time.Minute, "nestor@x.example", "198.51.100.77", "Browser", 0))
	// An office address: 8 people mistype within 10 minutes, 30 sign in.
	for k := range 30 {
		u := fmt.Sprintf("staff%02d@x.example", k)
		if k < 8 {
			a.Add(signIn(time.Hour+time.Duration(k)*time.Minute, u, "198.51.100.10", "Browser", 50126))
		}
		a.Add(signIn(time.Hour+time.Duration(k)*time.Minute+30*time.Second, u, "198.51.100.10", "Browser", 0))
	}
	// A traveller failing once from each of 6 addresses, then signing in
	// from each.
	for k := range 6 {
		ip := fmt.Sprintf("192.0.2.%d", 10+k)
		a.Add(signIn(2*time.Hour+time.Duration(k)*time.Minute, "trav@x.example", ip, "Browser", 50126))
		a.Add(signIn(2*time.Hour+time.Duration(k)*time.Minute+time.Second, "trav@x.example", ip, "Browser", 0))
	}
	r := a.Report()
	if len(r.Sprays) != 0 || len(r.Compromised) != 0 {
		t.Errorf("sprays %+v", r.Sprays)
	}
}

func TestSprayRules(t *testing.T) {
	burst := func(a *Analyzer, n int, gap time.Duration) {
		for k := range n {
			a.Add(signIn(time.Duration(k)*gap, fmt.Sprintf("u%02d@x.example", k), "203.0.113.9", "IMAP4", 50126))
		}
	}
	tests := []struct {
		name  string
		opts  Options
		add   func(*Analyzer)
		kinds []SprayKind
	}{
		{"5 accounts in 20 minutes", Options{}, func(a *Analyzer) { burst(a, 5, 4*time.Minute) }, []SprayKind{SprayBurst}},
		{"4 accounts in 20 minutes", Options{}, func(a *Analyzer) { burst(a, 4, 4*time.Minute) }, nil},
		{"5 accounts over 25 minutes", Options{}, func(a *Analyzer) { burst(a, 5, 6*time.Minute+time.Second) }, nil},
		{"tuned: 4 accounts", Options{SprayAccounts: 4}, func(a *Analyzer) { burst(a, 4, 4*time.Minute) }, []SprayKind{SprayBurst}},
		{"tuned: 1 hour window", Options{SprayWindow: time.Hour}, func(a *Analyzer) { burst(a, 5, 10*time.Minute) }, []SprayKind{SprayBurst}},
		{"low and slow: 10 accounts in a day", Options{}, func(a *Analyzer) { burst(a, 10, 2*time.Hour) }, []SprayKind{SprayLowAndSlow}},
		{"low and slow: 9 accounts in a day", Options{}, func(a *Analyzer) { burst(a, 9, 2*time.Hour) }, nil},
		{"distributed: 5 addresses", Options{}, func(a *Analyzer) {
			for k := range 5 {
				a.Add(signIn(time.Duration(k)*time.Hour, "target@x.example", fmt.Sprintf("100.64.0.%d", k), "POP3", 50126))
			}
		}, []SprayKind{SprayDistributed}},
		{"distributed: 4 addresses", Options{}, func(a *Analyzer) {
			for k := range 4 {
				a.Add(signIn(time.Duration(k)*time.Hour, "target@x.example", fmt.Sprintf("100.64.0.%d", k), "POP3", 50126))
			}
		}, nil},
		{"no address", Options{}, func(a *Analyzer) {
			for k := range 20 {
				a.Add(signIn(time.Duration(k)*time.Second, fmt.Sprintf("u%02d@x.example", k), "", "IMAP4", 50126))
			}
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := NewAnalyzer(tc.opts)
			tc.add(a)
			r := a.Report()
			if len(r.Sprays) != len(tc.kinds) {
				t.Fatalf("sprays %+v, want %v", r.Sprays, tc.kinds)
			}
			for i, k := range tc.kinds {
				if r.Sprays[i].Kind != k {
					t.Errorf("spray %d is %s, want %s", i, r.Sprays[i].Kind, k)
				}
			}
		})
	}
}

func TestCompromisedAndKeptApart(t *testing.T) {
	a := NewAnalyzer(Options{})
	// The victim's own phone, IMAP from home, all week.
	for k := range 10 {
		a.Add(signIn(time.Duration(k)*time.Hour, "victim@x.example", "198.51.100.5", "IMAP4", 0))
	}
	// The spray: 6 accounts, the victim's password accepted with MFA
	// required (50076), another blocked by Conditional Access.
	for k := range 6 {
		a.Add(signIn(time.Duration(k)*time.Minute, fmt.Sprintf("u%d@x.example", k), "203.0.113.9", "IMAP4", 50126))
	}
	a.Add(signIn(10*time.Minute, "victim@x.example", "203.0.113.9", "IMAP4", 50126))
	a.Add(signIn(11*time.Minute, "victim@x.example", "203.0.113.9", "IMAP4", 50076))
	a.Add(signIn(12*time.Minute, "u1@x.example", "203.0.113.9", "IMAP4", 53003))
	r := a.Report()
	if len(r.Sprays) != 1 || len(r.Compromised) != 2 || r.Compromised[0].User != "victim@x.example" || r.Compromised[0].ErrorCode != 50076 || r.Compromised[1].ErrorCode != 53003 {
		t.Fatalf("sprays %+v compromised %+v", r.Sprays, r.Compromised)
	}
	if s := r.Sprays[0]; s.Failures != 7 || s.Successes != 0 || s.Users != 7 {
		t.Errorf("spray %+v", s)
	}
	// The legacy table holds only the phone.
	if len(r.Legacy) != 1 || r.Legacy[0].SignIns != 10 || len(r.Legacy[0].IPs) != 1 || r.Legacy[0].IPs[0] != "198.51.100.5" {
		t.Errorf("legacy %+v", r.Legacy)
	}
}

func TestSinceUntil(t *testing.T) {
	a := NewAnalyzer(Options{Since: t0.Add(time.Hour), Until: t0.Add(2 * time.Hour)})
	for k := range 4 {
		a.Add(signIn(time.Duration(k)*40*time.Minute, "u@x.example", "192.0.2.1", "POP3", 0))
	}
	r := a.Report()
	if r.SignIns != 1 || r.OutsideRange != 3 || !r.First.Equal(t0.Add(80*time.Minute)) {
		t.Errorf("sign-ins %d outside %d first %s", r.SignIns, r.OutsideRange, r.First)
	}
}

func TestReportEmptyAndWide(t *testing.T) {
	r := NewAnalyzer(Options{}).Report()
	if r.SignIns != 0 || r.Legacy == nil || r.Sprays == nil || r.BlocksByDay == nil || r.Findings == nil {
		t.Errorf("empty report %+v", r)
	}
	// Dates centuries apart: blocks_by_day lists only the days with
	// legacy traffic; dates outside 1970–2199 are left out.
	a := NewAnalyzer(Options{})
	a.Add(&SignIn{Time: time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC), User: "a", IP: "1", ClientApp: "IMAP4"})
	a.Add(&SignIn{Time: time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC), User: "a", IP: "1", ClientApp: "IMAP4", ErrorCode: 53003})
	a.Add(&SignIn{Time: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC), User: "a", IP: "1", ClientApp: "IMAP4"})
	a.Add(&SignIn{Time: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), User: "a", IP: "1", ClientApp: "IMAP4"})
	if r := a.Report(); len(r.BlocksByDay) != 2 || r.BlocksByDay[0].Day != "1971-01-01" || r.BlocksByDay[1].Blocked != 1 || r.OutsideRange != 2 {
		t.Errorf("blocks by day %+v, outside %d", r.BlocksByDay, r.OutsideRange)
	}
}
