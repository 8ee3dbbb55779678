#!/usr/bin/env bash
# The commands a user types to run a sweep on a SLURM cluster, from submission
# to aggregated results. Read it as a recipe (each step says what to expect);
# running it whole submits two jobs, waits for them and merges the array.
#
#   cd /shared/scratch/me && bash ~/mechsweep/jobs/slurm/example.sh [CONFIG]
#
# Stores, scripts and logs go to the working directory, which must be on a
# file system every node sees. CONFIG defaults to configs/quick.yaml; the
# binary is build/mechsweep (MECHSWEEP=... to use another). To try it on one
# machine, as root, start the test cluster first:
#   tests/slurm/start-local-slurm.sh /tmp/mslurm && export SLURM_CONF=/tmp/mslurm/slurm.conf
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-$repo/configs/quick.yaml}
mechsweep=${MECHSWEEP:-$repo/build/mechsweep}

wait_for() {  # JOB: until squeue no longer lists it (or any of its array tasks)
  while squeue -h -j "$1" 2>/dev/null | grep -q .; do sleep 2; done
}

# 0. Check the config before queueing anything (exit 2 on a bad one).
"$mechsweep" plan "$config" | head -n 4

# 1. One job: 1 node x 2 ranks, 10 minutes. SLURM sends SIGUSR1 120 s before
#    the limit (--signal-lead); the run stops cleanly, the job requeues itself
#    and resumes the store. --dry-run prints the batch script instead.
"$mechsweep" submit "$config" --out sweep.h5 --nodes 1 --ntasks-per-node 2 --time 10:00 --dry-run | grep '^#SBATCH'
job=$("$mechsweep" submit "$config" --out sweep.h5 --nodes 1 --ntasks-per-node 2 --time 10:00 |
      tee /dev/stderr | sed -n 's/^Submitted batch job //p')

# 2. Watch it: the queue, the log (one progress line per 10%), the store.
squeue -j "$job" || true
wait_for "$job"
tail -n 2 sweep.log
"$mechsweep" status sweep.h5          # tasks done/failed/pending and each run segment

# 3. A job array: K shards, one store each, run side by side; then merge them
#    into one store, identical to a single run's.
K=3
array=$("$mechsweep" submit "$config" --out sweep-array.h5 --array $K --ntasks-per-node 1 --time 10:00 |
        tee /dev/stderr | sed -n 's/^Submitted batch job //p')
squeue -j "$array" || true            # one line per pending or running shard (JOBID_i)
wait_for "$array"
shards=()
for ((i = 0; i < K; i++)); do shards+=("sweep-array.shard-$i-of-$K.h5"); done
"$mechsweep" merge sweep-array.h5 "${shards[@]}"
"$mechsweep" status sweep-array.h5

# 4. By hand, when needed:
#    scontrol requeue JOB        stop and requeue a running job (it resumes its store)
#    scancel JOB                 stop it for good; the store keeps what is done, and
#    sbatch sweep.sbatch         resumes it later (the script resumes an existing store)
#    mpirun mechsweep resume sweep.h5   finishes it outside SLURM
