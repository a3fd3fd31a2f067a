// Package dnsclient is the DNS resolver used by authlens' protocol packages
// ([RFC 1035] queries over UDP with TCP fallback per [RFC 7766], built on
// github.com/miekg/dns).
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
// [ErrTimeout], [ErrMalformed]), or the context's error when the caller's
// context ended.
//
// # Client
//
// [New] returns a [Client] that asks the configured recursive servers (or
// those of /etc/resolv.conf). Names are made absolute and U-labels are
// converted to A-labels before asking. Each query is sent over UDP with
// EDNS0 ([RFC 6891]); a truncated answer is retried over TCP. Each try has
// its own timeout, and a query makes [Config.Tries] rounds over the servers.
// CNAME chains are followed and bounded.
//
// Answers are cached for their TTL in an LRU cache bounded in size.
// NXDOMAIN and NODATA are cached for the negative TTL of the SOA record
// that comes with them, capped at three hours ([RFC 2308], section 5);
// SERVFAIL, refusals and timeouts are not cached. Concurrent identical
// questions share one exchange, while each caller still returns as soon as
// its own context ends.
//
// # Transcripts
//
// [WithTranscript] returns a context whose queries are recorded, with their
// outcome, in a [Transcript]. Concurrent analyses sharing one Client (and
// its cache) thus each get their own record. [Config.Transcript] adds a
// client-wide transcript as well.
//
// # Offline replay
//
// [ZoneResolver] answers from a master file with the same methods and error
// classes as Client.
//
// [RFC 1035]: https://www.rfc-editor.org/rfc/rfc1035
// [RFC 2308]: https://www.rfc-editor.org/rfc/rfc2308
// [RFC 6891]: https://www.rfc-editor.org/rfc/rfc6891
// [RFC 7766]: https://www.rfc-editor.org/rfc/rfc7766
package dnsclient
