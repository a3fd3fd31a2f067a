package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/finding"
	"github.com/authlens/authlens/mailbox"
)

// countingSource is a sliceSource that counts the items handed out.
type countingSource struct {
	sliceSource
	read atomic.Int64
}

func (s *countingSource) Next() bool {
	ok := s.sliceSource.Next()
	if ok {
		s.read.Add(1)
	}
	return ok
}

func fakeMessages(n int) []*mailbox.Message {
	msgs := make([]*mailbox.Message, n)
	for i := range msgs {
		msgs[i] = &mailbox.Message{Location: mailbox.Location{Path: "box", Index: i + 1}, Size: 10, Data: []byte("From: a@example.com\r\n\r\nhi\r\n")}
		if i%7 == 3 {
			msgs[i].Data, msgs[i].Err = nil, fmt.Errorf("%w: test", mailbox.ErrTruncated)
		}
	}
	return msgs
}

// jitter is an Analyze that takes a varying time, so that items finish out
// of order, and panics on the messages named in panics.
func jitter(panics ...int) func(context.Context, *mailbox.Message, authlens.Options) (*authlens.Report, error) {
	return func(_ context.Context, m *mailbox.Message, opts authlens.Options) (*authlens.Report, error) {
		time.Sleep(time.Duration(m.Location.Index%5) * 100 * time.Microsecond)
		if slices.Contains(panics, m.Location.Index) {
			panic("boom")
		}
		return &authlens.Report{Source: opts.Source}, nil
	}
}

