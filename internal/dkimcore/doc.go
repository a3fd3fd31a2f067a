// Package dkimcore is the signature machinery that DKIM (package dkim,
// RFC 6376) and ARC (package arc, RFC 8617) share: tag-list parsing (RFC
// 6376, section 3.2), header and body canonicalization (section 3.4), body
// hashing (section 3.7), the header hash input (sections 3.7 and 5.4.2),
// key checks (section 6.1.2; RFC 8301, section 3.2) and signature
// verification over a digest (section 3.3; RFC 8463, section 3).
//
// It works on bytes and on the header fields of internal/header, and has
// no notion of a message or a result; the public packages build those on
// top. Its sentinel errors are re-exported by package dkim under the same
// names, so errors.Is works with either.
//
// Most of its behaviour is tested where it is used: package dkim's tests
// (the RFC 6376 canonicalization examples, a line-by-line reference body
// canonicalizer and its fuzz target, differential tests against go-msgauth
// and dkimpy, BenchmarkHashBody) and package arc's (the ARC test suite).
package dkimcore
