package signins

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/authlens/authlens/internal/textsafe"
)

// field is a value the analysis reads from a CSV column.
type field int

const (
	fTime field = iota
	fUser
	fIP
	fClientApp
	fApp
	fCode
	fStatus // portal: Success/Failure/Interrupted; Log Analytics: JSON
	fLocation
	fLocationDetails
	fUserAgent
	fProtocol
	fPolicies
	fCount
)

// csvLayout names the columns of one CSV layout, by field, in order of
// preference. Names are matched after trimming spaces (the portal writes
// "Application ID " with a trailing space) and ignoring case, so columns
// added over time and reordered columns do not matter.
type csvLayout struct {
	format   Format
	names    [fCount][]string
	required []field
}

var portalLayout = csvLayout{
	format: FormatPortalCSV,
	names: [fCount][]string{
		fTime:      {"Date (UTC)", "Date"},
		fUser:      {"Username", "User principal name"},
		fIP:        {"IP address"},
		fClientApp: {"Client app"},
		fApp:       {"Application"},
		fCode:      {"Sign-in error code"},
		fStatus:    {"Status"},
		fLocation:  {"Location"},
		fUserAgent: {"User agent"},
		fProtocol:  {"Authentication Protocol"},
	},
	required: []field{fTime, fUser, fIP, fClientApp, fCode},
}

var laLayout = csvLayout{
	format: FormatLogAnalyticsCSV,
	names: [fCount][]string{
		fTime:            {"CreatedDateTime", "TimeGenerated"},
		fUser:            {"UserPrincipalName"},
		fIP:              {"IPAddress"},
		fClientApp:       {"ClientAppUsed"},
		fApp:             {"AppDisplayName"},
		fCode:            {"ResultType"},
		fStatus:          {"Status"},
		fLocation:        {"Location"},
		fLocationDetails: {"LocationDetails"},
		fUserAgent:       {"UserAgent"},
		fProtocol:        {"AuthenticationProtocol"},
		fPolicies:        {"ConditionalAccessPolicies"},
	},
	required: []field{fTime, fUser, fIP, fClientApp, fCode},
}

// columnName normalises a header cell: spaces trimmed, and the " [UTC]"
// that Log Analytics appends to date columns removed.
func columnName(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	if i := strings.LastIndex(h, " ["); i > 0 && strings.HasSuffix(h, "]") {
		h = strings.TrimSpace(h[:i])
	}
	return h
}

// match finds the layout's columns in header. idx[f] is -1 for a missing
// column; n counts the fields found.
func (l *csvLayout) match(header []string) (idx [fCount]int, n int) {
	for f := range idx {
		idx[f] = -1
		for _, want := range l.names[f] {
			for i, h := range header {
				if strings.EqualFold(columnName(h), want) {
					idx[f] = i
					break
				}
			}
			if idx[f] >= 0 {
				n++
				break
			}
		}
	}
	return idx, n
}

// missingColumns explains a header that lacks required columns.
func missingColumns(l *csvLayout, idx [fCount]int, header []string) error {
	var miss []string
	for _, f := range l.required {
		if idx[f] < 0 && !(f == fCode && idx[fStatus] >= 0 && l.format == FormatLogAnalyticsCSV) {
			miss = append(miss, strconv.Quote(l.names[f][0]))
		}
	}
	if len(miss) == 0 {
		return nil
	}
	var found []string
	for i, h := range header {
		if i == 8 {
			found = append(found, "…")
			break
		}
		found = append(found, strconv.Quote(textsafe.Clean(columnName(h))))
	}
	what := "the portal CSV download"
	if l.format == FormatLogAnalyticsCSV {
		what = "a Log Analytics SigninLogs export"
	}
	return fmt.Errorf("%w: read as %s, but the header has no column %s (it starts %s); export with English column names, or from another log type",
		ErrNotSignIns, what, strings.Join(miss, ", "), strings.Join(found, ", "))
}

