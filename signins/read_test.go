package signins

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// readAll reads input and returns the sign-ins (copied) and the file info.
func readAll(t *testing.T, input string) ([]SignIn, FileInfo, error) {
	t.Helper()
	var out []SignIn
	fi, err := Read(context.Background(), strings.NewReader(input), "in", func(s *SignIn) error {
		c := *s
		c.Policies = append([]PolicyResult(nil), s.Policies...)
		out = append(out, c)
		return nil
	})
	if err == nil && fi.Rows != fi.SignIns+sumSkipped(fi) {
		t.Errorf("rows %d != sign-ins %d + skipped %v", fi.Rows, fi.SignIns, fi.Skipped)
	}
	return out, fi, err
}

func sumSkipped(fi FileInfo) int {
	n := 0
	for _, v := range fi.Skipped {
		n += v
	}
	return n
}

func TestPortalCSVLayouts(t *testing.T) {
	tests := []struct {
		name, input string
	}{
		{"2025 header with BOM and quirks", "\ufeff\"Date (UTC)\",\"Request ID\",\"User agent\",\"User\",\"Username\",\"Application\",\"Application ID \",\"IP address\",\"Location\",\"Status\",\"Sign-in error code\",\"Failure reason\",\"Client app\",\"Incoming token type\",\"Autonomous system  number\",\"Incoming token type\",\"Conditional Access\"\r\n" +
			"\"2026-03-04T14:00:08Z\",\"r1\",\"BAV2ROPC\",\"Adele Vance\",\"Adele.Vance@contoso.example\",\"Office 365 Exchange Online\",\"x\",\"192.0.2.77\",\"Lagos, Lagos, NG\",\"Failure\",\"50126\",\"Invalid\",\"Authenticated SMTP\",\"None\",\"1\",\"None\",\"Not applied\"\r\n"},
		{"2024 header, no Session ID, reordered", "Username,Date (UTC),Client app,IP address,Sign-in error code,Location,User agent,Application\n" +
			"adele.vance@contoso.example,2026-03-04T14:00:08Z,Authenticated SMTP,192.0.2.77,50126,\"Lagos, Lagos, NG\",BAV2ROPC,Office 365 Exchange Online\n"},
		{"Log Analytics CSV", "\ufeffTenantId,TimeGenerated [UTC],ResultType,UserPrincipalName,AppDisplayName,IPAddress,ClientAppUsed,Location,LocationDetails,Status,UserAgent,ConditionalAccessPolicies\n" +
			"t,\"3/4/2026, 2:00:08.000 PM\",50126,adele.vance@contoso.example,Office 365 Exchange Online,192.0.2.77,Authenticated SMTP,NG,\"{\"\"city\"\":\"\"Lagos\"\",\"\"state\"\":\"\"Lagos\"\",\"\"countryOrRegion\"\":\"\"NG\"\"}\",\"{\"\"errorCode\"\":50126}\",BAV2ROPC,[]\n"},
	}
	want := SignIn{Time: time.Date(2026, 3, 4, 14, 0, 8, 0, time.UTC), User: "adele.vance@contoso.example", IP: "192.0.2.77",
		ClientApp: "Authenticated SMTP", App: "Office 365 Exchange Online", ErrorCode: 50126, Location: "Lagos, Lagos, NG", UserAgent: "BAV2ROPC"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fi, err := readAll(t, tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Time != want.Time || got[0].User != want.User || got[0].IP != want.IP || got[0].ClientApp != want.ClientApp ||
				got[0].App != want.App || got[0].ErrorCode != want.ErrorCode || got[0].Location != want.Location || got[0].UserAgent != want.UserAgent {
				t.Errorf("got %+v (%+v)", got, fi)
			}
			if !got[0].Legacy() || got[0].Outcome() != OutcomeBadPassword {
				t.Errorf("legacy %v outcome %v", got[0].Legacy(), got[0].Outcome())
			}
		})
	}
}

