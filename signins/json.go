package signins

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// jsonRecord holds the fields of a sign-in in any of the JSON layouts.
// encoding/json matches keys without regard to case, so Graph's camelCase
// (userPrincipalName) and Log Analytics' PascalCase (UserPrincipalName)
// land in the same field. Azure Monitor records carry the Graph fields in
// Properties.
type jsonRecord struct {
	CreatedDateTime   string       `json:"createdDateTime"`
	TimeGenerated     string       `json:"TimeGenerated"`
	Time              string       `json:"time"`
	UserPrincipalName string       `json:"userPrincipalName"`
	IPAddress         string       `json:"ipAddress"`
	CallerIPAddress   string       `json:"callerIpAddress"`
	ClientAppUsed     string       `json:"clientAppUsed"`
	AppDisplayName    string       `json:"appDisplayName"`
	Status            flexStatus   `json:"status"`
	ResultType        flexInt      `json:"resultType"`
	Location          flexLocation `json:"location"`
	LocationDetails   flexLocation `json:"LocationDetails"`
	UserAgent         string       `json:"userAgent"`
	AuthProtocol      string       `json:"authenticationProtocol"`
	Applied           flexPolicies `json:"appliedConditionalAccessPolicies"`
	CAPolicies        flexPolicies `json:"ConditionalAccessPolicies"`
	Category          string       `json:"category"`
	ServicePrincipal  string       `json:"servicePrincipalId"`
	Properties        *jsonRecord  `json:"properties"`
}

// format tells which JSON layout the record is in.
func (r *jsonRecord) format() Format {
	switch {
	case r.Properties != nil:
		return FormatAzureMonitor
	case r.TimeGenerated != "" || r.ResultType.set:
		return FormatLogAnalyticsJSON
	}
	return FormatGraphJSON
}

// signIn fills s from the record; it returns why the record cannot be used.
func (r *jsonRecord) signIn(s *SignIn) SkipReason {
	p := r
	if r.Properties != nil {
		p = r.Properties
	}
	// ServicePrincipalSignInLogs, MicrosoftServicePrincipalSignInLogs,
	// ManagedIdentitySignInLogs: no user signs in.
	if containsFold(r.Category, "ServicePrincipal") || containsFold(r.Category, "ManagedIdentity") {
		return SkipNotUser
	}
	ts := firstNonEmpty(p.CreatedDateTime, r.CreatedDateTime, p.TimeGenerated, r.TimeGenerated, r.Time)
	if ts == "" {
		return SkipNoTime
	}
	t, ok := parseTime(ts)
	if !ok {
		return SkipBadTime
	}
	user := strings.TrimSpace(firstNonEmpty(p.UserPrincipalName, r.UserPrincipalName))
	if user == "" {
		if p.ServicePrincipal != "" {
			return SkipNotUser
		}
		return SkipNoUser
	}
	var code int
	switch {
	case p.Status.set:
		code = p.Status.code
	case p.ResultType.set:
		code = p.ResultType.code
	case r.ResultType.set:
		code = r.ResultType.code
	default:
		return SkipBadCode
	}
	loc := firstNonEmpty(p.LocationDetails.s, p.Location.s, r.LocationDetails.s, r.Location.s)
	pol := p.Applied
	if len(pol) == 0 {
		pol = p.CAPolicies
	}
	*s = SignIn{
		Time:         t,
		User:         strings.ToLower(user),
		IP:           strings.TrimSpace(firstNonEmpty(p.IPAddress, r.CallerIPAddress)),
		ClientApp:    strings.TrimSpace(p.ClientAppUsed),
		App:          p.AppDisplayName,
		ErrorCode:    code,
		Location:     loc,
		UserAgent:    p.UserAgent,
		AuthProtocol: p.AuthProtocol,
		Policies:     append(s.Policies[:0], pol...),
	}
	return ""
}

