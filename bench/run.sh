#!/bin/sh
# Benchmark of batch scanning: messages per second of authlens against the
# floor (splitting the mbox and reading header blocks only), and peak RSS.
#
# Usage: bench/run.sh [MiB] [DIR]
#   MiB  size of the generated mbox (default 200; the memory target is
#        stated for 600)
#   DIR  work directory (default /tmp/authlens-bench)
#
# The corpus is generated with seed 1, so runs are comparable. Output goes
# to /dev/null; the machine should be otherwise idle. Each command runs
# RUNS times (default 3) and the fastest run counts, which damps the noise
# of a shared machine; peak RSS is the largest seen. The last two rows use
# --body-check all, which hashes the body of every signed message.
set -eu
MB=${1:-200}
DIR=${2:-/tmp/authlens-bench}
cd "$(dirname "$0")/.."
mkdir -p "$DIR"

if [ ! -x /usr/bin/time ]; then
	echo "installing GNU time (for peak RSS)" >&2
	apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

go build -o "$DIR/authlens" ./cmd/authlens
go build -o "$DIR/floor" ./bench/floor
if [ ! -s "$DIR/corpus-$MB.mbox" ]; then
	go run ./bench/gencorpus -mb "$MB" -seed 1 -out "$DIR/gen-$MB"
	mv "$DIR/gen-$MB/corpus.mbox" "$DIR/corpus-$MB.mbox"
	mv "$DIR/gen-$MB/corpus.zone" "$DIR/corpus.zone"
	rmdir "$DIR/gen-$MB"
fi
MBOX="$DIR/corpus-$MB.mbox"
N=$(grep -c '^From ' "$MBOX")
SIZE=$(wc -c <"$MBOX")
echo "corpus: $MBOX, $N messages, $SIZE bytes"
cat "$MBOX" >/dev/null # warm the page cache

# measure NAME COMMAND...: runs the command RUNS times and prints the
# fastest run's seconds (wall clock, in nanoseconds from date(1): GNU
# time's 10 ms steps are coarse for a floor of a few tenths of a second),
# the largest peak RSS (KiB) and messages per second.
RUNS=${RUNS:-3}
measure() {
	name=$1
	shift
	best="" rss=0
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		/usr/bin/time -f "%M" -o "$DIR/time.out" "$@" >/dev/null 2>"$DIR/stderr.out" || true
		t1=$(date +%s%N)
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
		read -r r <"$DIR/time.out"
		if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$secs
		fi
		[ "$r" -gt "$rss" ] && rss=$r
		i=$((i + 1))
	done
	rate=$(awk -v n="$N" -v s="$best" 'BEGIN { printf "%.0f", n / s }')
	echo "$name $best $rss $rate"
}

FLOOR=$(measure floor "$DIR/floor" "$MBOX")
J1=$(measure jobs1 "$DIR/authlens" --format json --jobs 1 "$MBOX")
J2=$(measure jobs2 "$DIR/authlens" --format json --jobs 2 "$MBOX")
J2U=$(measure jobs2-unordered "$DIR/authlens" --format json --jobs 2 --unordered "$MBOX")
J1A=$(measure jobs1-body-all "$DIR/authlens" --format json --jobs 1 --body-check all "$MBOX")
J2A=$(measure jobs2-body-all "$DIR/authlens" --format json --jobs 2 --body-check all "$MBOX")

floor_rate=$(echo "$FLOOR" | awk '{ print $4 }')
printf '%-16s %9s %12s %10s %8s\n' run seconds "peak RSS" "msg/s" "× floor"
for line in "$FLOOR" "$J1" "$J2" "$J2U" "$J1A" "$J2A"; do
	echo "$line" | awk -v f="$floor_rate" '{ printf "%-16s %9.3f %9.1f MiB %10d %8.2f\n", $1, $2, $3 / 1024, $4, $4 / f }'
done
