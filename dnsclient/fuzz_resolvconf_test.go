package dnsclient_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/authlens/authlens/dnsclient"
)

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
