package signins

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"Date (UTC),Username,IP address,Sign-in error code,Client app\n2026-03-04T14:00:08Z,a@b.example,192.0.2.1,50126,IMAP4\n",
	"\ufeff\"Date (UTC)\",\"Username\",\"IP address\",\"Sign-in error code\",\"Client app\",\"Status\"\r\n\"2026-03-04T14:00:08Z\",\"A@B.example\",\"192.0.2.1\",\"\",\"POP3\",\"Success\"\r\n",
	"TimeGenerated [UTC],UserPrincipalName,IPAddress,ClientAppUsed,ResultType,Status,ConditionalAccessPolicies,LocationDetails\n\"3/4/2026, 2:00:08.000 PM\",a,b,IMAP4,0,\"{\"\"errorCode\"\":0}\",\"[{\"\"displayName\"\":\"\"p\"\",\"\"result\"\":\"\"reportOnlyFailure\"\"}]\",\"{\"\"city\"\":\"\"X\"\"}\"\n",
	`{"value":[` + graphRecordJSON + `]}`,
	"[" + graphRecordJSON + "]",
	azureLine + "\n" + azureLine + "\n",
	`{"records":[` + azureLine + `]}`,
	"[" + laRecordJSON + "]",
	`[{"createdDateTime":"2026-03-04T14:00:08Z","userPrincipalName":"a","status":"{\"errorCode\":\"7\"}","location":"{\"city\":1}"}]`,
	`{"value":[{"a":1}`,
	`{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated"},{"name":"UserPrincipalName"},{"name":"ResultType"}],"rows":[["2026-03-04T14:00:08Z","a","0"],[1,2]]}]}`,
	"Date (UTC),Username\n\"unterminated",
}

// FuzzRead: any input is read or refused without a panic; every row met
// is either handed over or counted by reason; what is handed over has a
// time, a user and a code, and the analysis takes it.
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := NewAnalyzer(Options{})
		n := 0
		fi, err := Read(context.Background(), bytes.NewReader(data), "fuzz", func(s *SignIn) error {
			n++
			if s.User == "" || s.Time.IsZero() || s.ErrorCode < 0 {
				t.Fatalf("incomplete sign-in %+v", s)
			}
			a.Add(s)
			return nil
		})
		if err != nil && !errors.Is(err, ErrNotSignIns) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if n != fi.SignIns {
			t.Fatalf("%d sign-ins handed over, %d counted", n, fi.SignIns)
		}
		if err == nil && fi.Rows != fi.SignIns+sumSkipped(fi) {
			t.Fatalf("rows %d != %d sign-ins + skipped %v", fi.Rows, fi.SignIns, fi.Skipped)
		}
		r := a.Report()
		if r.SignIns+r.OutsideRange != n {
			t.Fatalf("report has %d+%d sign-ins, %d read", r.SignIns, r.OutsideRange, n)
		}
	})
}

// FuzzParseTime: a parsed time is UTC and formats back to a time that
// parses to the same instant.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-04T14:00:08Z", "2020-03-13T19:15:41.6195833Z", "2019-10-18T04:45:48.0729893-05:00",
		"3/4/2026, 2:00:08.000 PM", "2026-03-04 14:00:08", "2026-03-04T14:00:08", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := parseTime(s)
		if !ok {
			return
		}
		if tm.Location().String() != "UTC" {
			t.Fatalf("%q parsed to %s, not UTC", s, tm)
		}
		back, ok := parseTime(tm.Format("2006-01-02T15:04:05.999999999Z07:00"))
		if strings.HasPrefix(tm.Format("2006"), "-") || tm.Year() > 9999 {
			return
		}
		if !ok || !back.Equal(tm) {
			t.Fatalf("%q → %s → %s (%v)", s, tm, back, ok)
		}
	})
}