func TestRunEveryItemOnce(t *testing.T) {
	const n = 200
	for jobs := 1; jobs <= 4; jobs++ {
		for _, unordered := range []bool{false, true} {
			t.Run(fmt.Sprintf("jobs=%d/unordered=%v", jobs, unordered), func(t *testing.T) {
				var got []string
				errs := 0
				err := Run(context.Background(), &sliceSource{msgs: fakeMessages(n)}, Config{Jobs: jobs, Unordered: unordered, Analyze: jitter(10, 50)}, func(it *Item) error {
					got = append(got, it.Report.Source)
					if it.Err != nil {
						errs++
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				want := make([]string, n)
				for i := range want {
					want[i] = fmt.Sprintf("box#%d", i+1)
				}
				if unordered {
					slices.Sort(got)
					slices.Sort(want)
				}
				if !slices.Equal(got, want) {
					t.Errorf("sources differ:\n got %v\nwant %v", got, want)
				}
				if wantErrs := 29 + 2; errs != wantErrs { // i%7 == 3 below 200, and two panics
					t.Errorf("%d errors, want %d", errs, wantErrs)
				}
			})
		}
	}
}

func TestRunPanicBecomesError(t *testing.T) {
	var items []Item
	err := Run(context.Background(), &sliceSource{msgs: fakeMessages(5)}, Config{Jobs: 2, Analyze: jitter(2)}, func(it *Item) error {
		items = append(items, *it)
		return nil
	})
	if err != nil || len(items) != 5 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	if !errors.Is(items[1].Err, ErrPanic) || items[1].Report.Error == "" || ErrorKind(items[1].Err) != KindPanic {
		t.Errorf("item 2: err %v, report error %q", items[1].Err, items[1].Report.Error)
	}
	if items[0].Err != nil || items[2].Err != nil {
		t.Errorf("neighbours failed: %v, %v", items[0].Err, items[2].Err)
	}
}

// TestRunEncodeErrorBecomesErrorRecord checks that a report the encoder
// cannot render is replaced by an error record, and the scan goes on,
// whether the workers encode (as many workers as cores) or the collecting
// goroutine does (fewer), ordered or not.
func TestRunEncodeErrorBecomesErrorRecord(t *testing.T) {
	encode := func(it *Item) ([]byte, error) {
		if it.Report.Error == "" && it.Location.Index == 3 {
			return nil, errors.New("year outside of range")
		}
		return json.Marshal(it.Report)
	}
	for _, jobs := range []int{1, runtime.GOMAXPROCS(0), 2 * runtime.GOMAXPROCS(0)} {
		for _, unordered := range []bool{false, true} {
			var items []Item
			err := Run(context.Background(), &sliceSource{msgs: fakeMessages(5)}, Config{Jobs: jobs, Unordered: unordered, Analyze: jitter(), Encode: encode}, func(it *Item) error {
				items = append(items, *it)
				return nil
			})
			if err != nil || len(items) != 5 {
				t.Fatalf("jobs %d: %d items, %v", jobs, len(items), err)
			}
			slices.SortFunc(items, func(a, b Item) int { return a.Seq - b.Seq })
			bad := items[2]
			if !errors.Is(bad.Err, ErrEncode) || ErrorKind(bad.Err) != KindEncode || !strings.Contains(string(bad.Encoded), "year outside of range") {
				t.Errorf("jobs %d: item 3: err %v, record %s", jobs, bad.Err, bad.Encoded)
			}
			for i, it := range items {
				if i != 2 && (errors.Is(it.Err, ErrEncode) || len(it.Encoded) == 0) {
					t.Errorf("jobs %d: item %d: %v, %q", jobs, i+1, it.Err, it.Encoded)
				}
			}
		}
	}
}

// TestRunWindow checks that a slow message does not let the items behind
// it pile up: no more than Window items are read and not yet emitted.
func TestRunWindow(t *testing.T) {
	const window = 6
	src := &countingSource{sliceSource: sliceSource{msgs: fakeMessages(100)}}
	emitted := 0
	worst := int64(0)
	slow := func(_ context.Context, m *mailbox.Message, opts authlens.Options) (*authlens.Report, error) {
		if m.Location.Index%25 == 1 {
			time.Sleep(20 * time.Millisecond)
		}
		return &authlens.Report{Source: opts.Source}, nil
	}
	err := Run(context.Background(), src, Config{Jobs: 3, Window: window, Analyze: slow}, func(*Item) error {
		worst = max(worst, src.read.Load()-int64(emitted))
		emitted++
		return nil
	})
	if err != nil || emitted != 100 {
		t.Fatalf("%d emitted, %v", emitted, err)
	}
	if worst > window {
		t.Errorf("%d items in flight, window %d", worst, window)
	}
}

func TestRunEmitErrorStops(t *testing.T) {
	stop := errors.New("disk full")
	n := 0
	err := Run(context.Background(), &sliceSource{msgs: fakeMessages(100)}, Config{Jobs: 2, Analyze: jitter()}, func(*Item) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("err %v after %d items", err, n)
	}
}

// TestConditionErrors: unknown keys, values and finding codes are usage
// errors that list the valid ones, and a finding code typo gets a
// suggestion.
func TestConditionErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"dmarc=bogus", `unknown dmarc value "bogus"; valid: pass, fail, none, temperror, permerror, bestguesspass`},
		{"dmarc-fial", `unknown finding code "dmarc-fial" (did you mean dmarc-fail?); valid: arc-chain-broken, `},
		{"finding=spf-chnaged", `(did you mean spf-changed?)`},
		{"disposition=rejected", `valid: none, quarantine, reject`},
		{"colour=red", `unknown key "colour"`},
	}
	for _, tc := range tests {
		_, err := ParseCondition(tc.expr)
		if !errors.Is(err, ErrCondition) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want it to say %q", tc.expr, err, tc.want)
		}
	}
	if _, err := ParseCondition("unheard-of-thing"); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("a far-off code got a suggestion: %v", err)
	}
}

