// Package signinstest generates a synthetic week of Microsoft Entra
// sign-ins for a tenant, with known scenarios, and writes it in each
// export layout the signins package reads. Everything is deterministic:
// the same week every time.
//
// The scenarios, and what the report must say about them:
//
//   - modern traffic: 200 staff (user001…user200) and four named people
//     signing in with browsers and mobile apps from the office and home,
//     with the odd MFA prompt and mistyped password;
//   - legacy devices: a printer sending with SMTP AUTH 523 times
//     (printer.2f), a scanner (scan.reception, SMTP AUTH, 140), an old
//     Android IMAP app (lee.gu, 336 from two carrier addresses), an
//     ActiveSync phone (megan.bowen, 168), a POP3 mailbox (orders, 84) and
//     an Exchange Web Services script (alex.wilber, 28);
//   - a night-long IMAP spray from 203.0.113.66, Thursday 22:00 to Friday
//     06:00: 80 000 failures (20 000 of them lockouts) against the 200
//     staff; user017 and user081 fall (5 successes each) and user142's
//     password is accepted but Conditional Access blocks it;
//   - a short SMTP AUTH burst from 192.0.2.77 on Wednesday at 14:00: 12
//     accounts, 3 wrong passwords each;
//   - a low-and-slow POP3 spray from 198.18.7.9 on Sunday: one wrong
//     password every 50 minutes against 24 accounts;
//   - a distributed ActiveSync spray on Saturday: 32 addresses, each
//     trying 4 of 16 accounts twice; user110 falls once;
//   - a mistyping user (nestor.wilke, IMAP4 from home): 18 wrong passwords
//     and 4 lockouts, then a success;
//   - a Conditional Access block of legacy authentication that starts on
//     Thursday for a pilot group (megan.bowen, scan.reception, user142),
//     and a report-only "Block legacy authentication" policy all week.
package signinstest

import (
	"fmt"
	"slices"
	"time"

	"github.com/authlens/authlens/signins"
)

// Event is one generated sign-in with the fields the writers need beyond
// signins.SignIn.
type Event struct {
	signins.SignIn
	Interactive bool
	DisplayName string
	Seq         int // unique, for request IDs
}

// Tenant facts.
const (
	Domain = "contoso.example"
	// PilotPolicy is the enforced block, for the pilot group from
	// Thursday; ReportOnlyPolicy is the report-only one, all week.
	PilotPolicy      = "Block legacy authentication - pilot"
	ReportOnlyPolicy = "Block legacy authentication"
)

// Start is the Monday the week begins (UTC); the week ends 7 days later.
var Start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// blockStart is when the pilot block takes effect (Thursday).
var blockStart = Start.Add(3 * 24 * time.Hour)

// Addresses and places.
const (
	OfficeIP      = "198.51.100.10"
	PrinterIP     = "198.51.100.20"
	ScannerIP     = "198.51.100.21"
	MeganHomeIP   = "198.51.100.30"
	AlexScriptIP  = "198.51.100.40"
	NestorHomeIP  = "198.51.100.77"
	CarrierIP1    = "192.0.2.140"
	CarrierIP2    = "192.0.2.141"
	SprayIP       = "203.0.113.66"
	BurstIP       = "192.0.2.77"
	SlowIP        = "198.18.7.9"
	officePlace   = "Redmond, Washington, US"
	homePlace     = "Seattle, Washington, US"
	SprayPlace    = "Amsterdam, Noord-Holland, NL"
	BurstPlace    = "Lagos, Lagos, NG"
	SlowPlace     = "Sao Paulo, Sao Paulo, BR"
	exchangeApp   = "Office 365 Exchange Online"
	officeApp     = "OfficeHome"
	outlookMobile = "Microsoft Outlook"
)

// DistributedIP returns the i-th (0…31) address of the distributed spray.
func DistributedIP(i int) string { return fmt.Sprintf("100.64.10.%d", i+1) }

var distributedPlaces = []string{"Hanoi, Ha Noi, VN", "Dhaka, Dhaka, BD", "Lima, Lima, PE", "Cairo, Cairo, EG", "Quito, Pichincha, EC", "Manila, Metro Manila, PH", "Baku, Baku, AZ", "Tunis, Tunis, TN"}

// User returns the UPN of staff member n (1…200).
func User(n int) string { return fmt.Sprintf("user%03d@%s", n, Domain) }

// UPN returns a named account's UPN.
func UPN(name string) string { return name + "@" + Domain }

type gen struct {
	ev     []Event
	seq    int
	rounds int
}

