package received

import (
	"github.com/authlens/authlens/internal/testshared"
	"reflect"
	"strings"
	"testing"
	"time"
)

// chainSep separates the field values of one fuzz input.
const chainSep = "\x1e"

// maxChainFields bounds the fields of one fuzz input.
const maxChainFields = 24

// FuzzParseChain checks ParseChain on any list of Received values: it
// never panics, gives exactly one hop per field in reverse order (never
// more hops than fields), keeps each field's text and Parse error,
// computes every delay from the dates it read, names an entry hop that
// exists, and gives the same chain when called again.
func FuzzParseChain(f *testing.F) {
	vals := testshared.FieldValues(f, "Received")
	f.Add(strings.Join(vals, chainSep), int64(1770000000))
	for i := 0; i+3 <= len(vals); i += 3 {
		f.Add(strings.Join(vals[i:i+3], chainSep), int64(0))
	}
	f.Add("from a by mx.example.net; Mon, 2 Feb 2026 08:00:03 +0000"+chainSep+
		"from b by relay.example.net; Mon, 2 Feb 2026 08:00:03 +0000", int64(1770019203))
	f.Add("by a.example.com; 1 Jan 2026 00:00 +0000"+chainSep+"garbage"+chainSep+chainSep+
		"from x ([192.0.2.1]) by b.example.com with ESMTPSA; 2 Jan 2026 00:00 +0000", int64(1))
	f.Add("", int64(0))
	f.Fuzz(func(t *testing.T, s string, nowUnix int64) {
		var values []string
		if s != "" {
			values = strings.SplitN(s, chainSep, maxChainFields)
		}
		var now time.Time
		if nowUnix != 0 {
			now = time.Unix(nowUnix%(1<<40), 0)
		}
		c := ParseChain(values, now)
		if len(c.Hops) != len(values) {
			t.Fatalf("%d hops for %d fields", len(c.Hops), len(values))
		}
		var first, prev time.Time
		dated := 0
		for i, st := range c.Hops {
			v := values[len(values)-1-i]
			if st.Hop == nil || st.Hop.Raw != v {
				t.Fatalf("hop %d: raw %q, want %q", i, hopRaw(st.Hop), v)
			}
			_, err := Parse(v)
			if (err == nil) != (st.Err == nil) || (err != nil && err.Error() != st.Error) {
				t.Fatalf("hop %d: error %v (text %q), Parse gives %v", i, st.Err, st.Error, err)
			}
			d := st.Hop.Date
			if d.IsZero() {
				if st.DelayKnown {
					t.Fatalf("hop %d: delay known without a date", i)
				}
				continue
			}
			dated++
			if st.DelayKnown != (dated > 1) {
				t.Fatalf("hop %d: delay known %v after %d dated hops", i, st.DelayKnown, dated-1)
			}
			if st.DelayKnown && st.Delay != d.Sub(prev) {
				t.Fatalf("hop %d: delay %v, dates differ by %v", i, st.Delay, d.Sub(prev))
			}
			if first.IsZero() {
				first = d
			}
			prev = d
		}
		if c.TotalKnown != (dated > 1) {
			t.Fatalf("total delay known %v with %d dated hops", c.TotalKnown, dated)
		}
		if c.TotalKnown && c.TotalDelay != prev.Sub(first) {
			t.Fatalf("total delay %v, first and last dates differ by %v", c.TotalDelay, prev.Sub(first))
		}
		switch {
		case c.Entry < -1 || c.Entry >= len(c.Hops):
			t.Fatalf("entry %d of %d hops", c.Entry, len(c.Hops))
		case c.Entry >= 0 && (c.ReceiverOrg == "" || c.EntryClientIP != entryIP(c.Hops[c.Entry].Hop)):
			t.Fatalf("entry %d: receiver org %q, client IP %q, hop IP %q", c.Entry, c.ReceiverOrg, c.EntryClientIP, c.Hops[c.Entry].Hop.IP)
		case c.Entry < 0 && c.EntryClientIP != "":
			t.Fatalf("no entry but client IP %q", c.EntryClientIP)
		}
		for _, fd := range c.Findings {
			if fd.Code == "" || fd.Message == "" {
				t.Fatalf("finding without code or message: %+v", fd)
			}
		}
		if again := ParseChain(values, now); !reflect.DeepEqual(c, again) {
			t.Fatalf("second ParseChain differs:\n%+v\n%+v", c, again)
		}
	})
}

func hopRaw(h *Hop) string {
	if h == nil {
		return "<nil hop>"
	}
	return h.Raw
}

// TestParseChainTotalSameSecond: hops dated in the same second give a
// known total delay of zero, not an unknown one.
func TestParseChainTotalSameSecond(t *testing.T) {
	c := ParseChain([]string{
		"from b by mx.example.net; Mon, 2 Feb 2026 08:00:03 +0000",
		"from c by relay.example.net; Mon, 2 Feb 2026 08:00:04 +0000",
		"from a by out.example.org; Mon, 2 Feb 2026 08:00:03 +0000",
	}, time.Time{})
	if !c.TotalKnown || c.TotalDelay != 0 {
		t.Errorf("total delay %v, known %v; want 0, known", c.TotalDelay, c.TotalKnown)
	}
	c = ParseChain([]string{"by mx.example.net; Mon, 2 Feb 2026 08:00:03 +0000"}, time.Time{})
	if c.TotalKnown {
		t.Errorf("one dated hop: total delay known")
	}
}

// entryIP is the hop's client address as the chain reports it: without a
// zone, and "" for the unspecified address.
func entryIP(h *Hop) string {
	if a := h.Addr(); a.IsValid() && a.IsUnspecified() {
		return ""
	}
	ip, _, _ := strings.Cut(h.IP, "%")
	return ip
}
