package cli

import "runtime/debug"

// Garbage collector settings of the command. A scan's live heap is small
// and bounded (the messages in flight, limited by the batch window and its
// byte budget, and their reports), so a collection after every doubling
// of it (the default, GOGC=100) spends CPU time to keep memory far below
// what the process may use. Collecting after it triples instead, with a
// soft limit that brings collections back early as the heap nears it,
// analysed the benchmark corpus (bench/run.sh) 5–10% faster, with a peak
// RSS of about 45 MiB instead of 35 MiB; a scan's memory stays bounded
// whatever the size of the export.
const (
	gcPercent   = 200
	memoryLimit = 48 << 20
)

// TuneGC applies the command's garbage collector settings, except those
// the user set through the GOGC and GOMEMLIMIT environment variables
// (read with getenv), which the runtime has applied already.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