// readCSV reads the portal CSV or a Log Analytics CSV export.
func readCSV(ctx context.Context, br *bufio.Reader, fi *FileInfo, fn func(*SignIn) error) error {
	lim := &limitRecord{r: br}
	cr := csv.NewReader(lim)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: no header row", ErrNotSignIns)
		}
		return fmt.Errorf("%w: header row: %v", ErrNotSignIns, err)
	}
	header = append([]string(nil), header...)
	pIdx, pn := portalLayout.match(header)
	lIdx, ln := laLayout.match(header)
	layout, idx := &portalLayout, pIdx
	if ln > pn {
		layout, idx = &laLayout, lIdx
	}
	if pn == 0 && ln == 0 {
		var found []string
		for i, h := range header {
			if i == 8 {
				found = append(found, "…")
				break
			}
			found = append(found, strconv.Quote(textsafe.Clean(columnName(h))))
		}
		return fmt.Errorf("%w: no column of the portal CSV download (\"Date (UTC)\", \"Username\", \"Client app\", …) or of a Log Analytics SigninLogs export (TimeGenerated, UserPrincipalName, ClientAppUsed, …); the header starts %s",
			ErrNotSignIns, strings.Join(found, ", "))
	}
	if err := missingColumns(layout, idx, header); err != nil {
		return err
	}
	fi.Format = layout.format
	need := 0
	for _, f := range layout.required {
		need = max(need, idx[f])
	}
	var s SignIn
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := cr.Read()
		tooLong := lim.n > maxRecord
		lim.n = 0
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if tooLong || errors.Is(err, errLineTooLong) {
				fi.skip(SkipTooLong)
				return fmt.Errorf("%w: a row longer than %d bytes", ErrMalformed, maxRecord)
			}
			fi.skip(SkipMalformedCSV)
			continue
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // blank line
		}
		if len(rec) <= need {
			fi.skip(SkipShortRow)
			continue
		}
		if reason := csvSignIn(&s, rec, &idx, layout.format); reason != "" {
			fi.skip(reason)
			continue
		}
		fi.Rows++
		fi.SignIns++
		if err := fn(&s); err != nil {
			return err
		}
	}
}

// csvSignIn fills s from one row; it returns why the row cannot be used.
func csvSignIn(s *SignIn, rec []string, idx *[fCount]int, format Format) SkipReason {
	get := func(f field) string {
		if i := idx[f]; i >= 0 && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	ts := get(fTime)
	if strings.TrimSpace(ts) == "" {
		return SkipNoTime
	}
	t, ok := parseTime(ts)
	if !ok {
		return SkipBadTime
	}
	user := strings.TrimSpace(get(fUser))
	if user == "" {
		return SkipNoUser
	}
	code, ok := parseCode(get(fCode))
	if !ok {
		switch st := strings.TrimSpace(get(fStatus)); {
		case format == FormatPortalCSV && strings.EqualFold(st, "Success") && strings.TrimSpace(get(fCode)) == "":
			code, ok = 0, true
		case format == FormatLogAnalyticsCSV && st != "":
			var fs flexStatus
			if fs.UnmarshalJSON([]byte(st)) == nil && fs.set {
				code, ok = fs.code, true
			}
		}
		if !ok {
			return SkipBadCode
		}
	}
	*s = SignIn{
		Time:         t,
		User:         strings.ToLower(user),
		IP:           strings.TrimSpace(get(fIP)),
		ClientApp:    strings.TrimSpace(get(fClientApp)),
		App:          get(fApp),
		ErrorCode:    code,
		Location:     get(fLocation),
		UserAgent:    get(fUserAgent),
		AuthProtocol: get(fProtocol),
		Policies:     s.Policies[:0],
	}
	if format == FormatLogAnalyticsCSV {
		if d := get(fLocationDetails); d != "" {
			var fl flexLocation
			if fl.UnmarshalJSON([]byte(d)) == nil && fl.s != "" {
				s.Location = fl.s
			}
		}
		if p := get(fPolicies); p != "" && p != "[]" {
			var fp flexPolicies
			if fp.UnmarshalJSON([]byte(p)) == nil {
				s.Policies = append(s.Policies, fp...)
			}
		}
	}
	return ""
}

// parseCode reads an error code ("0", "50126"; Log Analytics writes
// ResultType as a string).
func parseCode(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 10 {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

var errLineTooLong = errors.New("record too long")
