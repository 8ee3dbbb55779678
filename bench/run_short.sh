#!/usr/bin/env bash
# Runs every benchmark once in a short mode, so that none can rot: each Google
# Benchmark program with a tiny minimum time (the slowest cases filtered out),
# and each end-to-end script with --short. Fails if any of them fails, or if a
# NumPy result disagrees with the C++ one. No timing is checked.
#
#   bash bench/run_short.sh [build-dir]      (default build; about 2–3 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
python=/usr/bin/python3
start=$(date +%s)

step() {  # label, command...
  local label=$1
  shift
  local t0
  t0=$(date +%s)
  echo "== $label"
  "$@"
  echo "-- $label: $(($(date +%s) - t0)) s"
}

# Google Benchmark 1.7 reads --benchmark_min_time as seconds without a suffix.
gbench() {  # program, filter
  step "$1" "$build/bench/$1" --benchmark_min_time=0.01 "--benchmark_filter=$2"
}
gbench runner_bench .
gbench testdesign_bench '-BM_Optimize'  # the searches take seconds per iteration
gbench coalition_bench .
gbench delegation_bench '/([1-8])$'      # J, N ≤ 8
gbench fpre_bench .
gbench persuasion_bench '/(10|30|100)$'  # n ≤ 100

step "dispatch" bench/dispatch.sh --build "$build" --short
step "efficiency" "$python" bench/efficiency.py --build "$build" --short
step "store throughput" bench/store_throughput.sh --build "$build" --short
step "scale" "$python" bench/scale.py --build "$build" --short
step "testdesign vs NumPy" "$python" bench/numpy/testdesign_numpy.py --build "$build" --short
step "persuasion vs NumPy" "$python" bench/numpy/persuasion_numpy.py --build "$build" --short
echo "== bench/run_short.sh finished in $(($(date +%s) - start)) s"
