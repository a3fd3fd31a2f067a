package compauth

import (
	"strings"
	"testing"
)

// FuzzParseForefront checks that ParseForefront never panics and keeps
// every non-empty segment, unknown keys included.
func FuzzParseForefront(f *testing.F) {
	for _, s := range []string{
		"CIP:185.132.181.12;CTRY:DE;LANG:en;SCL:-1;SRV:;IPV:CAL;SFV:NSPM;H:mail.example.org;PTR:mail.example.org;CAT:NONE;SFS:;DIR:INB;",
		"CIP:2001:db8::1;SFS:(13230022)\r\n (396003);DIR:OUT;SFP:1101;",
		"SFV:SPM;;garbage;ZZZ:1;SCL:x",
		"",
		";;;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseForefront(s)
		segments, unknown := 0, 0
		for _, seg := range strings.Split(strings.NewReplacer("\r\n", "", "\n", "", "\r", "").Replace(s), ";") {
			seg = strings.TrimSpace(seg)
			if seg == "" {
				continue
			}
			segments++
			k, _, _ := strings.Cut(seg, ":")
			if _, ok := forefrontKeys[strings.ToUpper(strings.TrimSpace(k))]; !ok {
				unknown++
			}
		}
		if segments == 0 {
			if r != nil || err == nil {
				t.Fatalf("no segments: got %v, %v", r, err)
			}
			return
		}
		if r == nil {
			t.Fatalf("nil report for %q (err %v)", s, err)
		}
		if len(r.Fields) != segments {
			t.Fatalf("%d fields for %d segments", len(r.Fields), segments)
		}
		gotUnknown := 0
		for _, fl := range r.Fields {
			if !fl.Known {
				gotUnknown++
				if fl.Confidence != ConfidenceUnknown {
					t.Fatalf("unknown key %q not marked unknown", fl.Key)
				}
			}
		}
		if gotUnknown != unknown {
			t.Fatalf("%d unknown keys kept, want %d", gotUnknown, unknown)
		}
	})
}
