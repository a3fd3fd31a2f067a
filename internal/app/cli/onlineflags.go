package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/authlens/authlens"
	"github.com/authlens/authlens/dmarc"
	"github.com/authlens/authlens/dnsclient"
)

// onlineConfig holds the flags for live checks over DNS.
type onlineConfig struct {
	online     bool
	dnsServers []string
	dnsZone    string
	dnsTimeout time.Duration
	at         string
	dmarcMode  string
	arcTrust   []string

	resolver authlens.Resolver // set by open
	notice   *dnsNotice        // set by open for a DNS client
	cache    *authlens.Cache   // set by open: parsed DNS answers, shared by the run
}

func addOnlineFlags(fs *pflag.FlagSet, o *onlineConfig) {
	fs.BoolVar(&o.online, "online", false, "re-check SPF, DKIM, DMARC and ARC live over DNS, beside what the receiver recorded")
	addDNSFlags(fs, o)
	fs.StringVar(&o.at, "at", "", "judge DKIM signature expiry as of TIME (RFC 3339), the message's Date (date), or its delivery time (received)")
	fs.StringVar(&o.dmarcMode, "dmarc-mode", "bis", "DMARC policy discovery: bis (RFC 9989 DNS tree walk) or 7489 (Public Suffix List)")
	fs.StringSliceVar(&o.arcTrust, "arc-trust", nil, "ARC sealers (d= domains) trusted to vouch for forwarded mail")
}

// addDNSFlags registers the DNS flags every online command shares.
func addDNSFlags(fs *pflag.FlagSet, o *onlineConfig) {
	fs.StringSliceVar(&o.dnsServers, "dns-server", nil, "DNS server host:port to query (default: /etc/resolv.conf)")
	fs.StringVar(&o.dnsZone, "dns-zone", "", "answer DNS queries from this RFC 1035 zone file instead of the network (offline replay)")
	fs.DurationVar(&o.dnsTimeout, "dns-timeout", 2*time.Second, "time allowed for one DNS query")
}

func (o *onlineConfig) validate() error {
	if o.dnsTimeout <= 0 {
		return usageError(fmt.Sprintf("--dns-timeout must be positive, not %s", o.dnsTimeout))
	}
	switch o.dmarcMode {
	case "bis", "7489":
	default:
		return usageError(fmt.Sprintf("--dmarc-mode must be bis or 7489, not %q", o.dmarcMode))
	}
	if o.dnsZone != "" && len(o.dnsServers) > 0 {
		return usageError("--dns-zone and --dns-server cannot be combined")
	}
	switch at := strings.ToLower(o.at); at {
	case "", "date", "received", "now":
	default:
		if _, err := time.Parse(time.RFC3339, o.at); err != nil {
			return usageError(fmt.Sprintf("--at takes an RFC 3339 time (2024-05-01T12:00:00Z), date or received, not %q", o.at))
		}
	}
	return nil
}

// open builds the resolver the DNS flags ask for: a zone file replay, the
// named servers, or the system's (/etc/resolv.conf). One resolver, with one
// cache, serves every message of a run.
func (o *onlineConfig) open() error {
	if o.resolver != nil {
		return nil
	}
	o.cache = authlens.NewCache()
	if o.dnsZone != "" {
		zr, err := dnsclient.LoadZoneFile(o.dnsZone, "")
		if err != nil {
			return &exitError{code: exitFailed, msg: fmt.Sprintf("--dns-zone: %v", err)}
		}
		o.resolver = zr
		return nil
	}
	// One client serves the whole run, so what it learns about the
	// servers' health (which stopped answering, which names fail) is
	// shared by every message.
	n := &dnsNotice{}
	c, err := dnsclient.New(dnsclient.Config{Servers: o.dnsServers, Timeout: o.dnsTimeout, OnServerDown: n.serverDown})
	if err != nil {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("DNS: %v", err)}
	}
	n.client = c
	o.resolver, o.notice = c, n
	return nil
}

// apply sets the online options on opts.
func (o *onlineConfig) apply(opts *authlens.Options) {
	if !o.online {
		return
	}
	opts.Resolver = o.resolver
	opts.Cache = o.cache
	opts.DMARCMode = o.mode()
	switch strings.ToLower(o.at) {
	case "date":
		opts.VerifyAt = authlens.VerifyAtDate
	case "received":
		opts.VerifyAt = authlens.VerifyAtReceived
	case "", "now":
	default:
		if t, err := time.Parse(time.RFC3339, o.at); err == nil {
			opts.Now = func() time.Time { return t }
		}
	}
	opts.ARCTrustedSealers = o.arcTrust
}

// mode returns the DMARC discovery mode.
func (o *onlineConfig) mode() dmarc.Mode {
	if o.dmarcMode == "7489" {
		return dmarc.Mode7489
	}
	return dmarc.ModeBis
}
