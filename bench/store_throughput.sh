#!/usr/bin/env bash
# Store throughput for 10^6 small rows on one rank, against `dd` writing the
# same number of bytes to the same disk, and the store's size against the raw
# data.
#
#   bench/store_throughput.sh [--build DIR] [--rows N] [--repeats R] [--short]
#
# 1. build/bench/store_throughput: the store API alone (create, write in
#    blocks of 4096 rows, flush, close), 53 raw bytes a row (see its header).
#    Its flushes sync the file, so dd is timed with conv=fsync (one sync at
#    the end) and, for scale, without.
# 2. `mechsweep run` of synthetic.trivial with n = 0 on the same number of
#    tasks, one process: the whole command (plan, store creation, tasks,
#    writes, close), as a user sees it.
# Best of R runs (default 3). --short: 20000 rows, one run (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
rows=1000000
repeats=3
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --short) rows=20000; repeats=1; shift ;;
    *) echo "usage: $0 [--build DIR] [--rows N] [--repeats R] [--short]" >&2; exit 2 ;;
  esac
done
source jobs/mpi-env.sh
tmp=$(mktemp -d)  # the store, dd's file and mechsweep's store all go here: one disk
trap 'rm -rf "$tmp"' EXIT

field() {  # key, "k=v k=v" line → v
  sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

dd_seconds() {  # bytes, extra dd flags... → seconds dd reports
  local bytes=$1
  shift
  rm -f "$tmp/dd.bin"
  dd if=/dev/zero of="$tmp/dd.bin" bs=1M count="$bytes" iflag=count_bytes "$@" 2>&1 |
    sed -n 's/.* copied, \([0-9.e-]*\) s.*/\1/p'
}

best_total="" best_write="" best_create="" best_close="" dd_sync="" dd_nosync="" line=""
for ((r = 0; r < repeats; r++)); do
  rm -f "$tmp/store.h5"
  line=$("$build/bench/store_throughput" "$tmp/store.h5" "$rows")
  total=$(field total_s "$line")
  if [[ -z $best_total ]] || awk -v a="$total" -v b="$best_total" 'BEGIN { exit !(a < b) }'; then
    best_total=$total best_write=$(field write_s "$line") best_create=$(field create_s "$line")
    best_close=$(field close_s "$line")
  fi
  raw=$(field raw_bytes "$line")
  dd_sync=$(min "$dd_sync" "$(dd_seconds "$raw" conv=fsync)")
  dd_nosync=$(min "$dd_nosync" "$(dd_seconds "$raw")")
done
write_bytes=$(field write_bytes "$line")
apparent=$(stat -c %s "$tmp/store.h5")
allocated=$(du -B1 "$tmp/store.h5" | cut -f1)

mechsweep_total="" mechsweep_segment=""
for ((r = 0; r < repeats; r++)); do
  start=$(date +%s.%N)
  summary=$("$build/mechsweep" run configs/trivial.yaml --set "sweep.x={linspace: [0, 1, $rows]}" --set params.n=0 \
    --quiet --force --out "$tmp/trivial.h5")
  mechsweep_total=$(min "$mechsweep_total" "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')")
  mechsweep_segment=$(min "$mechsweep_segment" "$(sed -n 's/.* in \([0-9.]*\) s (.*/\1/p' <<<"$summary")")
done
trivial_apparent=$(stat -c %s "$tmp/trivial.h5")
trivial_allocated=$(du -B1 "$tmp/trivial.h5" | cut -f1)
# Its raw data: every dataset's bytes except the never-written error strings.
trivial_raw=$(/usr/bin/python3 -c '
import sys, h5py
sizes = []
h5py.File(sys.argv[1], "r").visititems(
    lambda name, item: sizes.append(item.nbytes) if isinstance(item, h5py.Dataset) and name != "tasks/error" else None)
print(sum(sizes))' "$tmp/trivial.h5")

awk -v rows="$rows" -v raw="$raw" -v wb="$write_bytes" -v total="$best_total" -v write="$best_write" \
  -v create="$best_create" -v closing="$best_close" -v dds="$dd_sync" -v ddn="$dd_nosync" \
  -v app="$apparent" -v alloc="$allocated" -v mt="$mechsweep_total" -v ms="$mechsweep_segment" \
  -v tapp="$trivial_apparent" -v talloc="$trivial_allocated" -v traw="$trivial_raw" -v repeats="$repeats" -v disk="$(df --output=source "$tmp" | tail -1)" '
BEGIN {
  printf "store throughput: %d rows, %.1f MB raw (53 B/row), best of %d, on %s\n", rows, raw / 1e6, repeats, disk
  printf "%-46s %9s %12s %9s %10s\n", "writer", "seconds", "rows/s", "MB/s", "MB/s ÷ dd"
  printf "%-46s %9.3f %12.0f %9.1f %9.2f×\n", "store API: create+write+flush+close", total, rows / total, raw / total / 1e6, dds / total
  printf "%-46s %9.3f %12.0f %9.1f\n", "  of which create (params, seeds, fills)", create, rows / create, raw / create / 1e6
  printf "%-46s %9.3f %12.0f %9.1f\n", "  of which block writes (37 B/row)", write, rows / write, wb / write / 1e6
  printf "%-46s %9.3f\n", "  of which final flush and close", closing
  printf "%-46s %9.3f %12s %9.1f %9.2f×\n", "dd conv=fsync, same bytes", dds, "", raw / dds / 1e6, 1
  printf "%-46s %9.3f %12s %9.1f %9.2f×\n", "dd without fsync, same bytes", ddn, "", raw / ddn / 1e6, dds / ddn
  printf "%-46s %9.3f %12.0f %9.1f %9.2f×\n", "mechsweep run (1 process), whole command", mt, rows / mt, traw / mt / 1e6, (traw / mt) / (raw / dds)
  printf "%-46s %9.3f %12.0f\n", "  of which run segment (tasks + writes)", ms, rows / ms
  printf "\n%-46s %14s %14s\n", "file size", "bytes", "÷ raw data"
  printf "%-46s %14d %13.2f×\n", "raw data (53 B/row)", raw, 1
  printf "%-46s %14d %13.2f×\n", "store API file, stat (apparent)", app, app / raw
  printf "%-46s %14d %13.2f×\n", "store API file, du (allocated blocks)", alloc, alloc / raw
  printf "%-46s %14d %13.2f×\n", "mechsweep store: raw data (datasets but error)", traw, 1
  printf "%-46s %14d %13.2f×\n", "mechsweep store, stat (apparent)", tapp, tapp / traw
  printf "%-46s %14d %13.2f×\n", "mechsweep store, du (allocated blocks)", talloc, talloc / traw
}'
