package dnsclient_test

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/authlens/authlens/dnsclient"
)

// FuzzServersFromResolvConf checks resolv.conf reading: it never panics,
// fails only with ErrConfig and only when no nameserver line names an IP
// address, returns one "host:port" per such line in order (never more
// servers than nameserver lines; the host as written), and a Client
// configured from the same file asks exactly those servers.
func FuzzServersFromResolvConf(f *testing.F) {
	for _, s := range []string{
		"# comment\nsearch example.org\nnameserver 127.0.0.1\nnameserver ::1\noptions ndots:1\n",
		"nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n",
		"nameserver fe80::1%eth0\r\nnameserver 192.0.2.1 extra\n",
		"nameserver\nnameserver    \t 10.0.0.1\n",
		"domain example.org\n",
		"nameserver dns.example.org\n",
		"",
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("/etc/resolv.conf"); err == nil {
		f.Add(b)
	}
	// One file, rewritten for each input: a directory per input would
	// cost more than the parsing.
	p := filepath.Join(f.TempDir(), "resolv.conf")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		servers, err := dnsclient.ServersFromResolvConf(p)
		var lines, hosts []string // nameserver lines; those naming an IP address
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) > 1 && f[0] == "nameserver" {
				lines = append(lines, f[1])
				if a, err := netip.ParseAddr(f[1]); err == nil && !strings.Contains(a.Zone(), "]") {
					hosts = append(hosts, f[1])
				}
			}
		}
		if err != nil {
			if servers != nil || !errors.Is(err, dnsclient.ErrConfig) || len(hosts) > 0 {
				t.Fatalf("%q: %q, %v; want servers %q", data, servers, err, hosts)
			}
		} else {
			if len(servers) != len(hosts) || len(servers) > len(lines) {
				t.Fatalf("%q: servers %q, want %q", data, servers, hosts)
			}
			for i, s := range servers {
				host, port, err := net.SplitHostPort(s)
				if err != nil || host != hosts[i] || port == "" {
					t.Fatalf("%q: server %q is not nameserver %q with a port (%v)", data, s, hosts[i], err)
				}
			}
		}
		c, cerr := dnsclient.New(dnsclient.Config{ResolvConf: p})
		if (cerr == nil) != (err == nil) {
			t.Fatalf("%q: ServersFromResolvConf error %v, New error %v", data, err, cerr)
		}
		if cerr == nil && !reflect.DeepEqual(c.Servers(), servers) {
			t.Fatalf("%q: client asks %q, file names %q", data, c.Servers(), servers)
		}
	})
}

// TestServersFromResolvConfNotIP: a nameserver that is not an IP address
// is ignored, as the C library does, and named when none is left.
func TestServersFromResolvConfNotIP(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(p, []byte("nameserver dns.example.org\nnameserver a]b\nnameserver ::%]\nnameserver 192.0.2.1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := dnsclient.ServersFromResolvConf(p); err != nil || !reflect.DeepEqual(got, []string{"192.0.2.1:53"}) {
		t.Fatalf("ServersFromResolvConf = %q, %v; want only 192.0.2.1:53", got, err)
	}
	if err := os.WriteFile(p, []byte("nameserver dns.example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := dnsclient.ServersFromResolvConf(p)
	if !errors.Is(err, dnsclient.ErrConfig) || !strings.Contains(err.Error(), `"dns.example.org"`) {
		t.Fatalf("error %v, want ErrConfig naming the ignored entry", err)
	}
}
