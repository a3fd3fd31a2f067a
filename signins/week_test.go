package signins_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/authlens/authlens/signins"
	"github.com/authlens/authlens/signins/signinstest"
)

// weekDir holds a small week (the night spray at a tenth of its size) in
// every layout; fullDir holds the full week as portal CSV (see TestMain).
var weekDir, fullDir string

// smallRounds scales the night spray down for the all-layout test.
const smallRounds = 40

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "signins-week-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		weekDir, fullDir = filepath.Join(dir, "small"), filepath.Join(dir, "full")
		err = signinstest.WriteAll(weekDir, signinstest.WeekOf(signinstest.Config{SprayRounds: smallRounds}), 100000)
		if err == nil {
			err = os.MkdirAll(fullDir, 0o755)
		}
		if err == nil {
			err = writePortal(fullDir, signinstest.Week())
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// writePortal writes the week as the portal's interactive and
// non-interactive CSV files.
func writePortal(dir string, ev []signinstest.Event) error {
	var inter, non []signinstest.Event
	for _, e := range ev {
		if e.Interactive {
			inter = append(inter, e)
		} else {
			non = append(non, e)
		}
	}
	for name, part := range map[string][]signinstest.Event{"InteractiveSignIns.csv": inter, "NonInteractiveSignIns.csv": non} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		err = signinstest.WritePortalCSV(f, part, true)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// analyzeDir reads every file of a directory into one report.
func analyzeDir(t *testing.T, dir string, opts signins.Options) *signins.Report {
	t.Helper()
	a := signins.NewAnalyzer(opts)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in %s (%v)", dir, err)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.ReadFrom(context.Background(), f, filepath.Base(name))
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return a.Report()
}

const dom = "@contoso.example"

// TestWeek checks every scenario of the generated week, exactly, from
// every export layout, and that all layouts give the same report.
func TestWeek(t *testing.T) {
	var reports []string
	for _, layout := range signinstest.Layouts {
		t.Run(layout, func(t *testing.T) {
			r := analyzeDir(t, filepath.Join(weekDir, layout), signins.Options{})
			checkWeek(t, layout, r, smallNight)
			// Everything but the file list and the report-only results
			// (which the CSV layouts do not carry) must match.
			r.Files = nil
			r.Readiness.ReportOnly = nil
			b, _ := json.Marshal(r)
			reports = append(reports, string(b))
		})
	}
	for i := 1; i < len(reports); i++ {
		if reports[i] != reports[0] {
			t.Errorf("%s gives a different report from %s:\n%s\n%s", signinstest.Layouts[i], signinstest.Layouts[0], reports[i], reports[0])
		}
	}
}

// TestFullWeek checks the week at full scale (80 000 failures in the
// night spray) from the portal CSV.
func TestFullWeek(t *testing.T) {
	checkWeek(t, "portal-csv", analyzeDir(t, fullDir, signins.Options{}), fullNight)
}

// night is what depends on the night spray's size.
type night struct {
	signIns, legacy, failures, lockouts int
	last                                string
	fell                                [3]string // user017, user081, user142
	thursday, friday                    string    // legacy sign-ins and blocks
}

var (
	fullNight = night{85335, 81629, 80000, 20000, "2026-03-06 05:59:59",
		[3]string{"2026-03-06 01:00:05", "2026-03-06 01:00:28", "2026-03-06 02:00:50"}, "20182 44", "60194 45"}
	smallNight = night{13335, 9629, 8000, 2000, "2026-03-06 05:59:56",
		[3]string{"2026-03-06 01:00:57", "2026-03-06 01:04:48", "2026-03-06 02:08:27"}, "2182 44", "6194 45"}
)

func checkWeek(t *testing.T, layout string, r *signins.Report, n night) {
	t.Helper()
	const tf = "2006-01-02 15:04:05"
	t.Run("totals", func(t *testing.T) {
		if r.SignIns != n.signIns || r.LegacySignIns != n.legacy || len(r.Skipped) != 0 || r.OutsideRange != 0 {
			t.Errorf("sign_ins %d legacy %d skipped %v outside %d", r.SignIns, r.LegacySignIns, r.Skipped, r.OutsideRange)
		}
		if got := r.First.Format("2006-01-02T15:04:05Z"); got != "2026-03-02T00:00:11Z" {
			t.Errorf("first = %s", got)
		}
		if got := r.Last.Format("2006-01-02T15:04:05Z"); got != "2026-03-08T23:41:20Z" {
			t.Errorf("last = %s", got)
		}
	})
	t.Run("legacy devices and the mistyping user", func(t *testing.T) {
		// Legacy use, apart from the attacks: the devices, the mistyping
		// user, and the two accounts the pilot block caught mid-week.
		type row struct {
			user, app                                          string
			signIns, accepted, successes, blocked, failures, n int
		}
		want := []row{
			{"printer.2f", "Authenticated SMTP", 523, 523, 523, 0, 0, 1},
			{"scan.reception", "Authenticated SMTP", 140, 140, 60, 80, 80, 1},
			{"megan.bowen", "Exchange ActiveSync", 168, 168, 72, 96, 96, 1},
			{"alex.wilber", "Exchange Web Services", 28, 28, 28, 0, 0, 1},
			{"lee.gu", "IMAP4", 336, 336, 336, 0, 0, 2},
			{"nestor.wilke", "IMAP4", 23, 1, 1, 0, 22, 1},
			{"orders", "POP3", 84, 84, 84, 0, 0, 1},
		}
		if len(r.Legacy) != len(want) {
			t.Fatalf("legacy has %d rows, want %d: %+v", len(r.Legacy), len(want), r.Legacy)
		}
		for i, w := range want {
			l := r.Legacy[i]
			got := row{l.User, l.ClientApp, l.SignIns, l.Accepted, l.Successes, l.Blocked, l.Failures, len(l.IPs)}
			w.user += dom
			if got != w {
				t.Errorf("legacy[%d] = %+v, want %+v", i, got, w)
			}
		}
	})
	t.Run("sprays", func(t *testing.T) {
		// The sprays, largest first.
		type spray struct {
			kind                                                  signins.SprayKind
			ip                                                    string
			ips, users, peak, failures, successes, lockouts, comp int
			apps, first, last, location                           string
		}
		wantSprays := []spray{
			{signins.SprayBurst, signinstest.SprayIP, 1, 200, 200, n.failures, 10, n.lockouts, 3, "IMAP4", "2026-03-05 22:00:00", n.last, signinstest.SprayPlace},
			{signins.SprayDistributed, "", 32, 16, 8, 255, 1, 0, 1, "Exchange ActiveSync", "2026-03-07 02:00:00", "2026-03-07 19:00:00", "8 locations"},
			{signins.SprayBurst, signinstest.BurstIP, 1, 12, 12, 36, 0, 0, 0, "Authenticated SMTP", "2026-03-04 14:00:00", "2026-03-04 14:04:40", signinstest.BurstPlace},
			{signins.SprayLowAndSlow, signinstest.SlowIP, 1, 24, 24, 24, 0, 0, 0, "POP3", "2026-03-08 00:10:00", "2026-03-08 19:20:00", signinstest.SlowPlace},
		}
		if len(r.Sprays) != len(wantSprays) {
			t.Fatalf("%d sprays, want %d: %+v", len(r.Sprays), len(wantSprays), r.Sprays)
		}
		for i, w := range wantSprays {
			s := r.Sprays[i]
			got := spray{s.Kind, s.IP, len(s.IPs), s.Users, s.Peak, s.Failures, s.Successes, s.Lockouts, len(s.Compromised),
				fmt.Sprint(s.ClientApps[0]), s.First.Format(tf), s.Last.Format(tf), s.Location}
			if len(s.ClientApps) != 1 || got != w {
				t.Errorf("spray[%d] = %+v (apps %v), want %+v", i, got, s.ClientApps, w)
			}
			if len(s.Targets) != s.Users {
				t.Errorf("spray[%d]: %d targets for %d users", i, len(s.Targets), s.Users)
			}
		}
		if d := r.Sprays[1]; d.IPs[0] != signinstest.DistributedIP(0) || !slices.Contains(d.Targets, signinstest.User(115)) || slices.Contains(d.Targets, signinstest.User(116)) {
			t.Errorf("distributed spray: ips %v targets %v", d.IPs, d.Targets)
		}
		// The mistyping user is no spray and no victim.
		for _, s := range r.Sprays {
			if slices.Contains(s.IPs, signinstest.NestorHomeIP) || slices.Contains(s.Targets, signinstest.UPN("nestor.wilke")) {
				t.Errorf("the mistyping user is counted as a spray: %+v", s)
			}
		}
	})
	t.Run("compromised accounts", func(t *testing.T) {
		// The accounts that fell.
		type comp struct {
			user, ip, app, at string
			code, accepted    int
		}
		wantComp := []comp{
			{signinstest.User(17), signinstest.SprayIP, "IMAP4", n.fell[0], 0, 5},
			{signinstest.User(81), signinstest.SprayIP, "IMAP4", n.fell[1], 0, 5},
			{signinstest.User(142), signinstest.SprayIP, "IMAP4", n.fell[2], 53003, 1},
			{signinstest.User(110), signinstest.DistributedIP(11), "Exchange ActiveSync", "2026-03-07 13:40:00", 0, 1},
		}
		var gotComp []comp
		for _, c := range r.Compromised {
			gotComp = append(gotComp, comp{c.User, c.IP, c.ClientApp, c.At.Format(tf), c.ErrorCode, c.Accepted})
		}
		if !slices.Equal(gotComp, wantComp) {
			t.Errorf("compromised = %+v\nwant %+v", gotComp, wantComp)
		}
	})
	t.Run("readiness", func(t *testing.T) {
		// Readiness.
		var stop, blocked []string
		for _, e := range r.Readiness.WouldStop {
			stop = append(stop, fmt.Sprintf("%s %s %d", e.User, e.ClientApp, e.Successes))
		}
		for _, e := range r.Readiness.AlreadyBlocked {
			blocked = append(blocked, fmt.Sprintf("%s %s %d %s", e.User, e.ClientApp, e.Blocked, e.BlockedSince.Format(tf)))
		}
		wantStop := []string{"printer.2f" + dom + " Authenticated SMTP 523", "alex.wilber" + dom + " Exchange Web Services 28",
			"lee.gu" + dom + " IMAP4 336", "nestor.wilke" + dom + " IMAP4 1", "orders" + dom + " POP3 84"}
		wantBlocked := []string{"scan.reception" + dom + " Authenticated SMTP 80 2026-03-05 00:17:00", "megan.bowen" + dom + " Exchange ActiveSync 96 2026-03-05 00:23:00"}
		if !slices.Equal(stop, wantStop) || !slices.Equal(blocked, wantBlocked) {
			t.Errorf("would stop %q\nalready blocked %q", stop, blocked)
		}
		var advice []string
		for _, a := range r.Readiness.Advice {
			advice = append(advice, fmt.Sprintf("%s:%d", a.ClientApp, len(a.Accounts)))
			if a.Advice == "" {
				t.Errorf("no advice for %s", a.ClientApp)
			}
		}
		if !slices.Equal(advice, []string{"Authenticated SMTP:1", "Exchange Web Services:1", "IMAP4:2", "POP3:1"}) {
			t.Errorf("advice = %v", advice)
		}
		switch layout {
		case "portal-csv":
			if len(r.Readiness.ReportOnly) != 0 {
				t.Errorf("report-only results from a portal CSV: %+v", r.Readiness.ReportOnly)
			}
		default:
			if len(r.Readiness.ReportOnly) != 1 {
				t.Fatalf("report-only = %+v", r.Readiness.ReportOnly)
			}
			ro := r.Readiness.ReportOnly[0]
			if ro.Policy != signinstest.ReportOnlyPolicy || ro.WouldBlock != 1280 || ro.NotApplied != 0 || len(ro.Users) != 7 {
				t.Errorf("report-only = %+v", ro)
			}
		}
	})
	t.Run("block from Thursday", func(t *testing.T) {
		// The block taking effect on Thursday.
		var days []string
		for _, d := range r.BlocksByDay {
			days = append(days, fmt.Sprintf("%s %d %d", d.Day, d.Legacy, d.Blocked))
		}
		wantDays := []string{"2026-03-02 183 0", "2026-03-03 206 0", "2026-03-04 219 0", "2026-03-05 " + n.thursday,
			"2026-03-06 " + n.friday, "2026-03-07 439 44", "2026-03-08 206 44"}
		if !slices.Equal(days, wantDays) {
			t.Errorf("blocks by day = %q", days)
		}
	})
	t.Run("findings", func(t *testing.T) {
		codes := map[string]int{}
		for _, f := range r.Findings {
			codes[string(f.Code)]++
		}
		if codes["signins-account-compromised"] != 4 || codes["signins-password-spray"] != 4 || codes["signins-legacy-in-use"] != 1 || codes["signins-legacy-blocked"] != 1 {
			t.Errorf("findings = %v", codes)
		}
	})

}
