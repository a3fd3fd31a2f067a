package dnsclient_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
)

// maxZoneFuzzBytes bounds a fuzzed master file, so that one input
// cannot make the loader spend its time on a huge file.
const maxZoneFuzzBytes = 16 << 10

// maxZoneFuzzOwners bounds the owner names queried per input.
const maxZoneFuzzOwners = 16

// FuzzZoneResolver checks the master-file loader and the answers built
// from it: loading never panics and fails only with ErrConfig; a name is
// answered with exactly its own records of the type asked, in file order
// (never more records than the file has); other names are NXDOMAIN or,
// above records, NODATA; CNAME chains end; and every Lookup method
// returns without panicking.
func FuzzZoneResolver(f *testing.F) {
	for _, p := range []string{filepath.Join("testdata", "example.zone"), filepath.Join("..", "testdata", "online.zone")} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "")
			f.Add(b, "example.net")
		}
	}
	for _, s := range []string{
		"$TTL 60\n@ IN TXT \"a\" \"b\"\n@ IN TXT \"c\"\nx IN CNAME @\ny IN CNAME x\nz IN CNAME z\n",
		"@ 300 IN SOA ns hm 1 2 3 4 5\n@ IN MX 10 mx\nmx IN A 192.0.2.1\nmx IN AAAA 2001:db8::1\nb.c.d IN TXT x\n",
		"1.2.0.192.in-addr.arpa. IN PTR host.example.\n@ CH TXT \"chaos\"\n@ IN TYPE16 \\# 4 03616263\n",
		"$INCLUDE /etc/passwd\n",
		"$GENERATE 1-3 h$ A 192.0.2.$\n",
		"@ IN TXT \"unterminated\n",
	} {
		f.Add([]byte(s), "example.org")
	}
	f.Fuzz(func(t *testing.T, data []byte, origin string) {
		if len(data) > maxZoneFuzzBytes {
			return
		}
		defer watchdog(10 * time.Second)()
		z, err := dnsclient.NewZoneResolver(bytes.NewReader(data), origin)
		if err != nil {
			if z != nil || !errors.Is(err, dnsclient.ErrConfig) {
				t.Fatalf("NewZoneResolver: %v, %v; want nil and ErrConfig", z, err)
			}
			return
		}
		// The records, read again, are the reference: what the file says.
		byOwner := map[string][]dns.RR{}
		exists := map[string]bool{}
		var owners []string
		zp := dns.NewZoneParser(bytes.NewReader(data), fqdnOrEmpty(origin), "zone")
		for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
			o := dns.CanonicalName(rr.Header().Name)
			if _, seen := byOwner[o]; !seen {
				owners = append(owners, o)
			}
			byOwner[o] = append(byOwner[o], rr)
			for off, end := 0, false; !end; off, end = dns.NextLabel(o, off) {
				exists[o[off:]] = true
			}
		}
		ctx := context.Background()
		for i, o := range owners {
			if i == maxZoneFuzzOwners {
				break
			}
			types := map[uint16]bool{dns.TypeTXT: true, dns.TypeA: true}
			for _, rr := range byOwner[o] {
				types[rr.Header().Rrtype] = true
			}
			plain := plainName(o)
			for qtype := range types {
				ans, err := z.Query(ctx, o, qtype)
				checkZoneAnswer(t, o, qtype, ans, err, plain, byOwner)
			}
			exerciseLookups(ctx, z, o)
			if plain {
				// A name below an owner, with no records of its own.
				child := "zz-none." + o
				if _, has := exists[dns.CanonicalName(child)]; !has && len(child) < 250 {
					if _, err := z.Query(ctx, child, dns.TypeTXT); dnsclient.Classify(err) != dnsclient.ClassNXDomain {
						t.Fatalf("%s: class %s, want nxdomain (%v)", child, dnsclient.Classify(err), err)
					}
				}
			}
		}
	})
}

// watchdog crashes the process, with every goroutine's stack, when the
// function it returns is not called within d: a fuzz input that hangs is
// then saved as a failure instead of stalling the run.
func watchdog(d time.Duration) (stop func()) {
	timer := time.AfterFunc(d, func() {
		buf := make([]byte, 1<<20)
		panic(fmt.Sprintf("input still running after %v:\n%s", d, buf[:runtime.Stack(buf, true)]))
	})
	return func() { timer.Stop() }
}

// fqdnOrEmpty returns origin made absolute, or "" for "".
func fqdnOrEmpty(origin string) string {
	if origin == "" {
		return ""
	}
	return dns.Fqdn(origin)
}

