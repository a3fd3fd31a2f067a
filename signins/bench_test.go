package signins_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlens/authlens/signins"
	"github.com/authlens/authlens/signins/signinstest"
)

// portalWeek returns the small generated week as one portal CSV.
func portalWeek(b *testing.B) ([]byte, int) {
	b.Helper()
	ev := signinstest.WeekOf(signinstest.Config{SprayRounds: 40})
	var buf bytes.Buffer
	if err := signinstest.WritePortalCSV(&buf, ev, false); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), len(ev)
}

// BenchmarkPortalCSV reads the same portal CSV with encoding/csv alone
// (the floor: splitting fields, nothing else) and with the whole analysis,
// in the same run, and reports the analysis's throughput as a ratio of the
// floor's (goal: at least 0.5).
func BenchmarkPortalCSV(b *testing.B) {
	data, rows := portalWeek(b)
	floor := func() time.Duration {
		st := time.Now()
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		r.FieldsPerRecord = -1
		n := 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows+1 {
			b.Fatalf("%d records", n)
		}
		return time.Since(st)
	}
	ours := func() time.Duration {
		st := time.Now()
		a := signins.NewAnalyzer(signins.Options{})
		if _, err := a.ReadFrom(context.Background(), bytes.NewReader(data), "week.csv"); err != nil {
			b.Fatal(err)
		}
		if r := a.Report(); r.SignIns != rows {
			b.Fatalf("%d sign-ins", r.SignIns)
		}
		return time.Since(st)
	}
	var tf, to time.Duration
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		tf += floor()
		to += ours()
	}
	b.ReportMetric(float64(tf)/float64(to), "ratio")
	b.ReportMetric(float64(rows*b.N)/to.Seconds(), "rows/s")
	b.ReportMetric(float64(rows*b.N)/tf.Seconds(), "floor-rows/s")
}

// rowSource writes a portal CSV of n rows on the fly, so the input itself
// takes no memory: 5 000 accounts on 20 000 addresses, one row in ten a
// wrong password, one in fifty a legacy client.
type rowSource struct {
	n, i int
	buf  []byte
	off  int
}

func (s *rowSource) Read(p []byte) (int, error) {
	if s.off == len(s.buf) {
		if s.i > s.n {
			return 0, io.EOF
		}
		s.buf, s.off = s.buf[:0], 0
		if s.i == 0 {
			s.buf = append(s.buf, "Date (UTC),Request ID,User,Username,Application,IP address,Location,Status,Sign-in error code,Client app,Conditional Access\n"...)
		}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for k := 0; k < 256 && s.i < s.n; k++ {
			i := s.i
			s.i++
			code, app := 0, "Browser"
			if i%10 == 0 {
				code = 50126
			}
			if i%50 == 1 {
				app = "IMAP4"
			}
			s.buf = start.Add(time.Duration(i)*600*time.Millisecond).AppendFormat(s.buf, "2006-01-02T15:04:05Z")
			s.buf = fmt.Appendf(s.buf, ",%08x-0000-4000-8000-000000000000,User %d,user%d@contoso.example,OfficeHome,10.%d.%d.%d,\"Redmond, Washington, US\",",
				i, i%5000, i%5000, (i*7)%20000/65536, (i*7)%20000/256%256, (i*7)%20000%256)
			s.buf = append(s.buf, "Success,"...)
			s.buf = strconv.AppendInt(s.buf, int64(code), 10)
			s.buf = append(s.buf, ',')
			s.buf = append(s.buf, app...)
			s.buf = append(s.buf, ",Not applied\n"...)
		}
		if s.i == s.n {
			s.i++
		}
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// BenchmarkMillionRows streams a million portal CSV rows through the
// analysis and reports the peak heap while it ran (goal: under ~200 MB).
func BenchmarkMillionRows(b *testing.B) {
	const rows = 1_000_000
	for b.Loop() {
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			for {
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		st := time.Now()
		a := signins.NewAnalyzer(signins.Options{})
		if _, err := a.ReadFrom(context.Background(), &rowSource{n: rows}, "million.csv"); err != nil {
			b.Fatal(err)
		}
		r := a.Report()
		el := time.Since(st)
		close(stop)
		<-done
		if r.SignIns != rows {
			b.Fatalf("%d sign-ins", r.SignIns)
		}
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		b.ReportMetric(rows/el.Seconds(), "rows/s")
	}
}