func TestParseCondition(t *testing.T) {
	rep := &authlens.Report{
		Verdict:  &authlens.Verdict{Status: authlens.VerdictFail},
		SPF:      &authlens.SPFVerdict{Result: "softfail"},
		DMARC:    &authlens.DMARCVerdict{Result: "fail", Policy: "reject", Disposition: "quarantine"},
		DKIM:     []authlens.DKIMVerdict{{Result: "pass"}, {Result: "fail"}},
		Findings: []finding.Finding{{Severity: finding.Medium, Code: "forged-authserv-id"}},
	}
	tests := []struct {
		expr  string
		match bool
		bad   bool
	}{
		{expr: "dmarc=fail", match: true},
		{expr: "DMARC = fail", match: true},
		{expr: "verdict=fail", match: true},
		{expr: "verdict!=pass", match: true},
		{expr: "verdict=pass|weak", match: false},
		{expr: "spf=softfail", match: true},
		{expr: "spf=fail|softfail", match: true},
		{expr: "dkim=fail", match: true},
		{expr: "dkim!=pass", match: false},
		{expr: "disposition=quarantine", match: true},
		{expr: "policy=none", match: false},
		{expr: "compauth=none", match: true},
		{expr: "forged-authserv-id", match: true},
		{expr: "finding=dkim-none", match: false},
		{expr: "finding!=dkim-none", match: true},
		{expr: "severity>=medium", match: true},
		{expr: "severity>=high", match: false},
		{expr: "severity>=urgent", bad: true},
		{expr: "colour=red", bad: true},
		{expr: "verdict=maybe", bad: true},
		{expr: "dmarc=", bad: true},
		{expr: "", bad: true},
		{expr: "dmarc=fail|", bad: true},
		{expr: "dmarc=bogus", bad: true},
		{expr: "dmarc-fial", bad: true},
		{expr: "finding=no-such-code", bad: true},
		{expr: "policy=quarantine|rejct", bad: true},
		{expr: "spf=hardfail", bad: true},
		{expr: "compauth=softpass", match: false},
		{expr: "dmarc=bestguesspass|temperror", match: false},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			c, err := ParseCondition(tc.expr)
			if tc.bad {
				if !errors.Is(err, ErrCondition) {
					t.Fatalf("err = %v, want ErrCondition", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Match(rep); got != tc.match {
				t.Errorf("Match = %v, want %v", got, tc.match)
			}
			if c.Match(&authlens.Report{Error: "unreadable"}) {
				t.Error("matches a report that could not be analysed")
			}
		})
	}
}

func TestSummary(t *testing.T) {
	var s Summary
	pass := &authlens.Report{Verdict: &authlens.Verdict{Status: authlens.VerdictPass}, From: &authlens.Identity{Domain: "a.example"}}
	fail := &authlens.Report{Verdict: &authlens.Verdict{Status: authlens.VerdictFail}, From: &authlens.Identity{Domain: "a.example"},
		DMARC: &authlens.DMARCVerdict{Result: "fail", Disposition: "reject"}, Findings: []finding.Finding{{Severity: finding.High, Code: "dmarc-fail"}}}
	items := []Item{
		{Report: pass, Size: 100, Elapsed: time.Millisecond},
		{Report: fail, Size: 300, Elapsed: 3 * time.Millisecond},
		{Report: &authlens.Report{Error: "x"}, Err: fmt.Errorf("%w: x", mailbox.ErrTooLarge), Size: 900},
		{Report: pass, Size: 200, Elapsed: 2 * time.Millisecond},
	}
	for i := range items {
		s.Add(&items[i])
	}
	if s.Found != 4 || s.Analysed != 3 || s.Errors != 1 || s.Analysed+s.Errors != s.Found {
		t.Errorf("totals %d found, %d analysed, %d errors", s.Found, s.Analysed, s.Errors)
	}
	if s.ErrorKinds[KindTooLarge] != 1 || s.Verdicts["pass"] != 2 || s.DMARC["none"] != 2 || s.Dispositions["reject"] != 1 {
		t.Errorf("counts %v %v %v %v", s.ErrorKinds, s.Verdicts, s.DMARC, s.Dispositions)
	}
	d := s.Domains()
	if len(d) != 1 || d[0].Messages != 3 || d[0].Pass != 2 || d[0].Fail != 1 || d[0].TopFailures()[0] != (Count{"dmarc-fail", 1}) {
		t.Errorf("domains %+v", d)
	}
	if l := s.Largest(); len(l) != 4 || l[0].Size != 900 || l[3].Size != 100 {
		t.Errorf("largest %+v", l)
	}
	if l := s.Slowest(); len(l) != 3 || l[0].Elapsed != 3*time.Millisecond {
		t.Errorf("slowest %+v", l)
	}
}