// plainName reports whether a name in presentation form reads the same
// as the literal name Query takes: printable ASCII, no escapes, lower
// case.
func plainName(o string) bool {
	for i := 0; i < len(o); i++ {
		if c := o[i]; c <= ' ' || c > '~' || strings.IndexByte(`();@"\$`, c) >= 0 || (c >= 'A' && c <= 'Z') {
			return false
		}
	}
	_, ok := dns.IsDomainName(o)
	return ok && o != "."
}

// checkZoneAnswer checks one answer of a ZoneResolver for owner o.
func checkZoneAnswer(t *testing.T, o string, qtype uint16, ans *dnsclient.Answer, err error, plain bool, byOwner map[string][]dns.RR) {
	t.Helper()
	class := dnsclient.Classify(err)
	switch {
	case err == nil && (ans == nil || ans.Class != dnsclient.ClassOK || len(ans.Records) == 0):
		t.Fatalf("%s %s: no error but answer %+v", o, dns.TypeToString[qtype], ans)
	case err != nil && ans != nil && ans.Class != class:
		t.Fatalf("%s %s: answer class %s, error class %s (%v)", o, dns.TypeToString[qtype], ans.Class, class, err)
	case ans != nil && ans.TTL < 0:
		t.Fatalf("%s %s: TTL %v", o, dns.TypeToString[qtype], ans.TTL)
	}
	if ans == nil {
		return
	}
	if len(ans.CNAMEs) > dnsclient.DefaultMaxCNAME+1 {
		t.Fatalf("%s %s: %d CNAMEs followed", o, dns.TypeToString[qtype], len(ans.CNAMEs))
	}
	for _, rr := range ans.Records {
		if h := rr.Header(); h.Rrtype != qtype || h.Class != dns.ClassINET || dns.CanonicalName(h.Name) != ans.Canonical {
			t.Fatalf("%s %s: record %v is not of the type asked at %s", o, dns.TypeToString[qtype], rr, ans.Canonical)
		}
	}
	if !plain {
		return
	}
	var want []string
	for _, rr := range byOwner[o] {
		if h := rr.Header(); h.Rrtype == qtype && h.Class == dns.ClassINET {
			want = append(want, rr.String())
		}
	}
	if len(want) == 0 {
		return // answered through a CNAME, or NODATA
	}
	var got []string
	if ans.Canonical == o {
		for _, rr := range ans.Records {
			got = append(got, rr.String())
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s %s: answer\n%s\nwant the file's records\n%s", o, dns.TypeToString[qtype], strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// zoneLookups is the Lookup method set of Client and ZoneResolver.
type zoneLookups interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
	LookupCNAME(ctx context.Context, host string) (string, error)
}

// exerciseLookups calls every Lookup method for name; each must return.
func exerciseLookups(ctx context.Context, r zoneLookups, name string) {
	_, _ = r.LookupTXT(ctx, name)
	_, _ = r.LookupMX(ctx, name)
	_, _ = r.LookupIPAddr(ctx, name)
	_, _ = r.LookupHost(ctx, name)
	_, _ = r.LookupCNAME(ctx, name)
	if ptr, ok := strings.CutSuffix(name, ".in-addr.arpa."); ok {
		labels := strings.Split(ptr, ".")
		for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
			labels[i], labels[j] = labels[j], labels[i]
		}
		_, _ = r.LookupAddr(ctx, strings.Join(labels, "."))
	}
}

// TestZoneResolverGenerateBound: $GENERATE may not blow a small file up
// into millions of records, but a modest range still loads.
func TestZoneResolverGenerateBound(t *testing.T) {
	big := strings.Repeat("$GENERATE 0-65535 h$ TXT x\n", 20)
	if _, err := dnsclient.NewZoneResolver(strings.NewReader(big), "example.org"); !errors.Is(err, dnsclient.ErrConfig) || !strings.Contains(err.Error(), "$GENERATE") {
		t.Fatalf("20 × 65536 generated records: error %v, want ErrConfig naming $GENERATE", err)
	}
	z, err := dnsclient.NewZoneResolver(strings.NewReader("$GENERATE 1-254 $.2.0.192.in-addr.arpa. PTR host-$.example.org.\n"), "example.org")
	if err != nil {
		t.Fatal(err)
	}
	names, err := z.LookupAddr(context.Background(), "192.0.2.254")
	if err != nil || len(names) != 1 || names[0] != "host-254.example.org." {
		t.Fatalf("LookupAddr = %v, %v", names, err)
	}
}
