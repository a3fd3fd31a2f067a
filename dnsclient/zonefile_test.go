package dnsclient_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/authlens/authlens/dnsclient"
)

func TestZoneResolver(t *testing.T) {
	z, err := dnsclient.LoadZoneFile("testdata/example.zone", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func() (any, error)
		want  any
		class dnsclient.Class
	}{
		{"txt", func() (any, error) { return z.LookupTXT(ctx, "EXAMPLE.org") }, []string{"v=spf1 a mx -all"}, dnsclient.ClassOK},
		{"dmarc", func() (any, error) { return z.LookupTXT(ctx, "_dmarc.example.org.") }, []string{"v=DMARC1; p=reject"}, dnsclient.ClassOK},
		{"cname", func() (any, error) { return z.LookupTXT(ctx, "www.example.org") }, []string{"v=spf1 a mx -all"}, dnsclient.ClassOK},
		{"mx", func() (any, error) {
			mx, err := z.LookupMX(ctx, "example.org")
			var s []string
			for _, m := range mx {
				s = append(s, m.Host)
			}
			return s, err
		}, []string{"mx1.example.org.", "mx2.example.org."}, dnsclient.ClassOK},
		{"ipaddr", func() (any, error) { return z.LookupHost(ctx, "example.org") }, []string{"192.0.2.10", "2001:db8::10"}, dnsclient.ClassOK},
		{"ptr", func() (any, error) { return z.LookupAddr(ctx, "192.0.2.10") }, []string{"example.org."}, dnsclient.ClassOK},
		{"nxdomain", func() (any, error) { return z.LookupTXT(ctx, "absent.example.org") }, nil, dnsclient.ClassNXDomain},
		{"nodata", func() (any, error) { return z.LookupMX(ctx, "_dmarc.example.org") }, nil, dnsclient.ClassNoData},
		{"empty non-terminal", func() (any, error) { return z.LookupTXT(ctx, "_domainkey.mail.example.org") }, nil, dnsclient.ClassNoData},
		{"loop", func() (any, error) { return z.LookupTXT(ctx, "loop1.example.org") }, nil, dnsclient.ClassError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.call()
			if c := dnsclient.Classify(err); c != tc.class {
				t.Fatalf("Expected %s, got %s (%v)", tc.class, c, err)
			}
			if err == nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Expected %q, got %q", tc.want, got)
			}
		})
	}
	t.Run("negative ttl and transcript", func(t *testing.T) {
		tctx, tr := dnsclient.WithTranscript(ctx)
		ans, err := z.Query(tctx, "absent.example.org", dns.TypeTXT)
		if !errors.Is(err, dnsclient.ErrNXDomain) || ans.TTL != 600*time.Second {
			t.Errorf("Expected NXDOMAIN with the SOA's 600s, got %v, %+v", err, ans)
		}
		if e := tr.Entries(); len(e) != 1 || e[0].Transport != "zone" || e[0].Class != dnsclient.ClassNXDomain {
			t.Errorf("Expected one zone entry, got %+v", e)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := z.LookupTXT(cctx, "example.org"); dnsclient.Classify(err) != dnsclient.ClassCanceled {
			t.Errorf("Expected canceled, got %v", err)
		}
	})
}

func TestNewZoneResolverErrors(t *testing.T) {
	tests := []struct{ name, zone string }{
		{"bad record", "a.example. IN A not-an-address\n"},
		{"include", "$INCLUDE testdata/example.zone\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := dnsclient.NewZoneResolver(strings.NewReader(tc.zone), "example."); !errors.Is(err, dnsclient.ErrConfig) {
				t.Errorf("Expected ErrConfig, got %v", err)
			}
		})
	}
	if _, err := dnsclient.LoadZoneFile("testdata/absent.zone", ""); !errors.Is(err, dnsclient.ErrConfig) {
		t.Errorf("Expected ErrConfig for a missing file, got %v", err)
	}
}

// TestZoneFileLimits: a zone file that is too large, has a huge line, or is
// not a file at all fails at once with a short message, never echoing the
// input whole.
func TestZoneFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.zone")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(dnsclient.MaxZoneFileSize + 1); err != nil { // sparse
		t.Fatal(err)
	}
	f.Close()
	garbage := filepath.Join(dir, "garbage.zone")
	if err := os.WriteFile(garbage, []byte("example.com. 300 IN TXT ok\n"+strings.Repeat("x", 10000)+" IN A 1.2.3.4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"larger than the limit", big, "too large for a zone file"},
		{"a directory", dir, "is a directory"},
		{"a long token", garbage, "bytes) at line: 2"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct{ name, path, want string }{"endless zeros", "/dev/zero", "line 1 is longer than"})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dnsclient.LoadZoneFile(tc.path, "")
			if !errors.Is(err, dnsclient.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %.300v, want it to say %q", err, tc.want)
			}
			if len(err.Error()) > 300 {
				t.Errorf("error message is %d bytes long", len(err.Error()))
			}
		})
	}
	// A stream longer than the limit, with short lines.
	lines := strings.Repeat("; a comment line of a zone file that goes on\n", dnsclient.MaxZoneFileSize/40)
	if _, err := dnsclient.NewZoneResolver(strings.NewReader(lines), "example.com."); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("a stream over the limit: %v", err)
	}
}
