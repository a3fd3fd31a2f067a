#!/bin/sh
# Fuzz campaign: runs every fuzz target of the module, one after the other,
# for a given time each, and prints per target the executions, the new
# interesting inputs (new coverage) and the result.
#
# Usage: bench/fuzz.sh [TIME] [REGEXP]
#   TIME    fuzzing time per target, as for go test -fuzztime (default 30s;
#           "5000x" counts executions instead)
#   REGEXP  run only the targets whose "package.FuzzName" matches (grep -E)
#
# Environment: PARALLEL (fuzzing workers, default 1), MINIMIZE (go test
# -fuzzminimizetime, default 5s: without a bound, each new interesting input
# can take a worker a minute to minimise), LOGDIR (default
# /tmp/authlens-fuzz: one log per target).
#
# Targets are found with go test -list '^Fuzz' ./... . A failing input is
# written by go test to the package's testdata/fuzz/FuzzName/ directory, where
# it becomes a seed of every later go test run; commit it with its fix. The
# script exits 1 when a target failed.
set -u
TIME=${1:-30s}
FILTER=${2:-.}
PARALLEL=${PARALLEL:-1}
MINIMIZE=${MINIMIZE:-5s}
LOGDIR=${LOGDIR:-/tmp/authlens-fuzz}
cd "$(dirname "$0")/.."
mkdir -p "$LOGDIR"

# go test -list prints the matching names of a package, then a line
# "ok <tab> import/path <tab> time".
targets=$(go test -list '^Fuzz' ./... | awk '
	/^Fuzz/ { names[++n] = $1; next }
	/^ok/   { for (i = 1; i <= n; i++) print $2, names[i]; n = 0 }
') || { echo "fuzz: listing the targets failed" >&2; exit 2; }
module=$(go list -m)

failed=0
count=0
printf '%-28s %-28s %12s %6s  %s\n' PACKAGE TARGET EXECS NEW RESULT
echo "$targets" | {
	while read -r pkg name; do
		[ -n "$pkg" ] || continue
		short=${pkg#"$module"}
		short=${short#/}
		[ -n "$short" ] || short=.
		echo "$short.$name" | grep -Eq -- "$FILTER" || continue
		count=$((count + 1))
		log="$LOGDIR/$(echo "$short" | tr / _)-$name.log"
		go test -run '^$' -fuzz "^$name\$" -fuzztime "$TIME" -fuzzminimizetime "$MINIMIZE" \
			-parallel "$PARALLEL" "$pkg" >"$log" 2>&1
		status=$?
		# The last progress line: "fuzz: elapsed: 1m0s, execs: 123 (2/sec),
		# new interesting: 4 (total: 9)".
		last=$(grep '^fuzz: elapsed:' "$log" | tail -n 1)
		execs=$(echo "$last" | sed -n 's/.*execs: \([0-9]*\).*/\1/p')
		new=$(echo "$last" | sed -n 's/.*new interesting: \([0-9]*\).*/\1/p')
		if [ "$status" -eq 0 ]; then
			result=ok
		else
			failed=$((failed + 1))
			input=$(sed -n 's/.*Failing input written to \(.*\)/\1/p' "$log" | head -n 1)
			result="FAIL${input:+: $short/$input} (log: $log)"
		fi
		printf '%-28s %-28s %12s %6s  %s\n' "$short" "$name" "${execs:--}" "${new:--}" "$result"
		if [ "$status" -ne 0 ]; then
			grep -v '^fuzz: elapsed:' "$log" | head -n 20 | sed 's/^/    /'
		fi
	done
	echo "fuzz: $count targets, $failed failed, $TIME each"
	[ "$count" -gt 0 ] || { echo "fuzz: no target matches $FILTER" >&2; exit 2; }
	[ "$failed" -eq 0 ]
}
