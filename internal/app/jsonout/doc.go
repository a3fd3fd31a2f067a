// Package jsonout writes an [authlens.Report] as one line of JSON (the
// JSON Lines records of `authlens --format json`) without reflection.
//
// encoding/json walks the report with reflect and allocates for every
// record; in batch scans that was the largest part of the per-message cost
// once the analysis itself had been made cheap. [AppendReport] writes the
// same bytes by hand, appending to a caller-owned buffer, so a scan that
// reuses its buffer allocates nothing to render a record.
//
// The output is defined as encoding/json's: byte for byte what an
// [encoding/json.Encoder] with SetEscapeHTML(false) writes for the report,
// trailing newline included. The tests pin it there: they compare the two
// on real messages, on reports whose every field is filled by reflection
// (so a field added to any reachable struct and not taught to this
// package fails them), and under fuzzing.
package jsonout