// empty reports whether the record has none of the sign-in fields.
func (r *jsonRecord) empty() bool {
	p := r
	if r.Properties != nil {
		p = r.Properties
	}
	return firstNonEmpty(p.CreatedDateTime, r.CreatedDateTime, p.TimeGenerated, r.TimeGenerated, r.Time,
		p.UserPrincipalName, r.UserPrincipalName) == "" && !p.Status.set && !p.ResultType.set && !r.ResultType.set
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// jsonReader hands records to the callback and counts what it skips.
type jsonReader struct {
	ctx  context.Context
	fi   *FileInfo
	fn   func(*SignIn) error
	s    SignIn
	seen int
	lim  *limitRecord
}

// record decodes one record from data (nil when dec supplies it).
func (jr *jsonReader) record(rec *jsonRecord, decodeErr error) error {
	jr.seen++
	if jr.lim != nil {
		jr.lim.n = 0
	}
	if jr.seen%checkEvery == 0 {
		if err := jr.ctx.Err(); err != nil {
			return err
		}
	}
	if decodeErr != nil && jr.seen == 1 {
		return fmt.Errorf("%w: the first record is not a sign-in object (%v)", ErrNotSignIns, decodeErr)
	}
	if decodeErr != nil {
		var syn *json.SyntaxError
		if errors.As(decodeErr, &syn) {
			jr.fi.skip(SkipMalformedJSON)
			return nil
		}
		jr.fi.skip(SkipBadField)
		return nil
	}
	if jr.seen == 1 {
		if rec.empty() {
			return fmt.Errorf("%w: the first record has none of createdDateTime, TimeGenerated or time, userPrincipalName, status or resultType", ErrNotSignIns)
		}
		jr.fi.Format = rec.format()
	}
	if reason := rec.signIn(&jr.s); reason != "" {
		jr.fi.skip(reason)
		return nil
	}
	jr.fi.Rows++
	jr.fi.SignIns++
	return jr.fn(&jr.s)
}

// readJSON reads Graph pages or arrays, Azure Monitor records (one per
// line, or in a {"records": […]} envelope) and Log Analytics JSON (an
// array of rows as objects, or the query API's {"tables": […]}).
func readJSON(ctx context.Context, br *bufio.Reader, fi *FileInfo, fn func(*SignIn) error) error {
	jr := &jsonReader{ctx: ctx, fi: fi, fn: fn}
	if b, _ := br.Peek(1); len(b) == 1 && b[0] == '{' && isNDJSON(br) {
		return jr.lines(br)
	}
	lim := &limitRecord{r: br}
	dec := json.NewDecoder(lim)
	jr.lim = lim
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return jr.broken(dec, err)
		}
		switch tok {
		case json.Delim('['):
			if err := jr.array(dec); err != nil {
				return err
			}
		case json.Delim('{'):
			if err := jr.object(dec); err != nil {
				return err
			}
		default:
			return jr.broken(dec, fmt.Errorf("a %T where a record or array was expected", tok))
		}
	}
}

// broken counts the rest of the input as one malformed record.
func (jr *jsonReader) broken(dec *json.Decoder, err error) error {
	if errors.Is(err, errLineTooLong) || (jr.lim != nil && jr.lim.n > maxRecord) {
		jr.fi.skip(SkipTooLong)
	} else {
		jr.fi.skip(SkipMalformedJSON)
	}
	if jr.seen == 0 && jr.fi.Rows <= 1 {
		return fmt.Errorf("%w: not JSON records (%v)", ErrNotSignIns, err)
	}
	return fmt.Errorf("%w: JSON breaks off near byte %d (%v); the records before were read", ErrMalformed, dec.InputOffset(), err)
}

// array reads the elements of an array whose '[' was read.
func (jr *jsonReader) array(dec *json.Decoder) error {
	for dec.More() {
		var rec jsonRecord
		if err := dec.Decode(&rec); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errLineTooLong) {
				return jr.broken(dec, err)
			}
			if err := jr.record(nil, err); err != nil {
				return err
			}
			continue
		}
		if err := jr.record(&rec, nil); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return jr.broken(dec, err)
	}
	return nil
}

