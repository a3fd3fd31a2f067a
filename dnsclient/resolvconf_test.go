package dnsclient_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/authlens/authlens/dnsclient"
)

func TestServersFromResolvConf(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.conf", "# comment\nsearch example.org\nnameserver 127.0.0.1\nnameserver ::1\noptions ndots:1\n")
	empty := write("empty.conf", "search example.org\n")
	tests := []struct {
		name string
		path string
		want []string
		err  error
	}{
		{"servers", good, []string{"127.0.0.1:53", "[::1]:53"}, nil},
		{"no nameserver", empty, nil, dnsclient.ErrConfig},
		{"missing file", filepath.Join(dir, "absent.conf"), nil, dnsclient.ErrConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dnsclient.ServersFromResolvConf(tc.path)
			if !errors.Is(err, tc.err) {
				t.Fatalf("Expected error %v, got %v", tc.err, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Expected %q, got %q", tc.want, got)
			}
		})
	}
	t.Run("new from file", func(t *testing.T) {
		c, err := dnsclient.New(dnsclient.Config{ResolvConf: good})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Servers(); !reflect.DeepEqual(got, []string{"127.0.0.1:53", "[::1]:53"}) {
			t.Errorf("Expected the file's servers, got %q", got)
		}
	})
	t.Run("port added", func(t *testing.T) {
		c, err := dnsclient.New(dnsclient.Config{Servers: []string{"127.0.0.1", "::1", "127.0.0.1:5353"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Servers(); !reflect.DeepEqual(got, []string{"127.0.0.1:53", "[::1]:53", "127.0.0.1:5353"}) {
			t.Errorf("Expected ports filled in, got %q", got)
		}
	})
	t.Run("bad config", func(t *testing.T) {
		if _, err := dnsclient.New(dnsclient.Config{ResolvConf: empty}); !errors.Is(err, dnsclient.ErrConfig) {
			t.Errorf("Expected ErrConfig, got %v", err)
		}
	})
}
