package signins

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

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