// object reads a top-level object whose '{' was read: a Graph page or
// records envelope (its "value" or "records" array is streamed), or one
// record on its own.
func (jr *jsonReader) object(dec *json.Decoder) error {
	fields := map[string]json.RawMessage{}
	envelope := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jr.broken(dec, err)
		}
		key, _ := tok.(string)
		if strings.EqualFold(key, "tables") {
			envelope = true
			if err := jr.tables(dec); err != nil {
				return err
			}
			continue
		}
		if strings.EqualFold(key, "value") || strings.EqualFold(key, "records") {
			if t, err := dec.Token(); err != nil {
				return jr.broken(dec, err)
			} else if t == json.Delim('[') {
				envelope = true
				if err := jr.array(dec); err != nil {
					return err
				}
				continue
			} else if t == nil {
				continue
			}
			return jr.broken(dec, fmt.Errorf("%q is not an array", key))
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jr.broken(dec, err)
		}
		jr.lim.n = 0
		if !envelope && !strings.HasPrefix(key, "@odata") {
			fields[key] = raw
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return jr.broken(dec, err)
	}
	if envelope || len(fields) == 0 {
		return nil
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return jr.record(nil, err)
	}
	var rec jsonRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return jr.record(nil, err)
	}
	return jr.record(&rec, nil)
}

// tables reads the Log Analytics query API's result, whose "tables" key
// was read: [{"name", "columns": [{"name", "type"}], "rows": [[…]]}]. Each
// row becomes a record keyed by column name.
func (jr *jsonReader) tables(dec *json.Decoder) error {
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return jr.broken(dec, fmt.Errorf("\"tables\" is not an array (%v)", err))
	}
	for dec.More() {
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return jr.broken(dec, fmt.Errorf("a table is not an object (%v)", err))
		}
		var cols []struct {
			Name string `json:"name"`
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return jr.broken(dec, err)
			}
			switch key, _ := tok.(string); {
			case strings.EqualFold(key, "columns"):
				if err := dec.Decode(&cols); err != nil {
					return jr.broken(dec, err)
				}
			case strings.EqualFold(key, "rows"):
				if err := jr.rows(dec, len(cols), func(i int) string { return cols[i].Name }); err != nil {
					return err
				}
			default:
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return jr.broken(dec, err)
				}
			}
			jr.lim.n = 0
		}
		if _, err := dec.Token(); err != nil { // '}'
			return jr.broken(dec, err)
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return jr.broken(dec, err)
	}
	return nil
}

// rows reads a table's rows (arrays of values in column order).
func (jr *jsonReader) rows(dec *json.Decoder, ncols int, name func(int) string) error {
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return jr.broken(dec, fmt.Errorf("\"rows\" is not an array (%v)", err))
	}
	if ncols == 0 && dec.More() {
		return fmt.Errorf("%w: a table has rows but no columns before them", ErrNotSignIns)
	}
	for dec.More() {
		var row []json.RawMessage
		if err := dec.Decode(&row); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errLineTooLong) {
				return jr.broken(dec, err)
			}
			if err := jr.record(nil, err); err != nil {
				return err
			}
			continue
		}
		obj := make(map[string]json.RawMessage, ncols)
		for i := 0; i < len(row) && i < ncols; i++ {
			obj[name(i)] = row[i]
		}
		var rec jsonRecord
		data, err := json.Marshal(obj)
		if err == nil {
			err = json.Unmarshal(data, &rec)
		}
		if err != nil {
			if err := jr.record(nil, err); err != nil {
				return err
			}
			continue
		}
		if err := jr.record(&rec, nil); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return jr.broken(dec, err)
	}
	return nil
}

