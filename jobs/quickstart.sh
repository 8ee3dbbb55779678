#!/usr/bin/env bash
# The README's first command: install, build, and run the default sweep on
# 2 MPI ranks into quick.h5, then show its status.
set -euo pipefail
cd "$(dirname "$0")/.."
bash jobs/install-deps.sh
bash jobs/build.sh
source jobs/mpi-env.sh
config=${1:-configs/quick.yaml}
out=${2:-quick.h5}
mpirun -np "${RANKS:-2}" build/mechsweep run "$config" --out "$out" --force
build/mechsweep status "$out"
