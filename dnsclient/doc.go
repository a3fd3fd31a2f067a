// Package dnsclient is the DNS resolver used by authlens' protocol packages
// (RFC 1035 queries over UDP with TCP fallback, built on github.com/miekg/dns).
//
// Protocol packages (spf, dkim, dmarc, arc) consume small interfaces shaped
// like *net.Resolver (LookupTXT, LookupMX, LookupIPAddr, LookupAddr), so
// net.DefaultResolver works with them unchanged. This package adds what the
// standard resolver cannot give an authentication checker: it tells NXDOMAIN
// from NODATA from SERVFAIL from timeout (see [Classify]), honours TTLs in a
// bounded shared cache, collapses concurrent identical queries, can record a
// transcript of every query, and can answer from an RFC 1035 master file so
// that a run is replayable offline.
//
// Every failed lookup returns a *net.DNSError whose Unwrap yields one of the
// class sentinels ([ErrNXDomain], [ErrNoData], [ErrServFail], [ErrRefused],
// [ErrTimeout], [ErrMalformed]).
package dnsclient
