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
// [ErrConnRefused], [ErrTimeout], [ErrUnreachable], [ErrMalformed]), or the
// context's error when the caller's context ended. A reply whose header
// counts records it does not carry is malformed, not an empty answer.
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
// SERVFAIL, refusals, timeouts and malformed replies are remembered for
// [Config.FailureTTL] ([RFC 2308], section 7). Concurrent identical
// questions share one exchange, while each caller still returns as soon as
// its own context ends.
//
// # Server health
//
// A Client remembers, for its lifetime, which servers answer. A server
// that leaves [Config.MaxFailures] queries in a row unanswered (timeout or
// refused connection) is skipped, and probed again after
// [Config.RetryDown]; when every server is skipped, queries fail at once
// with [ErrUnreachable] instead of waiting out their timeouts. See
// [Client.Health], [Client.Unreachable] and [Config.OnServerDown].
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
