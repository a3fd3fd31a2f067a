#!/bin/sh
# Checks that a change left every record unchanged: builds authlens at REV
# (default: the commit the work tree is based on, HEAD) and from the work
# tree, runs both over the benchmark corpus (bench/gencorpus, seed 1) and
# compares their JSON Lines output byte for byte: the offline scan, the
# --online scan with the corpus's zone file, --body-check all, and
# `authlens dkim` (whose verified_at, the time of the run, is left out).
#
# Usage: bench/identical.sh [REV] [MiB]
#   REV  the revision to compare with (default HEAD)
#   MiB  size of the generated mbox (default 20)
set -eu
REV=${1:-HEAD}
MB=${2:-20}
cd "$(dirname "$0")/.."
DIR=$(mktemp -d /tmp/authlens-identical.XXXXXX)
trap 'git worktree remove --force "$DIR/base" >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT

git worktree add --detach "$DIR/base" "$REV" >/dev/null 2>&1
(cd "$DIR/base" && go build -o "$DIR/authlens-base" ./cmd/authlens)
go build -o "$DIR/authlens-new" ./cmd/authlens
go run ./bench/gencorpus -mb "$MB" -seed 1 -out "$DIR/corpus" >/dev/null 2>&1
MBOX="$DIR/corpus/corpus.mbox"
ZONE="$DIR/corpus/corpus.zone"

status=0
check() {
	name=$1
	shift
	"$DIR/authlens-base" "$@" "$MBOX" | sed 's/"verified_at":"[^"]*",//' >"$DIR/base.out" || true
	"$DIR/authlens-new" "$@" "$MBOX" | sed 's/"verified_at":"[^"]*",//' >"$DIR/new.out" || true
	if cmp -s "$DIR/base.out" "$DIR/new.out"; then
		echo "identical  $name ($(wc -l <"$DIR/new.out") records)"
	else
		echo "DIFFERENT  $name: first difference at line $(cmp "$DIR/base.out" "$DIR/new.out" | awk '{ print $NF }')"
		status=1
	fi
}
check "offline" --format json --jobs 2
check "offline, one job" --format json --jobs 1
check "--online" --format json --jobs 2 --online --dns-zone "$ZONE"
check "--body-check all" --format json --jobs 2 --body-check all
check "dkim" dkim --format json --dns-zone "$ZONE"
exit $status