// isNDJSON reports whether the input is one record per line: its first
// line is a whole JSON object that is not a page or records envelope.
func isNDJSON(br *bufio.Reader) bool {
	b, _ := br.Peek(br.Size())
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return false
	}
	line := bytes.TrimSpace(b[:i])
	if !json.Valid(line) {
		return false
	}
	var probe struct {
		Value   json.RawMessage `json:"value"`
		Records json.RawMessage `json:"records"`
	}
	return json.Unmarshal(line, &probe) == nil && probe.Value == nil && probe.Records == nil
}

// lines reads one record per line; a bad line is counted and skipped.
func (jr *jsonReader) lines(br *bufio.Reader) error {
	var long []byte
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(line) > maxRecord {
				jr.fi.skip(SkipTooLong)
				if err := skipLine(br); err != nil {
					return nil
				}
				long = long[:0]
				continue
			}
			long = append(long, line...)
			continue
		}
		if len(long) > 0 {
			line = append(long, line...)
			long = long[:0]
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			var rec jsonRecord
			uerr := json.Unmarshal(t, &rec)
			var syn *json.SyntaxError
			if uerr != nil && (errors.As(uerr, &syn) || t[0] != '{') {
				jr.seen++
				jr.fi.skip(SkipMalformedJSON)
			} else if uerr != nil {
				if e := jr.record(nil, uerr); e != nil {
					return e
				}
			} else if e := jr.record(&rec, nil); e != nil {
				return e
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

// flexInt reads an error code written as a number or a string.
type flexInt struct {
	code int
	set  bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		var err error
		if s, err = strconv.Unquote(s); err != nil {
			return fmt.Errorf("error code %w", err)
		}
		if strings.TrimSpace(s) == "" {
			return nil
		}
	}
	n, ok := parseCode(s)
	if !ok {
		return fmt.Errorf("error code %q is not a number", truncate(s))
	}
	f.code, f.set = n, true
	return nil
}

// flexStatus reads status{errorCode, …}: an object, or (Log Analytics) the
// same object as JSON text.
type flexStatus struct {
	code int
	set  bool
}

func (f *flexStatus) UnmarshalJSON(b []byte) error {
	b, err := unwrapText(b)
	if err != nil || b == nil {
		return err
	}
	var st struct {
		ErrorCode flexInt `json:"errorCode"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return err
	}
	f.code, f.set = st.ErrorCode.code, st.ErrorCode.set
	return nil
}

// flexLocation reads a location: Graph's {city, state, countryOrRegion},
// given as "City, State, CC" as the portal CSV writes it, or a plain
// string (a country code).
type flexLocation struct{ s string }

func (f *flexLocation) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") {
			return f.UnmarshalJSON([]byte(t))
		}
		f.s = s
		return nil
	}
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var l struct {
		City    string `json:"city"`
		State   string `json:"state"`
		Country string `json:"countryOrRegion"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	var parts []string
	for _, p := range []string{l.City, l.State, l.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	f.s = strings.Join(parts, ", ")
	return nil
}

// flexPolicies reads appliedConditionalAccessPolicies: an array, or (Log
// Analytics) the array as JSON text.
type flexPolicies []PolicyResult

func (f *flexPolicies) UnmarshalJSON(b []byte) error {
	b, err := unwrapText(b)
	if err != nil || b == nil {
		return err
	}
	var ps []struct {
		DisplayName string `json:"displayName"`
		Result      string `json:"result"`
	}
	if err := json.Unmarshal(b, &ps); err != nil {
		return err
	}
	for _, p := range ps {
		*f = append(*f, PolicyResult{Name: p.DisplayName, Result: p.Result})
	}
	return nil
}

// unwrapText returns b, or the JSON text inside b when b is a string; nil
// for null or an empty string.
func unwrapText(b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	if b[0] != '"' {
		return b, nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	return []byte(s), nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// limitRecord passes bytes through and fails once more than maxRecord
// bytes were read since the last record ended (the reader resets n), so
// one endless field or value cannot make a decoder hold the whole input.
type limitRecord struct {
	r io.Reader
	n int
}

func (l *limitRecord) Read(p []byte) (int, error) {
	if l.n > maxRecord {
		return 0, errLineTooLong
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}
