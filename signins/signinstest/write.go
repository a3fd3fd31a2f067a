package signinstest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authlens/authlens/signins"
)

// PortalHeader is the portal CSV download's header (57 columns, as of
// January 2025), quirks included: trailing spaces in "Application ID " and
// "Resource ID ", a double space in "Autonomous system  number", and
// "Incoming token type" twice.
var PortalHeader = []string{"Date (UTC)", "Request ID", "User agent", "Correlation ID", "User ID", "User", "Username", "User type",
	"Cross tenant access type", "Incoming token type", "Authentication Protocol", "Unique token identifier", "Original transfer method",
	"Client credential type", "Token Protection - Sign In Session", "Token Protection - Sign In Session StatusCode", "Application",
	"Application ID ", "App owner tenant ID", "Resource", "Resource ID ", "Resource tenant ID", "Resource owner tenant ID", "Home tenant ID",
	"Home tenant name", "IP address", "Location", "Status", "Sign-in error code", "Failure reason", "Client app", "Device ID", "Browser",
	"Operating System", "Compliant", "Managed", "Join Type", "Multifactor authentication result", "Multifactor authentication auth method",
	"Multifactor authentication auth detail", "Authentication requirement", "Sign-in identifier", "Session ID", "IP address (seen by resource)",
	"Through Global Secure Access", "Global Secure Access IP address", "Autonomous system  number", "Flagged for review", "Token issuer type",
	"Incoming token type", "Token issuer name", "Latency", "Conditional Access", "Managed Identity type", "Associated Resource Id",
	"Federated Token Id", "Federated Token Issuer"}

const tenantID = "4e1c2a5b-0d7f-4c1e-9a3b-5f6d7e8f9a0b"

// reasons are the failure reasons the exports write for each code.
var reasons = map[int]string{
	50126:  "Error validating credentials due to invalid username or password.",
	50053:  "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
	50074:  "Strong Authentication is required.",
	53003:  "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
	500121: "Authentication failed during strong authentication request.",
}

func (e *Event) status() string {
	switch o := e.Outcome(); {
	case o == signins.OutcomeSuccess:
		return "Success"
	case e.ErrorCode == 50074:
		return "Interrupted"
	}
	return "Failure"
}

func (e *Event) caStatus() string {
	for _, p := range e.Policies {
		switch p.Result {
		case "failure":
			return "failure"
		case "success":
			return "success"
		}
	}
	return "notApplied"
}

func (e *Event) requestID() string {
	return fmt.Sprintf("5f1e0c2a-%04x-4d3b-8e6f-%012x", e.Seq%0xffff, e.Seq)
}
func (e *Event) userID() string {
	return fmt.Sprintf("0a0b0c0d-%04x-4e5f-9a8b-%012x", len(e.User), hash(e.User))
}
func hash(s string) (h uint64) {
	for i := range len(s) {
		h = h*31 + uint64(s[i])
	}
	return h & 0xffffffffffff
}

// WritePortalCSV writes events in the portal CSV layout: every field
// quoted, times in UTC to the second, newest first (as the portal lists
// them), with a UTF-8 byte order mark when bom is set.
func WritePortalCSV(w io.Writer, events []Event, bom bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if bom {
		bw.WriteString("\ufeff")
	}
	writeQuoted(bw, PortalHeader)
	row := make([]string, len(PortalHeader))
	col := map[string]int{}
	for j, h := range PortalHeader {
		if _, dup := col[h]; !dup {
			col[h] = j
		}
	}
	set := func(name, v string) { row[col[name]] = v }
	caText := map[string]string{"notApplied": "Not applied", "success": "Success", "failure": "Failure"}
	for i := len(events) - 1; i >= 0; i-- {
		e := &events[i]
		clear(row)
		ca := caText[e.caStatus()]
		set("Date (UTC)", e.Time.Format("2006-01-02T15:04:05Z"))
		set("Request ID", e.requestID())
		set("User agent", e.UserAgent)
		set("Correlation ID", e.requestID())
		set("User ID", e.userID())
		set("User", e.DisplayName)
		set("Username", e.User)
		set("User type", "Member")
		set("Cross tenant access type", "None")
		set("Authentication Protocol", "None")
		set("Application", e.App)
		set("Home tenant ID", tenantID)
		set("IP address", e.IP)
		set("Location", e.Location)
		set("Status", e.status())
		set("Sign-in error code", strconv.Itoa(e.ErrorCode))
		set("Failure reason", reasons[e.ErrorCode])
		set("Client app", e.ClientApp)
		set("Conditional Access", ca)
		set("Autonomous system  number", "64500")
		set("Latency", "112")
		writeQuoted(bw, row)
	}
	return bw.Flush()
}