func TestCSVOfAnotherShape(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{"localised header", "Datum (UTC),Anforderungs-ID,Benutzername,IP-Adresse,Client-App\n2026-03-04T14:00:08Z,r,a@b,192.0.2.1,IMAP4\n",
			[]string{"no column of the portal CSV", `"Datum (UTC)"`}},
		{"missing column", "Date (UTC),Username,IP address,Sign-in error code\n2026-03-04T14:00:08Z,a@b,192.0.2.1,0\n",
			[]string{`no column "Client app"`}},
		{"Log Analytics without ResultType", "TimeGenerated [UTC],UserPrincipalName,IPAddress,ClientAppUsed\nx,a,b,c\n",
			[]string{`no column "ResultType"`, "Log Analytics"}},
		{"empty", "", []string{"empty"}},
		{"audit log", "Date (UTC),Service,Category,Activity\n", []string{`no column "Username"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(t, tc.input)
			if !errors.Is(err, ErrNotSignIns) {
				t.Fatalf("err = %v, want ErrNotSignIns", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}

func TestCSVSkippedRows(t *testing.T) {
	input := "Date (UTC),Username,IP address,Sign-in error code,Client app,Status\n" +
		"2026-03-04T14:00:08Z,a@b.example,192.0.2.1,0,IMAP4,Success\n" +
		",a@b.example,192.0.2.1,0,IMAP4,Success\n" + // no time
		"yesterday,a@b.example,192.0.2.1,0,IMAP4,Success\n" + // bad time
		"2026-03-04T14:00:08Z,,192.0.2.1,0,IMAP4,Success\n" + // no user
		"2026-03-04T14:00:08Z,a@b.example,192.0.2.1,x50126,IMAP4,Failure\n" + // bad code
		"2026-03-04T14:00:08Z,a@b.example,192.0.2.1,,IMAP4,Success\n" + // empty code, Success: 0
		"2026-03-04T14:00:08Z,a@b.example\n" + // short row
		"2026-03-04T14:00:08Z,a@\"b,192.0.2.1,0,IMAP4,Success\n" + // bare quote
		"\n" +
		"2026-03-04T14:00:09Z,c@b.example,192.0.2.1,50126,IMAP4,Failure\n"
	got, fi, err := readAll(t, input)
	if err != nil {
		t.Fatal(err)
	}
	want := map[SkipReason]int{SkipNoTime: 1, SkipBadTime: 1, SkipNoUser: 1, SkipBadCode: 1, SkipShortRow: 1, SkipMalformedCSV: 1}
	if len(got) != 3 || fi.Rows != 9 || len(fi.Skipped) != len(want) {
		t.Fatalf("%d sign-ins, %d rows, skipped %v", len(got), fi.Rows, fi.Skipped)
	}
	for k, v := range want {
		if fi.Skipped[k] != v {
			t.Errorf("skipped[%s] = %d, want %d", k, fi.Skipped[k], v)
		}
	}
	if got[1].ErrorCode != 0 || got[2].User != "c@b.example" {
		t.Errorf("got %+v", got)
	}
}

const azureLine = `{"time":"2026-03-04T14:00:08.1234567Z","category":"SignInLogs","operationName":"Sign-in activity","resultType":"50126","callerIpAddress":"192.0.2.77","identity":"Adele Vance","Level":"4","location":"NG","properties":{"createdDateTime":"2026-03-04T09:00:08.1234567-05:00","userPrincipalName":"adele.vance@contoso.example","ipAddress":"192.0.2.77","clientAppUsed":"Authenticated SMTP","appDisplayName":"Office 365 Exchange Online","status":{"errorCode":50126,"failureReason":"Invalid"},"location":{"city":"Lagos","state":"Lagos","countryOrRegion":"NG","geoCoordinates":{}},"appliedConditionalAccessPolicies":[{"displayName":"Block legacy authentication","result":"reportOnlyNotApplied"}]}}`

const graphRecordJSON = `{"id":"1","createdDateTime":"2026-03-04T14:00:08Z","userPrincipalName":"Adele.Vance@contoso.example","ipAddress":"192.0.2.77","clientAppUsed":"Authenticated SMTP","appDisplayName":"Office 365 Exchange Online","status":{"errorCode":50126},"location":{"city":"Lagos","state":"Lagos","countryOrRegion":"NG"},"appliedConditionalAccessPolicies":[{"displayName":"Block legacy authentication","result":"reportOnlyNotApplied"}]}`

const laRecordJSON = `{"TimeGenerated":"2026-03-04T14:00:08Z","ResultType":"50126","UserPrincipalName":"adele.vance@contoso.example","IPAddress":"192.0.2.77","ClientAppUsed":"Authenticated SMTP","AppDisplayName":"Office 365 Exchange Online","Location":"NG","LocationDetails":"{\"city\":\"Lagos\",\"state\":\"Lagos\",\"countryOrRegion\":\"NG\"}","Status":"{\"errorCode\":50126}","ConditionalAccessPolicies":"[{\"displayName\":\"Block legacy authentication\",\"result\":\"reportOnlyNotApplied\"}]"}`

func TestJSONShapes(t *testing.T) {
	tests := []struct {
		name, input string
		format      Format
		n           int
		skipped     map[SkipReason]int
	}{
		{"Graph page", `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns","value":[` + graphRecordJSON + `,` + graphRecordJSON + `],"@odata.nextLink":"https://x"}`, FormatGraphJSON, 2, nil},
		{"Graph pages concatenated", `{"value":[` + graphRecordJSON + `]}` + "\n" + `{"value":[` + graphRecordJSON + `]}`, FormatGraphJSON, 2, nil},
		{"bare array (portal download)", "\ufeff[\n  " + graphRecordJSON + ",\n  " + graphRecordJSON + "\n]", FormatGraphJSON, 2, nil},
		{"one pretty record", strings.ReplaceAll(graphRecordJSON, ",", ",\n  "), FormatGraphJSON, 1, nil},
		{"Azure Monitor lines", azureLine + "\n" + azureLine + "\n{\"time\": broken\n" + strings.Replace(azureLine, "SignInLogs", "ServicePrincipalSignInLogs", 1) + "\n" + azureLine + "\n", FormatAzureMonitor, 3,
			map[SkipReason]int{SkipMalformedJSON: 1, SkipNotUser: 1}},
		{"Azure Monitor records", `{"records":[` + azureLine + `,` + azureLine + `]}`, FormatAzureMonitor, 2, nil},
		{"Log Analytics JSON", "[" + laRecordJSON + "," + strings.Replace(laRecordJSON, `"ResultType":"50126"`, `"ResultType":{"x":1}`, 1) + "]", FormatLogAnalyticsJSON, 1,
			map[SkipReason]int{SkipBadField: 1}},
		{"Log Analytics query API", `{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"UserPrincipalName","type":"string"},{"name":"IPAddress","type":"string"},{"name":"ClientAppUsed","type":"string"},{"name":"AppDisplayName","type":"string"},{"name":"ResultType","type":"string"},{"name":"LocationDetails","type":"dynamic"},{"name":"ConditionalAccessPolicies","type":"dynamic"}],"rows":[` +
			`["2026-03-04T14:00:08Z","adele.vance@contoso.example","192.0.2.77","Authenticated SMTP","Office 365 Exchange Online","50126","{\"city\":\"Lagos\",\"state\":\"Lagos\",\"countryOrRegion\":\"NG\"}","[{\"displayName\":\"Block legacy authentication\",\"result\":\"reportOnlyNotApplied\"}]"],` +
			`["2026-03-04T14:00:08Z","adele.vance@contoso.example","192.0.2.77","Authenticated SMTP","Office 365 Exchange Online","50126",{"city":"Lagos","state":"Lagos","countryOrRegion":"NG"},[{"displayName":"Block legacy authentication","result":"reportOnlyNotApplied"}]],` +
			`["2026-03-04T14:00:08Z",""]]}]}`, FormatLogAnalyticsJSON, 2, map[SkipReason]int{SkipNoUser: 1}},
		{"bad values", `[{"createdDateTime":"soon","userPrincipalName":"a"},{"createdDateTime":"2026-03-04T14:00:08Z"},{"createdDateTime":"2026-03-04T14:00:08Z","userPrincipalName":"a"},{"createdDateTime":"2026-03-04T14:00:08Z","userPrincipalName":"a","status":{"errorCode":"-5"}}]`, FormatGraphJSON, 0,
			map[SkipReason]int{SkipBadTime: 1, SkipNoUser: 1, SkipBadCode: 1, SkipBadField: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fi, err := readAll(t, tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Format != tc.format || len(got) != tc.n || len(fi.Skipped) != len(tc.skipped) {
				t.Fatalf("format %s, %d sign-ins, skipped %v", fi.Format, len(got), fi.Skipped)
			}
			for k, v := range tc.skipped {
				if fi.Skipped[k] != v {
					t.Errorf("skipped[%s] = %d, want %d", k, fi.Skipped[k], v)
				}
			}
			for _, s := range got {
				if s.Time != time.Date(2026, 3, 4, 14, 0, 8, 0, time.UTC) && s.Time != time.Date(2026, 3, 4, 14, 0, 8, 123456700, time.UTC) {
					t.Errorf("time %s", s.Time)
				}
				if s.User != "adele.vance@contoso.example" || s.ErrorCode != 50126 || s.Location != "Lagos, Lagos, NG" || s.ClientApp != "Authenticated SMTP" {
					t.Errorf("sign-in %+v", s)
				}
				if len(s.Policies) != 1 || s.Policies[0].Result != "reportOnlyNotApplied" {
					t.Errorf("policies %+v", s.Policies)
				}
			}
		})
	}
}

func TestJSONBroken(t *testing.T) {
	// A download cut off mid-record: the records before are read.
	got, fi, err := readAll(t, "["+graphRecordJSON+","+graphRecordJSON+`,{"createdDateTime":"2026-`)
	if !errors.Is(err, ErrMalformed) || len(got) != 2 || fi.Skipped[SkipMalformedJSON] != 1 {
		t.Errorf("err %v, %d sign-ins, skipped %v", err, len(got), fi.Skipped)
	}
	// JSON that is not a sign-in log.
	for _, in := range []string{`{"value":[{"activityDisplayName":"Add user","category":"UserManagement"}]}`, `[1,2,3]`, `{"a":`, `"text"`} {
		if _, _, err := readAll(t, in); !errors.Is(err, ErrNotSignIns) && !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v", in, err)
		}
	}
	if _, _, err := readAll(t, `{"value":[{"activityDisplayName":"Add user"}]}`); !errors.Is(err, ErrNotSignIns) || !strings.Contains(err.Error(), "createdDateTime") {
		t.Errorf("audit log: err = %v", err)
	}
}

func TestClassify(t *testing.T) {
	codes := []struct {
		code     int
		outcome  Outcome
		accepted bool
	}{
		{0, OutcomeSuccess, true}, {50126, OutcomeBadPassword, false}, {50053, OutcomeLockout, false},
		{50034, OutcomeNoAccount, false}, {50056, OutcomeNoAccount, false}, {50076, OutcomeAccepted, true},
		{50074, OutcomeAccepted, true}, {500121, OutcomeAccepted, true}, {50055, OutcomeAccepted, true},
		{53003, OutcomeBlocked, true}, {53000, OutcomeBlocked, true}, {530035, OutcomeBlockedUnknown, false},
		{50057, OutcomeFailure, false}, {70043, OutcomeFailure, false},
	}
	for _, c := range codes {
		if o := ClassifyCode(c.code); o != c.outcome || o.CredentialAccepted() != c.accepted {
			t.Errorf("ClassifyCode(%d) = %v (accepted %v)", c.code, o, o.CredentialAccepted())
		}
	}
	apps := map[string]ClientClass{
		"Browser": ClientModern, "Mobile Apps and Desktop clients": ClientModern, "Exchange ActiveSync": ClientActiveSync,
		"IMAP4": ClientOther, "AutoDiscover": ClientOther, "Autodiscover": ClientOther, "MAPI Over HTTP": ClientOther,
		"mapi over http": ClientOther, "Authenticated SMTP": ClientOther, "Other clients": ClientOther, "": ClientUnknown,
		"Something new": ClientUnknown, strings.Repeat("x", 100): ClientUnknown,
	}
	for app, want := range apps {
		if got := ClassifyClientApp(app); got != want {
			t.Errorf("ClassifyClientApp(%q) = %v, want %v", app, got, want)
		}
	}
	ropc := SignIn{ClientApp: "Mobile Apps and Desktop clients", AuthProtocol: "ROPC"}
	bav := SignIn{ClientApp: "Mobile Apps and Desktop clients", UserAgent: "BAV2ROPC"}
	if !ropc.Legacy() || !bav.Legacy() || (&SignIn{ClientApp: "Browser"}).Legacy() {
		t.Error("ROPC and BAV2ROPC are legacy; a browser is not")
	}
	for _, app := range []string{"Authenticated SMTP", "IMAP4", "POP3", "Exchange ActiveSync", "Other clients"} {
		if Advice(app) == "" {
			t.Errorf("no advice for %s", app)
		}
	}
	if !strings.Contains(Advice("Authenticated SMTP"), "relay connector") || !strings.Contains(Advice("Authenticated SMTP"), "OAuth") {
		t.Error("SMTP AUTH advice names neither a relay connector nor OAuth")
	}
}

func TestEndlessRecord(t *testing.T) {
	long := strings.Repeat("a\n", maxRecord/2+1<<20)
	for name, in := range map[string]string{
		"CSV quoted field": "Date (UTC),Username,IP address,Sign-in error code,Client app\n2026-03-04T14:00:08Z,a,b,0,IMAP4\n\"" + long,
		"JSON string":      `[{"createdDateTime":"2026-03-04T14:00:08Z","userPrincipalName":"a","status":{"errorCode":0}},{"x":"` + strings.Repeat("a", maxRecord+2<<20),
	} {
		t.Run(name, func(t *testing.T) {
			got, fi, err := readAll(t, in)
			if !errors.Is(err, ErrMalformed) || len(got) != 1 || fi.Skipped[SkipTooLong] != 1 {
				t.Errorf("err %v, %d sign-ins, skipped %v", err, len(got), fi.Skipped)
			}
		})
	}
}
