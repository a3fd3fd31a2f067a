// Package dnstest provides DNS data for tests: an in-memory [Zone], a
// map-based fake resolver ([Resolver]) and a real DNS server on the loopback
// interface ([StartServer]) that serves a Zone over UDP and TCP
// ([RFC 1035], [RFC 7766]).
//
// Use the fake for protocol logic (SPF evaluation, DKIM key retrieval, the
// DMARC tree walk): it answers at once, needs no sockets, tells NXDOMAIN from
// NODATA from SERVFAIL from timeout through the error classes of
// [github.com/authlens/authlens/dnsclient], and logs every lookup so tests can
// assert lookup counts and order. Use the loopback server for anything that
// goes over DNS: it answers with real messages and RCODEs, drops queries to
// simulate timeouts, can force truncation so clients must retry over TCP, and
// counts queries per transport so tests can observe caching.
//
// Zones are written either with builder methods ([Zone.AddTXT],
// [Zone.SetTimeout], …) or in the conformance "oracle" format read by
// [ParseOracleZone].
//
// [RFC 1035]: https://www.rfc-editor.org/rfc/rfc1035
// [RFC 7766]: https://www.rfc-editor.org/rfc/rfc7766
package dnstest