func writeQuoted(w *bufio.Writer, row []string) {
	for i, v := range row {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(v, `"`, `""`))
		w.WriteByte('"')
	}
	w.WriteString("\r\n")
}

// graphLocation is Graph's location object.
type graphLocation struct {
	City    string   `json:"city"`
	State   string   `json:"state"`
	Country string   `json:"countryOrRegion"`
	Geo     struct{} `json:"geoCoordinates"`
}

// location splits "City, State, CC" into Graph's location object.
func location(s string) graphLocation {
	p := strings.Split(s, ", ")
	for len(p) < 3 {
		p = append(p, "")
	}
	return graphLocation{City: p[0], State: p[1], Country: p[2]}
}

type graphPolicy struct {
	ID            string   `json:"id"`
	DisplayName   string   `json:"displayName"`
	GrantControls []string `json:"enforcedGrantControls"`
	Session       []string `json:"enforcedSessionControls"`
	Result        string   `json:"result"`
}

func policies(e *Event) []graphPolicy {
	out := []graphPolicy{}
	for i, p := range e.Policies {
		out = append(out, graphPolicy{ID: fmt.Sprintf("7d1a0000-0000-4000-8000-%012d", i+1), DisplayName: p.Name,
			GrantControls: []string{"Block"}, Session: []string{}, Result: p.Result})
	}
	return out
}

type graphStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     string  `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

type graphDevice struct {
	DeviceID        string `json:"deviceId"`
	OperatingSystem string `json:"operatingSystem"`
	Browser         string `json:"browser"`
	IsCompliant     bool   `json:"isCompliant"`
	IsManaged       bool   `json:"isManaged"`
	TrustType       string `json:"trustType"`
}

// graphSignIn is Graph's beta signIn resource, in the fields written.
type graphSignIn struct {
	ID                      string        `json:"id"`
	CreatedDateTime         string        `json:"createdDateTime"`
	UserDisplayName         string        `json:"userDisplayName"`
	UserPrincipalName       string        `json:"userPrincipalName"`
	UserID                  string        `json:"userId"`
	AppID                   string        `json:"appId"`
	AppDisplayName          string        `json:"appDisplayName"`
	IPAddress               string        `json:"ipAddress"`
	ClientAppUsed           string        `json:"clientAppUsed"`
	UserAgent               string        `json:"userAgent"`
	CorrelationID           string        `json:"correlationId"`
	ConditionalAccessStatus string        `json:"conditionalAccessStatus"`
	IsInteractive           bool          `json:"isInteractive"`
	Status                  graphStatus   `json:"status"`
	Location                graphLocation `json:"location"`
	DeviceDetail            graphDevice   `json:"deviceDetail"`
	Applied                 []graphPolicy `json:"appliedConditionalAccessPolicies"`
	RiskLevelAggregated     string        `json:"riskLevelAggregated"`
	RiskState               string        `json:"riskState"`
	UserType                string        `json:"userType,omitempty"`
}

// graphRecord renders an event as Graph's beta signIn resource.
func graphRecord(e *Event) *graphSignIn {
	return &graphSignIn{
		ID: e.requestID(), CreatedDateTime: e.Time.Format(time.RFC3339), UserDisplayName: e.DisplayName,
		UserPrincipalName: e.User, UserID: e.userID(), AppID: "00000002-0000-0ff1-ce00-000000000000", AppDisplayName: e.App,
		IPAddress: e.IP, ClientAppUsed: e.ClientApp, UserAgent: e.UserAgent, CorrelationID: e.requestID(),
		ConditionalAccessStatus: e.caStatus(), IsInteractive: e.Interactive,
		Status:   graphStatus{ErrorCode: e.ErrorCode, FailureReason: orOther(reasons[e.ErrorCode], e.ErrorCode)},
		Location: location(e.Location), Applied: policies(e), RiskLevelAggregated: "hidden", RiskState: "none",
	}
}

func orOther(reason string, code int) string {
	if code == 0 {
		return "Other."
	}
	return reason
}

// WriteGraphPages writes events as Graph {"value": […]} pages of at most
// perPage records, newest first, into dir as signins-page-NNNN.json, each
// page linking to the next as @odata.nextLink does.
func WriteGraphPages(dir string, events []Event, perPage int) error {
	var page []*graphSignIn
	n := 0
	flush := func(last bool) error {
		if len(page) == 0 {
			return nil
		}
		n++
		env := map[string]any{"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns", "value": page}
		if !last {
			env["@odata.nextLink"] = fmt.Sprintf("https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=%d", n)
		}
		err := writeJSONFile(filepath.Join(dir, fmt.Sprintf("signins-page-%04d.json", n)), env)
		page = page[:0]
		return err
	}
	for i := len(events) - 1; i >= 0; i-- {
		page = append(page, graphRecord(&events[i]))
		if len(page) == perPage {
			if err := flush(i == 0); err != nil {
				return err
			}
		}
	}
	return flush(true)
}

func writeJSONFile(name string, v any) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// azureSignIn is an Azure Monitor (diagnostic settings) sign-in record.
type azureSignIn struct {
	Time              string       `json:"time"`
	ResourceID        string       `json:"resourceId"`
	OperationName     string       `json:"operationName"`
	OperationVersion  string       `json:"operationVersion"`
	Category          string       `json:"category"`
	TenantID          string       `json:"tenantId"`
	ResultType        string       `json:"resultType"`
	ResultSignature   string       `json:"resultSignature"`
	ResultDescription string       `json:"resultDescription"`
	DurationMs        int          `json:"durationMs"`
	CallerIPAddress   string       `json:"callerIpAddress"`
	CorrelationID     string       `json:"correlationId"`
	Identity          string       `json:"identity"`
	Level             int          `json:"Level"`
	Location          string       `json:"location"`
	Properties        *graphSignIn `json:"properties"`
}

// azureRecord renders an event as an Azure Monitor record.
func azureRecord(e *Event) *azureSignIn {
	cat := "SignInLogs"
	if !e.Interactive {
		cat = "NonInteractiveUserSignInLogs"
	}
	props := graphRecord(e)
	props.UserType = "Member"
	return &azureSignIn{
		Time: e.Time.Format("2006-01-02T15:04:05.0000000Z"), ResourceID: "/tenants/" + tenantID + "/providers/Microsoft.aadiam",
		OperationName: "Sign-in activity", OperationVersion: "1.0", Category: cat, TenantID: tenantID,
		ResultType: strconv.Itoa(e.ErrorCode), ResultSignature: "None", ResultDescription: reasons[e.ErrorCode],
		CallerIPAddress: e.IP, CorrelationID: e.requestID(), Identity: e.DisplayName, Level: 4,
		Location: location(e.Location).Country, Properties: props,
	}
}

// WriteAzureMonitor writes events as Azure Monitor records, one file per
// UTC day in time order: even days one record per line, odd days in a
// {"records": […]} envelope as a storage account holds them.
func WriteAzureMonitor(dir string, events []Event) error {
	byDay := map[string][]*azureSignIn{}
	var days []string
	for i := range events {
		d := events[i].Time.Format("2006-01-02")
		if _, ok := byDay[d]; !ok {
			days = append(days, d)
		}
		byDay[d] = append(byDay[d], azureRecord(&events[i]))
	}
	for k, d := range days {
		name := filepath.Join(dir, "signinlogs-"+d+".json")
		if k%2 == 1 {
			if err := writeJSONFile(name, map[string]any{"records": byDay[d]}); err != nil {
				return err
			}
			continue
		}
		f, err := os.Create(name)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 64<<10)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		for _, r := range byDay[d] {
			if err := enc.Encode(r); err != nil {
				f.Close()
				return err
			}
		}
		if err := bw.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// laColumns are the SigninLogs columns the Log Analytics writers emit.
var laColumns = []string{"TenantId", "TimeGenerated [UTC]", "ResultType", "ResultDescription", "CreatedDateTime [UTC]", "UserPrincipalName",
	"UserDisplayName", "UserId", "AppDisplayName", "IPAddress", "ClientAppUsed", "ConditionalAccessStatus", "ConditionalAccessPolicies",
	"Location", "LocationDetails", "Status", "UserAgent", "IsInteractive", "Category", "Type"}

func laRow(e *Event, csvTime bool) []any {
	pol, _ := json.Marshal(policies(e))
	loc, _ := json.Marshal(location(e.Location))
	st, _ := json.Marshal(graphStatus{ErrorCode: e.ErrorCode, FailureReason: orOther(reasons[e.ErrorCode], e.ErrorCode)})
	ts := e.Time.Format("2006-01-02T15:04:05Z")
	if csvTime {
		ts = e.Time.Format("1/2/2006, 3:04:05.000 PM")
	}
	cat, typ := "SignInLogs", "SigninLogs"
	if !e.Interactive {
		cat, typ = "NonInteractiveUserSignInLogs", "AADNonInteractiveUserSignInLogs"
	}
	return []any{tenantID, ts, strconv.Itoa(e.ErrorCode), reasons[e.ErrorCode], ts, e.User, e.DisplayName, e.userID(), e.App, e.IP,
		e.ClientApp, e.caStatus(), string(pol), location(e.Location).Country, string(loc), string(st), e.UserAgent,
		strconv.FormatBool(e.Interactive), cat, typ}
}

// WriteLogAnalyticsCSV writes events as a Log Analytics query export
// (SigninLogs and AADNonInteractiveUserSignInLogs), dynamic columns as
// JSON text, dates as the Log Analytics portal writes them.
func WriteLogAnalyticsCSV(w io.Writer, events []Event) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff")
	writeQuoted(bw, laColumns)
	row := make([]string, len(laColumns))
	for i := range events {
		for j, v := range laRow(&events[i], true) {
			row[j] = fmt.Sprint(v)
		}
		writeQuoted(bw, row)
	}
	return bw.Flush()
}

// WriteLogAnalyticsJSON writes events as a Log Analytics JSON export: an
// array of objects, dynamic columns as JSON text.
func WriteLogAnalyticsJSON(w io.Writer, events []Event) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[")
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range events {
		if i > 0 {
			bw.WriteString(",")
		}
		obj := map[string]any{}
		for j, v := range laRow(&events[i], false) {
			name := laColumns[j]
			if k := strings.Index(name, " ["); k > 0 {
				name = name[:k]
			}
			obj[name] = v
		}
		if err := enc.Encode(obj); err != nil {
			return err
		}
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// Layouts are the directories WriteAll creates, one per export layout.
var Layouts = []string{"portal-csv", "graph-json", "azure-monitor", "log-analytics-csv", "log-analytics-json"}

// WriteAll writes events in every layout under dir: portal-csv/
// (interactive and non-interactive files, split at maxRows rows each as
// the portal does at 100 000), graph-json/, azure-monitor/,
// log-analytics-csv/ and log-analytics-json/.
func WriteAll(dir string, events []Event, maxRows int) error {
	for _, l := range Layouts {
		if err := os.MkdirAll(filepath.Join(dir, l), 0o755); err != nil {
			return err
		}
	}
	var inter, non []Event
	for _, e := range events {
		if e.Interactive {
			inter = append(inter, e)
		} else {
			non = append(non, e)
		}
	}
	span := Start.Format("2006-01-02") + "_" + Start.Add(7*24*time.Hour).Format("2006-01-02")
	for _, part := range []struct {
		prefix string
		ev     []Event
		bom    bool
	}{{"InteractiveSignIns_", inter, true}, {"NonInteractiveSignIns_", non, false}} {
		for k := 0; k*maxRows < len(part.ev); k++ {
			chunk := part.ev[k*maxRows : min(len(part.ev), (k+1)*maxRows)]
			name := part.prefix + span + ".csv"
			if k > 0 {
				name = fmt.Sprintf("%s%s_%d.csv", part.prefix, span, k+1)
			}
			if err := writeFile(filepath.Join(dir, "portal-csv", name), func(w io.Writer) error { return WritePortalCSV(w, chunk, part.bom) }); err != nil {
				return err
			}
		}
	}
	jobs := []func() error{
		func() error { return WriteGraphPages(filepath.Join(dir, "graph-json"), events, 1000) },
		func() error { return WriteAzureMonitor(filepath.Join(dir, "azure-monitor"), events) },
		func() error {
			return writeFile(filepath.Join(dir, "log-analytics-csv", "query_data.csv"), func(w io.Writer) error { return WriteLogAnalyticsCSV(w, events) })
		},
		func() error {
			return writeFile(filepath.Join(dir, "log-analytics-json", "query_data.json"), func(w io.Writer) error { return WriteLogAnalyticsJSON(w, events) })
		},
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { errs[i] = job() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
