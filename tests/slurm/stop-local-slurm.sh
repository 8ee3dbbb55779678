#!/usr/bin/env bash
# Stops the cluster that start-local-slurm.sh started in DIR: cancels its jobs
# (by job id), then stops exactly the daemons listed in DIR/pids (slurmd,
# slurmctld, munged), by process id. Safe to run twice, or when nothing runs.
set -uo pipefail

dir=${1:?usage: stop-local-slurm.sh DIR}
[[ -d $dir ]] || exit 0
dir=$(cd "$dir" && pwd)
pids_file=$dir/pids
[[ -s $pids_file ]] || { echo "stop-local-slurm: nothing to stop in $dir"; exit 0; }

# A pid is ours only while it still runs the daemon we started (pids get reused).
ours() {  # NAME PID
  [[ -r /proc/$2/cmdline ]] && tr '\0' ' ' <"/proc/$2/cmdline" | grep -q -- "$1"
}

declare -A pid_of
while read -r name pid; do pid_of[$name]=$pid; done <"$pids_file"

# Jobs first: their slurmstepd processes outlive slurmd.
if [[ -n ${pid_of[slurmctld]:-} ]] && ours slurmctld "${pid_of[slurmctld]}"; then
  export SLURM_CONF=$dir/slurm.conf
  jobs=$(squeue -h -o %A 2>/dev/null | sort -u)
  if [[ -n $jobs ]]; then
    # shellcheck disable=SC2086
    scancel $jobs 2>/dev/null || true
    for _ in $(seq 50); do
      [[ -z $(squeue -h -o %A 2>/dev/null) ]] && break
      sleep 0.2
    done
  fi
fi

stop() {  # NAME
  local name=$1 pid=${pid_of[$1]:-}
  [[ -n $pid ]] && ours "$name" "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do ours "$name" "$pid" || return 0; sleep 0.2; done
  echo "stop-local-slurm: $name ($pid) ignored SIGTERM for 10 s; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
stop slurmd
stop slurmctld
stop munged
rm -f "$pids_file" "$dir/slurmd.pid" "$dir/slurmctld.pid"
echo "stop-local-slurm: stopped the cluster in $dir"