func (g *gen) add(t time.Time, user, ip, place, clientApp, app string, code int, interactive bool, pol []signins.PolicyResult) {
	g.seq++
	ua := ""
	switch clientApp {
	case "Browser":
		ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
	case "Mobile Apps and Desktop clients":
		ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Outlook-iOS/4.2446.0"
	case "Authenticated SMTP":
		ua = "BAV2ROPC"
	}
	g.ev = append(g.ev, Event{
		SignIn: signins.SignIn{Time: t.UTC().Truncate(time.Second), User: user, IP: ip, ClientApp: clientApp, App: app, ErrorCode: code,
			Location: place, UserAgent: ua, Policies: pol},
		Interactive: interactive, DisplayName: displayName(user), Seq: g.seq,
	})
}

func displayName(upn string) string {
	name := upn
	for i := range upn {
		if upn[i] == '@' {
			name = upn[:i]
			break
		}
	}
	return name
}

var pilot = map[string]bool{UPN("megan.bowen"): true, UPN("scan.reception"): true, User(142): true}

// legacy adds a legacy sign-in from a device or person of the tenant,
// with the policies Conditional Access applied: the report-only block
// all week, and the pilot block from Thursday. okCode is the code when
// the password is right and nothing blocks.
func (g *gen) legacy(t time.Time, user, ip, place, clientApp string, okCode int) {
	code := okCode
	var pol []signins.PolicyResult
	if signins.ClassifyCode(okCode).CredentialAccepted() {
		pol = []signins.PolicyResult{{Name: ReportOnlyPolicy, Result: "reportOnlyFailure"}}
		if pilot[user] && !t.Before(blockStart) {
			code = 53003
			pol = append(pol, signins.PolicyResult{Name: PilotPolicy, Result: "failure"})
		} else if !t.Before(blockStart) {
			pol = append(pol, signins.PolicyResult{Name: PilotPolicy, Result: "notApplied"})
		}
	}
	g.add(t, user, ip, place, clientApp, exchangeApp, code, true, pol)
}

// Config scales the week.
type Config struct {
	// SprayRounds is how many times the night spray tries each of the 200
	// staff accounts (default 400: 80 000 failures). A quarter of the
	// tries are lockouts; user017 and user081 fall at three eighths of
	// the rounds, user142 at half.
	SprayRounds int
}

// Week returns the week's sign-ins in time order, at full scale.
func Week() []Event { return WeekOf(Config{}) }

// WeekOf returns the week's sign-ins in time order.
func WeekOf(c Config) []Event {
	if c.SprayRounds <= 0 {
		c.SprayRounds = 400
	}
	g := &gen{rounds: c.SprayRounds}
	g.modern()
	g.devices()
	g.nightSpray()
	g.smtpBurst()
	g.lowAndSlow()
	g.distributed()
	g.mistyping()
	slices.SortStableFunc(g.ev, func(a, b Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return a.Seq - b.Seq
	})
	return g.ev
}

func (g *gen) modern() {
	people := []string{UPN("nestor.wilke"), UPN("lee.gu"), UPN("megan.bowen"), UPN("alex.wilber")}
	for n := 1; n <= 200; n++ {
		people = append(people, User(n))
	}
	notApplied := []signins.PolicyResult{{Name: ReportOnlyPolicy, Result: "reportOnlyNotApplied"}}
	for d := range 7 {
		day := Start.Add(time.Duration(d) * 24 * time.Hour)
		weekend := d >= 5
		for i, u := range people {
			if weekend {
				home := fmt.Sprintf("2001:db8:1::%x", i+1)
				g.add(day.Add(10*time.Hour+time.Duration(i)*time.Minute), u, home, homePlace, "Mobile Apps and Desktop clients", outlookMobile, 0, false, notApplied)
				continue
			}
			morning := day.Add(8*time.Hour + time.Duration(i%120)*time.Minute + time.Duration(i)*time.Second)
			if (i*3+d)%11 == 0 { // a mistyped password
				g.add(morning.Add(-20*time.Second), u, OfficeIP, officePlace, "Browser", officeApp, 50126, true, nil)
			}
			if (i+d)%7 == 0 { // an MFA prompt first
				g.add(morning.Add(-5*time.Second), u, OfficeIP, officePlace, "Browser", officeApp, 50074, true, notApplied)
			}
			g.add(morning, u, OfficeIP, officePlace, "Browser", officeApp, 0, true, notApplied)
			g.add(morning.Add(4*time.Hour), u, OfficeIP, officePlace, "Mobile Apps and Desktop clients", outlookMobile, 0, false, notApplied)
			g.add(morning.Add(8*time.Hour), u, OfficeIP, officePlace, "Mobile Apps and Desktop clients", outlookMobile, 0, false, notApplied)
		}
	}
}

