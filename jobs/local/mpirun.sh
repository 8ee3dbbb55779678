#!/usr/bin/env bash
# mpirun with this project's settings, for a workstation or laptop:
#   jobs/local/mpirun.sh -np 4 build/mechsweep run configs/quick.yaml --out quick.h5
# Use a hostfile for several machines: jobs/local/mpirun.sh --hostfile hosts -np 16 ...
# (hosts.example: two nodes; hosts.localhost: this machine named twice, 2 ranks).
# Stop a run cleanly with `kill -USR1 <mpirun pid>`; it exits 4 and `resume` finishes it.
set -euo pipefail
source "$(dirname "$0")/../mpi-env.sh"
exec mpirun "$@"
