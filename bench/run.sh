#!/bin/sh
# Benchmark of authlens against baselines measured in the same run, with
# every ratio the performance goals name.
#
# Usage: bench/run.sh [MiB] [DIR]
#   MiB  size of the generated mbox (default 150)
#   DIR  work directory (default /tmp/authlens-bench)
#
# The corpus is generated with seed 1 (bench/gencorpus), so runs are
# comparable; beside it, corpus.zone holds every DKIM key, SPF and DMARC
# record. Output goes to /dev/null. Every command runs once per round, for
# RUNS rounds (default 5), and its fastest run counts, which damps the
# noise of a shared machine; peak RSS is the largest seen. Times are wall
# clock (date +%s%N) and CPU (user + system, /usr/bin/time, in steps of
# 10 ms). On a busy machine the CPU-time ratios are the steadier ones.
#
# Baselines:
#   indfloor  bench/indfloor: splits the mbox with bytes.Index on "\nFrom "
#             and copies each header block, sharing no code with authlens
#   floor     bench/floor: the mailbox reader and the header reader only
#   msgauth   bench/dkimref -mode msgauth: go-msgauth's
#             dkim.VerifyWithOptions on every message, keys in memory
#   crypto    bench/dkimref -mode crypto: only SHA-256 over exactly the
#             canonical bytes each signature covers plus one RSA or Ed25519
#             verification per signature (timed inside the program)
# The DKIM rows run with GOMAXPROCS=1: one core each.
set -eu
MB=${1:-150}
DIR=${2:-/tmp/authlens-bench}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."
mkdir -p "$DIR"

if [ ! -x /usr/bin/time ]; then
	echo "installing GNU time (for peak RSS)" >&2
	apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi

for p in floor indfloor dkimref prof; do
	go build -o "$DIR/$p" "./bench/$p"
done
go build -o "$DIR/authlens" ./cmd/authlens
if [ ! -s "$DIR/corpus-$MB.mbox" ] || [ ! -s "$DIR/corpus.zone" ]; then
	go run ./bench/gencorpus -mb "$MB" -seed 1 -out "$DIR/gen-$MB"
	mv "$DIR/gen-$MB/corpus.mbox" "$DIR/corpus-$MB.mbox"
	mv "$DIR/gen-$MB/corpus.zone" "$DIR/corpus.zone"
	rmdir "$DIR/gen-$MB"
fi
MBOX="$DIR/corpus-$MB.mbox"
ZONE="$DIR/corpus.zone"
N=$(grep -c '^From ' "$MBOX")
SIZE=$(wc -c <"$MBOX")
SIGS=$(grep -c '^DKIM-Signature:' "$MBOX" || true)
echo "corpus: $MBOX, $N messages, $SIZE bytes, $SIGS DKIM signatures"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(go env GOVERSION), $(date -u '+%Y-%m-%d %H:%M UTC')"
cat "$MBOX" >/dev/null # warm the page cache

# once NAME COMMAND...: runs the command once and keeps, in $DIR/NAME.best,
# the fastest wall-clock seconds, the fastest CPU seconds and the largest
# peak RSS (KiB) seen so far. With INNER=1 the command prints its own timed
# wall-clock and CPU seconds as the first two words of its output, which
# replace those of the whole process.
once() {
	name=$1
	shift
	t0=$(date +%s%N)
	/usr/bin/time -f "%M %U %S" -o "$DIR/time.out" "$@" >"$DIR/stdout.out" 2>"$DIR/stderr.out" || {
		echo "$name failed:" >&2
		cat "$DIR/stderr.out" >&2
		exit 1
	}
	t1=$(date +%s%N)
	read -r r u s <"$DIR/time.out"
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	if [ "${INNER:-0}" = 1 ]; then
		secs=$(awk '{ print $1; exit }' "$DIR/stdout.out")
		c=$(awk '{ print $2; exit }' "$DIR/stdout.out")
	fi
	if [ -s "$DIR/$name.best" ]; then
		read -r b bc br <"$DIR/$name.best"
		secs=$(awk -v a="$secs" -v b="$b" 'BEGIN { print (a < b ? a : b) }')
		c=$(awk -v a="$c" -v b="$bc" 'BEGIN { print (a < b ? a : b) }')
		[ "$br" -gt "$r" ] && r=$br
	fi
	echo "$secs $c $r" >"$DIR/$name.best"
}

