#!/usr/bin/env bash
# End-to-end runner benchmarks, reported as ratios measured in the same run:
#   1. throughput on trivially cheap tasks (configs/trivial.yaml), 1 vs 2 ranks;
#   2. compute-bound tasks on 2 cores: 1 process vs 2 ranks with the master
#      computing vs 2 ranks with a schedule-only master, and rank 0's CPU time
#      (a master that spun would burn ~1 core of CPU while scheduling);
#   3. configs/quick.yaml on 1 and 2 ranks.
# Usage: bench/runner_e2e.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
source jobs/mpi-env.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {  # label, ranks, args... → prints label and the summary line
  local label=$1 ranks=$2
  shift 2
  local line
  if [[ $ranks == 0 ]]; then
    line=$("$build/mechsweep" run "$@" --quiet --force --out "$tmp/out.h5")
  else
    line=$(mpirun -np "$ranks" "$build/mechsweep" run "$@" --quiet --force --out "$tmp/out.h5")
  fi
  printf '%-44s %s\n' "$label" "${line#*: }"
}

echo "== trivially cheap tasks (200000 tasks)"
run "1 process (no mpirun)" 0 configs/trivial.yaml
run "mpirun -np 2" 2 configs/trivial.yaml

echo "== compute-bound tasks (400 tasks of ~25 ms)"
spin=(configs/trivial.yaml --set 'sweep.x={linspace: [0, 1, 400]}' --set params.spin=6000000)
run "1 process" 0 "${spin[@]}"
run "mpirun -np 2, master computes" 2 "${spin[@]}" --master compute
run "mpirun -np 2, master schedules only" 2 "${spin[@]}" --master schedule
run "mpirun -np 3, master schedules only" 3 "${spin[@]}" --master schedule

echo "== configs/quick.yaml"
run "1 process" 0 configs/quick.yaml
run "mpirun -np 2" 2 configs/quick.yaml
