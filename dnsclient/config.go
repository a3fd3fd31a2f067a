package dnsclient

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/miekg/dns"
)

// Defaults for the zero fields of [Config].
const (
	DefaultTimeout    time.Duration = 2 * time.Second
	DefaultTries      int           = 2
	DefaultCacheSize  int           = 10000
	DefaultMaxCNAME   int           = 8
	DefaultUDPSize    uint16        = 1232 // EDNS0 payload size that avoids IP fragmentation on common paths
	DefaultResolvConf string        = "/etc/resolv.conf"
	// DefaultMaxFailures is how many queries in a row a server may leave
	// unanswered before it is skipped.
	DefaultMaxFailures int = 3
	// DefaultRetryDown is how long a skipped server is left alone before
	// one query probes it again.
	DefaultRetryDown time.Duration = 30 * time.Second
	// DefaultFailureTTL is how long a failed query (SERVFAIL, refusal,
	// timeout, malformed reply) is remembered, so that the same question
	// is not asked again at once. RFC 2308, section 7: server failures
	// may be cached, for no more than five minutes.
	DefaultFailureTTL time.Duration = 30 * time.Second
)

// ErrConfig is wrapped by errors about a [Config] or a resolv.conf file.
var ErrConfig = errors.New("dnsclient: bad configuration")

// Config configures a [Client]. The zero value is valid: it uses the
// servers of /etc/resolv.conf and the defaults above.
type Config struct {
	// Servers are the recursive resolvers to ask, as "host:port" (":53" is
	// added when the port is missing). Empty means the nameservers of
	// ResolvConf.
	Servers []string
	// ResolvConf is the resolv.conf file read when Servers is empty
	// (default DefaultResolvConf).
	ResolvConf string
	// Timeout bounds each try of a query at one server (default
	// DefaultTimeout).
	Timeout time.Duration
	// Tries is how many rounds over all servers a query makes before it
	// fails (default DefaultTries). A query thus takes at most about
	// Tries × len(Servers) × Timeout, or less if the context ends first.
	Tries int
	// CacheSize bounds the number of cached answers (default
	// DefaultCacheSize); a negative value disables caching.
	CacheSize int
	// MaxCNAME bounds the CNAME records followed for one query (default
	// DefaultMaxCNAME).
	MaxCNAME int
	// UDPSize is the EDNS0 UDP payload size advertised (default
	// DefaultUDPSize).
	UDPSize uint16
	// Transcript makes the Client record every query; see
	// [Client.Transcript] and [WithTranscript].
	Transcript bool
	// Now returns the current time, for cache expiry (default time.Now).
	Now func() time.Time
	// MaxFailures is how many queries in a row a server may leave
	// unanswered (timeout, connection refused) before the Client stops
	// asking it (default DefaultMaxFailures; negative never stops). When
	// every server is skipped, queries fail at once with ErrUnreachable.
	MaxFailures int
	// RetryDown is how long a skipped server is left alone before one
	// query probes it; an answer brings it back (default
	// DefaultRetryDown).
	RetryDown time.Duration
	// FailureTTL is how long a failed query is remembered and answered
	// with the same error from the cache (default DefaultFailureTTL;
	// negative disables, as does a disabled cache).
	FailureTTL time.Duration
	// OnServerDown, when set, is called once each time a server is
	// marked down, outside the Client's locks.
	OnServerDown func(ServerStatus)
}

// withDefaults returns cfg with zero fields filled in and servers resolved.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Tries <= 0 {
		cfg.Tries = DefaultTries
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = DefaultCacheSize
	}
	if cfg.MaxCNAME <= 0 {
		cfg.MaxCNAME = DefaultMaxCNAME
	}
	if cfg.UDPSize < dns.MinMsgSize {
		cfg.UDPSize = DefaultUDPSize
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxFailures == 0 {
		cfg.MaxFailures = DefaultMaxFailures
	}
	if cfg.RetryDown <= 0 {
		cfg.RetryDown = DefaultRetryDown
	}
	if cfg.FailureTTL == 0 {
		cfg.FailureTTL = DefaultFailureTTL
	}
	if cfg.ResolvConf == "" {
		cfg.ResolvConf = DefaultResolvConf
	}
	servers := cfg.Servers
	if len(servers) == 0 {
		var err error
		if servers, err = ServersFromResolvConf(cfg.ResolvConf); err != nil {
			return cfg, err
		}
	}
	cfg.Servers = make([]string, 0, len(servers))
	for _, s := range servers {
		hp, err := hostPort(s)
		if err != nil {
			return cfg, err
		}
		cfg.Servers = append(cfg.Servers, hp)
	}
	return cfg, nil
}

// hostPort returns s as "host:port", adding port 53 when missing.
func hostPort(s string) (string, error) {
	if _, _, err := net.SplitHostPort(s); err == nil {
		return s, nil
	}
	if s == "" {
		return "", fmt.Errorf("%w: empty server address", ErrConfig)
	}
	return net.JoinHostPort(s, "53"), nil
}

// ServersFromResolvConf returns the nameservers of a resolv.conf file as
// "host:port" addresses. As in the C library, a nameserver that is not an
// IP address (resolv.conf(5)) is ignored; the error for a file without a
// usable one names the first ignored entry.
func ServersFromResolvConf(path string) ([]string, error) {
	cc, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	out := make([]string, 0, len(cc.Servers))
	ignored := ""
	for _, s := range cc.Servers {
		hp := net.JoinHostPort(s, cc.Port)
		if _, err := netip.ParseAddr(s); err != nil || !splitsTo(hp, s) {
			if ignored == "" {
				ignored = fmt.Sprintf(" (ignored %q: not an IP address)", s)
			}
			continue
		}
		out = append(out, hp)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no nameserver in %s%s", ErrConfig, path, ignored)
	}
	return out, nil
}

// splitsTo reports whether the address hp splits back into host, which a
// zone such as "%]" prevents.
func splitsTo(hp, host string) bool {
	h, _, err := net.SplitHostPort(hp)
	return err == nil && h == host
}
