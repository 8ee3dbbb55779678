#!/usr/bin/env bash
# Dispatch rate on trivially cheap tasks: mechsweep (store on) against
# mpi4py.futures and against a bare MPI request/reply loop, on 2 and 3 ranks.
#
#   bench/dispatch.sh [--build DIR] [--mechsweep BINARY] [--also BINARY] [--tasks N] [--repeats R] [--short]
#
# Every tool runs the same N tasks (default 200000) on the same ranks, warm,
# best of R (default 3) runs; the rates are tasks per second of the dispatch
# phase alone (after start-up, before shut-down):
#   bare      build/bench/bare_dispatch: rank 0 hands out ranges of task ids to
#             K-1 workers, two integers per message, no serialization, no
#             store (chunks of 1, 64 and 4096 tasks);
#   mpi4py    MPIPoolExecutor.map under `python3 -m mpi4py.futures` (K-1
#             workers, default options), chunksize 1 (one map: minutes) and
#             64, after a warm-up map;
#   mechsweep `mechsweep run` on synthetic.trivial (n = 0, spin = 0) writing
#             every row to its HDF5 store; the rate is the run summary's
#             (the run segment: tasks, messages and store writes, not the
#             store's creation). `--master auto` (rank 0 also computes, the
#             default on ≤ 4 ranks) and `--master schedule` (K-1 computing
#             ranks, like the other two).
# 3 ranks on 2 cores are oversubscribed. --mechsweep times another build of
# mechsweep (default DIR/mechsweep); --also adds a second build to the same
# run (e.g. a patched one), with its own rows and ratios. --short: 5000
# tasks, 1 run (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
mechsweep=""
also=""
tasks=200000
repeats=3
chunks_bare=(1 64 4096)
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --mechsweep) mechsweep=$2; shift 2 ;;
    --also) also=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --short) tasks=5000; repeats=1; shift ;;
    *) echo "usage: $0 [--build DIR] [--mechsweep BINARY] [--also BINARY] [--tasks N] [--repeats R] [--short]" >&2; exit 2 ;;
  esac
done
mechsweep=${mechsweep:-$build/mechsweep}
source jobs/mpi-env.sh
python=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

field() {  # key, "k=v k=v" line → v
  sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"
}

best_of() {  # command... → the largest tasks_per_s over $repeats runs
  local best=0 rate
  for ((r = 0; r < repeats; r++)); do
    rate=$(field tasks_per_s "$("$@")")
    best=$(awk -v a="$best" -v b="$rate" 'BEGIN { print (b > a) ? b : a }')
  done
  echo "$best"
}

mechsweep_rate() {  # binary, ranks, master role → tasks/s of the run segment
  local line
  line=$(mpirun -np "$2" "$1" run configs/trivial.yaml --set "sweep.x={linspace: [0, 1, $tasks]}" \
    --set params.n=0 --master "$3" --quiet --force --out "$tmp/dispatch.h5")
  # "...: N done, 0 failed in S s (R tasks/s, K ranks; ...)"
  echo "x tasks_per_s=$(sed -n 's/.*(\([0-9.]*\) tasks\/s.*/\1/p' <<<"$line")"
}

declare -A rate
for ranks in 2 3; do
  for chunk in "${chunks_bare[@]}"; do
    rate[bare,$ranks,$chunk]=$(best_of mpirun -np "$ranks" "$build/bench/bare_dispatch" "$tasks" "$chunk")
  done
  for chunk in 1 64; do
    # The script times maps in one warm pool and prints the best. At chunksize
    # 1 one map of 200000 tasks takes minutes and varies little: one map.
    maps=$repeats
    if [[ $chunk == 1 ]]; then maps=1; fi
    line=$(mpirun -np "$ranks" "$python" -m mpi4py.futures bench/mpi4py_dispatch.py "$tasks" "$chunk" "$maps")
    rate[mpi4py,$ranks,$chunk]=$(field tasks_per_s "$line")
  done
  mpirun -np "$ranks" "$mechsweep" run configs/trivial.yaml --set "sweep.x={linspace: [0, 1, $tasks]}" \
    --set params.n=0 --quiet --force --out "$tmp/dispatch.h5" >/dev/null  # warm-up: page cache, binaries
  for role in auto schedule; do
    rate[mechsweep,$ranks,$role]=$(best_of mechsweep_rate "$mechsweep" "$ranks" "$role")
    if [[ -n $also ]]; then rate[also,$ranks,$role]=$(best_of mechsweep_rate "$also" "$ranks" "$role"); fi
  done
done

echo "dispatch: $tasks trivially cheap tasks, best of $repeats; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo "mechsweep: $mechsweep${also:+; also: $also}"
printf '%-40s %14s %14s\n' "tool" "2 ranks" "3 ranks"
row() {  # label, key prefix, suffix
  printf '%-40s %14.0f %14.0f\n' "$1" "${rate[$2,2,$3]}" "${rate[$2,3,$3]}"
}
for chunk in "${chunks_bare[@]}"; do row "bare MPI loop, chunk $chunk" bare "$chunk"; done
for chunk in 1 64; do row "mpi4py.futures, chunksize $chunk" mpi4py "$chunk"; done
row "mechsweep, --master auto (store on)" mechsweep auto
row "mechsweep, --master schedule (store on)" mechsweep schedule
if [[ -n $also ]]; then
  row "also, --master auto (store on)" also auto
  row "also, --master schedule (store on)" also schedule
fi

max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
printf '%-40s %14s %14s\n' "ratio" "2 ranks" "3 ranks"
for key in mechsweep${also:+ also}; do
for role in auto schedule; do
  line_mpi4py=() line_bare=()
  for ranks in 2 3; do
    best_mpi4py=$(max "${rate[mpi4py,$ranks,1]}" "${rate[mpi4py,$ranks,64]}")
    best_bare=$(max "$(max "${rate[bare,$ranks,1]}" "${rate[bare,$ranks,64]}")" "${rate[bare,$ranks,4096]}")
    line_mpi4py+=("$(ratio "${rate[$key,$ranks,$role]}" "$best_mpi4py")")
    line_bare+=("$(ratio "${rate[$key,$ranks,$role]}" "$best_bare")")
  done
  printf '%-40s %13s× %13s×\n' "$key $role / best mpi4py" "${line_mpi4py[@]}"
  printf '%-40s %13s× %13s×\n' "$key $role / best bare loop" "${line_bare[@]}"
done
done