func (g *gen) devices() {
	week := 7 * 24 * time.Hour
	for k := range 523 { // the printer
		g.legacy(Start.Add(time.Duration(k)*week/523+37*time.Second), UPN("printer.2f"), PrinterIP, officePlace, "Authenticated SMTP", 0)
	}
	for k := range 140 { // the scanner, 20 a day
		g.legacy(Start.Add(time.Duration(k)*week/140+17*time.Minute), UPN("scan.reception"), ScannerIP, officePlace, "Authenticated SMTP", 0)
	}
	for k := range 336 { // the Android IMAP app, every 30 minutes
		ip := CarrierIP1
		if k%2 == 1 {
			ip = CarrierIP2
		}
		g.legacy(Start.Add(time.Duration(k)*30*time.Minute+11*time.Second), UPN("lee.gu"), ip, homePlace, "IMAP4", 0)
	}
	for k := range 168 { // the ActiveSync phone, hourly
		g.legacy(Start.Add(time.Duration(k)*time.Hour+23*time.Minute), UPN("megan.bowen"), MeganHomeIP, homePlace, "Exchange ActiveSync", 0)
	}
	for k := range 84 { // the POP3 mailbox, every 2 hours
		g.legacy(Start.Add(time.Duration(k)*2*time.Hour+5*time.Minute), UPN("orders"), PrinterIP, officePlace, "POP3", 0)
	}
	for k := range 28 { // the EWS script, 4 a day
		g.legacy(Start.Add(time.Duration(k)*6*time.Hour+3*time.Hour), UPN("alex.wilber"), AlexScriptIP, officePlace, "Exchange Web Services", 0)
	}
}

func (g *gen) nightSpray() {
	start := Start.Add(3*24*time.Hour + 22*time.Hour) // Thursday 22:00
	fallen := map[int]bool{17: true, 81: true}
	total := 200 * g.rounds
	for k := range total {
		n, round := k%200+1, k/200
		t := start.Add(time.Duration(k*28800/total) * time.Second)
		code := 50126
		if round%4 == 3 {
			code = 50053
		}
		g.add(t, User(n), SprayIP, SprayPlace, "IMAP4", exchangeApp, code, true, nil)
		if fallen[n] && round == g.rounds*3/8 {
			for j := range 5 {
				g.add(t.Add(time.Duration(j)*10*time.Minute), User(n), SprayIP, SprayPlace, "IMAP4", exchangeApp, 0, true,
					[]signins.PolicyResult{{Name: ReportOnlyPolicy, Result: "reportOnlyFailure"}, {Name: PilotPolicy, Result: "notApplied"}})
			}
		}
		if n == 142 && round == g.rounds/2 {
			g.legacy(t, User(n), SprayIP, SprayPlace, "IMAP4", 0)
		}
	}
}

func (g *gen) smtpBurst() {
	start := Start.Add(2*24*time.Hour + 14*time.Hour) // Wednesday 14:00
	for a := range 3 {
		for j := range 12 {
			t := start.Add(time.Duration(a*12+j) * 8 * time.Second)
			g.add(t, User(150+j), BurstIP, BurstPlace, "Authenticated SMTP", exchangeApp, 50126, true, nil)
		}
	}
}

func (g *gen) lowAndSlow() {
	start := Start.Add(6*24*time.Hour + 10*time.Minute) // Sunday 00:10
	for j := range 24 {
		g.add(start.Add(time.Duration(j)*50*time.Minute), User(30+j), SlowIP, SlowPlace, "POP3", exchangeApp, 50126, true, nil)
	}
}

func (g *gen) distributed() {
	start := Start.Add(5*24*time.Hour + 2*time.Hour) // Saturday 02:00
	for a := range 2 {
		for i := range 32 {
			for j := range 4 {
				k := i*4 + j
				user := User(100 + (i+5*j)%16)
				t := start.Add(time.Duration(a*128+k) * 4 * time.Minute)
				code := 50126
				if a == 1 && i == 11 && j == 3 { // user110 falls
					code = 0
				}
				g.add(t, user, DistributedIP(i), distributedPlaces[i%len(distributedPlaces)], "Exchange ActiveSync", exchangeApp, code, true, nil)
			}
		}
	}
}

func (g *gen) mistyping() {
	start := Start.Add(24*time.Hour + 19*time.Hour) // Tuesday 19:00
	u := UPN("nestor.wilke")
	for k := range 18 {
		g.legacy(start.Add(time.Duration(k)*time.Minute), u, NestorHomeIP, homePlace, "IMAP4", 50126)
	}
	for k := range 4 {
		g.legacy(start.Add(time.Duration(18+k)*time.Minute), u, NestorHomeIP, homePlace, "IMAP4", 50053)
	}
	g.legacy(start.Add(25*time.Minute), u, NestorHomeIP, homePlace, "IMAP4", 0)
}