# The commands run in rounds, each command once per round, so that every
# command meets the same spells of load from other work on the machine.
A="$DIR/authlens"
NAMES="indfloor floor jobs1 jobs2 jobs2-unordered jobs1-body-all jobs2-body-all online-jobs1 online-jobs2 dkim msgauth crypto"
for name in $NAMES; do rm -f "$DIR/$name.best"; done
round=0
while [ "$round" -lt "$RUNS" ]; do
	once indfloor "$DIR/indfloor" "$MBOX"
	once floor "$DIR/floor" "$MBOX"
	once jobs1 "$A" --format json --jobs 1 "$MBOX"
	once jobs2 "$A" --format json --jobs 2 "$MBOX"
	once jobs2-unordered "$A" --format json --jobs 2 --unordered "$MBOX"
	once jobs1-body-all "$A" --format json --jobs 1 --body-check all "$MBOX"
	once jobs2-body-all "$A" --format json --jobs 2 --body-check all "$MBOX"
	once online-jobs1 "$A" --format json --jobs 1 --online --dns-zone "$ZONE" "$MBOX"
	once online-jobs2 "$A" --format json --jobs 2 --online --dns-zone "$ZONE" "$MBOX"
	once dkim env GOMAXPROCS=1 "$A" dkim --format json --dns-zone "$ZONE" "$MBOX"
	once msgauth env GOMAXPROCS=1 "$DIR/dkimref" -mode msgauth -zone "$ZONE" "$MBOX"
	INNER=1 once crypto env GOMAXPROCS=1 "$DIR/dkimref" -mode crypto -zone "$ZONE" "$MBOX"
	round=$((round + 1))
done
ROWS=""
for name in $NAMES; do
	read -r secs c r <"$DIR/$name.best"
	ROWS="$ROWS$name $secs $c $r $(awk -v n="$N" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
"
done

get() { echo "$ROWS" | awk -v n="$1" -v f="$2" '$1 == n { print $f }'; }
ind=$(get indfloor 5)
flo=$(get floor 5)
printf '%-16s %8s %8s %12s %9s %10s %8s\n' run "wall s" "CPU s" "peak RSS" "msg/s" "× indfloor" "× floor"
echo "$ROWS" | awk -v i="$ind" -v f="$flo" 'NF { printf "%-16s %8.3f %8.2f %8.1f MiB %9d %10.2f %8.2f\n", $1, $2, $3, $4 / 1024, $5, $5 / i, $5 / f }'

# Allocations per message, counted in-process by bench/prof.
allocs() {
	"$DIR/prof" -- "$@" >/dev/null 2>"$DIR/prof.out" || true
	awk -v n="$N" '/^prof: [0-9]/ { printf "%.0f allocations, %.1f KB", $2 / n, $3 / n / 1000 }' "$DIR/prof.out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "goals (ratios of messages per second, same run):"
echo "  dkim vs go-msgauth, one core:      $(ratio "$(get msgauth 2)" "$(get dkim 2)")× wall, $(ratio "$(get msgauth 3)" "$(get dkim 3)")× CPU   (goal ≥ 3)"
echo "  dkim vs crypto limit, one core:    $(ratio "$(get crypto 2)" "$(get dkim 2)")× wall, $(ratio "$(get crypto 3)" "$(get dkim 3)")× CPU   (goal ≥ 0.5)"
echo "  online vs offline, one job:        $(ratio "$(get jobs1 2)" "$(get online-jobs1 2)")× wall, $(ratio "$(get jobs1 3)" "$(get online-jobs1 3)")× CPU   two jobs: $(ratio "$(get jobs2 2)" "$(get online-jobs2 2)")× wall   (goal ≥ 0.5)"
echo "  offline scan vs indfloor:          $(ratio "$(get jobs1 5)" "$ind")× one job (goal ≥ 0.35; $(ratio "$(get indfloor 3)" "$(get jobs1 3)")× by CPU), $(ratio "$(get jobs2 5)" "$ind")× two jobs (goal ≥ 0.5)"
echo "  offline scan vs floor:             $(ratio "$(get jobs1 5)" "$flo")× one job, $(ratio "$(get jobs2 5)" "$flo")× two jobs"
echo "  peak RSS, largest of all runs:     $(echo "$ROWS" | awk 'NF && $1 != "msgauth" && $1 != "crypto" { if ($4 > m) m = $4 } END { printf "%.1f MiB", m / 1024 }')   (goal < 64 MiB)"
echo "  per message, offline --jobs 1:     $(allocs --format json --jobs 1 "$MBOX")"
echo "  per message, --online --jobs 1:    $(allocs --format json --jobs 1 --online --dns-zone "$ZONE" "$MBOX")"
echo "  per message, dkim:                 $(allocs dkim --format json --dns-zone "$ZONE" "$MBOX")"
