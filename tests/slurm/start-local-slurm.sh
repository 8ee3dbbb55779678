#!/usr/bin/env bash
# Starts a private one-node SLURM cluster on this machine, for the slurm tests
# (tests/slurm/CMakeLists.txt runs it as a ctest fixture) or by hand:
#
#   tests/slurm/start-local-slurm.sh DIR     # DIR: private state, e.g. /tmp/mslurm
#   export SLURM_CONF=DIR/slurm.conf         # or: source DIR/env.sh
#   build/mechsweep submit configs/quick.yaml --ntasks-per-node 2
#   tests/slurm/stop-local-slurm.sh DIR
#
# Everything lives under DIR: its own munge key, munged and socket (the
# system's munged, if any, is not used or touched; under a DIR too deep for a
# socket path these go to /tmp/mechsweep-munge-*), slurm.conf, state, spool,
# logs and pid files. Debian 12's slurm-wlm (22.05) and munge are installed
# with apt-get when missing. Needs root: slurmd must switch to the job's user.
# There is no systemd: the daemons are started directly and their pids are
# written to DIR/pids, which stop-local-slurm.sh reads (it stops exactly those).
#
# Exit status: 0 the node is idle and takes jobs; 77 it cannot run here (not
# root, or SLURM missing and no apt-get): the tests skip, unless
# MECHSWEEP_REQUIRE_SLURM=1 (CI), which makes that a failure; anything else is
# a failure, with the daemons' logs printed.
set -euo pipefail

dir=${1:?usage: start-local-slurm.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
skip() {
  # CI sets MECHSWEEP_REQUIRE_SLURM=1: there a cluster that cannot start is a failure.
  if [[ ${MECHSWEEP_REQUIRE_SLURM:-0} == 1 ]]; then echo "start-local-slurm: $*" >&2; exit 1; fi
  echo "start-local-slurm: SKIP: $*" >&2
  echo "skipped: $*" >"$dir/skipped"
  exit 77
}
rm -f "$dir/skipped"

if [[ -s "$dir/pids" ]]; then
  echo "start-local-slurm: $dir/pids exists: a cluster from $dir may still run; stopping it first" >&2
  bash "$(dirname "$0")/stop-local-slurm.sh" "$dir"
fi

if [[ $(id -u) -ne 0 ]]; then
  skip "the local SLURM needs root (slurmd starts jobs as their user); run the tests as root"
fi


# --- packages ---------------------------------------------------------------
packages=(slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  command -v apt-get >/dev/null || skip "${missing[*]} missing and no apt-get to install them"
  echo "start-local-slurm: installing ${missing[*]}"
  apt-get update -qq
  # The packages' postinst scripts try to start the services; in a container
  # without an init system that is refused, which is fine: we start our own.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- layout -----------------------------------------------------------------
mkdir -p "$dir"/{state,spool,log}
rm -f "$dir"/log/*.log
# munged's key, socket and pid file. The socket path must fit in a sockaddr_un
# (108 bytes): under a deep DIR they go to a short folder in /tmp instead.
munge_dir=$dir/munge
if (( ${#munge_dir} > 80 )); then
  munge_dir=/tmp/mechsweep-munge-$(printf %s "$dir" | md5sum | cut -c1-12)
fi
mkdir -p "$munge_dir"
chmod 0700 "$munge_dir"
conf=$dir/slurm.conf
node=$(hostname -s)

# Free ports: the defaults (6817/6818) unless something listens there already
# (a real SLURM on this machine, or another test cluster).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctld_port=${MECHSWEEP_SLURMCTLD_PORT:-6817}
while port_in_use "$ctld_port" || port_in_use $((ctld_port + 1)); do ctld_port=$((ctld_port + 10)); done
slurmd_port=$((ctld_port + 1))

fail() {
  echo "start-local-slurm: $*" >&2
  for log in "$dir"/log/*.log; do echo "--- $log" >&2; tail -n 30 "$log" >&2 || true; done
  bash "$(dirname "$0")/stop-local-slurm.sh" "$dir" || true
  exit 1
}

# --- munge --------------------------------------------------------------------
key=$munge_dir/munge.key
if [[ ! -s $key ]]; then
  mungekey --create --keyfile="$key"
fi
chmod 0600 "$key"
socket=$munge_dir/munge.socket.2
rm -f "$munge_dir/munged.pid"
# --force: munged refuses root and some directory ownerships without it.
munged --force --socket="$socket" --key-file="$key" --pid-file="$munge_dir/munged.pid" \
  --log-file="$dir/log/munged.log" --seed-file="$munge_dir/munged.seed" || fail "munged did not start"
munged_pid=$(<"$munge_dir/munged.pid")
echo "munged $munged_pid" >"$dir/pids"

# --- slurm.conf -----------------------------------------------------------------
# The node line as slurmd itself sees this machine (CPUs, sockets, cores,
# threads, memory), so the node is never drained for a mismatch.
hw=$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]* //')
[[ $hw == *CPUs=* ]] || hw="CPUs=$(nproc) RealMemory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 ))"

cat >"$conf" <<EOF
# One-node test cluster written by tests/slurm/start-local-slurm.sh.
ClusterName=mechsweep-test
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
# cred_expire: how long a requeued job waits before it may start again (default 120 s).
AuthInfo=socket=$socket,cred_expire=10
# No cgroups (often unavailable in containers): plain process tracking, no binding;
# cgroup.conf below keeps slurmd's cgroup plugin away from the machine's cgroups.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
PlugStackConfig=$dir/plugstack.conf
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
# A scheduling pass every 2 s (default 60), so a requeued job starts soon after it is eligible.
SchedulerParameters=sched_interval=2
JobRequeue=1
ReturnToService=2
# Short timeouts so tests are fast; completed jobs stay visible for 10 minutes.
SlurmctldTimeout=30
SlurmdTimeout=30
MessageTimeout=10
InactiveLimit=0
KillWait=5
MinJobAge=600
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
: >"$dir/plugstack.conf"
# slurmd 22.05 initialises a cgroup plugin even when no other plugin uses it
# (there is no CgroupPlugin=disabled before 23.x), and then fails where
# /sys/fs/cgroup is read-only, empty, cgroup v2 without systemd, or hybrid, as
# in many containers. So it gets a private stand-in, the same everywhere: an
# empty directory under DIR as the cgroup/v1 mount point (read from beside
# slurm.conf). With proctrack/linuxproc and task/none nothing is ever created
# there, and the machine's cgroups are never touched.
mkdir -p "$dir/cgroup"
printf "CgroupPlugin=cgroup/v1\nCgroupMountpoint=%s\n" "$dir/cgroup" >"$dir/cgroup.conf"
echo "export SLURM_CONF=$conf" >"$dir/env.sh"
export SLURM_CONF=$conf

# --- daemons --------------------------------------------------------------------
# Both daemonize (fork, setsid, close stdio) and write their pid files.
# -c: start with no jobs from an earlier cluster in this DIR.
rm -f "$dir/slurmctld.pid"
slurmctld -c -f "$conf" || fail "slurmctld did not start"
for _ in $(seq 100); do [[ -s $dir/slurmctld.pid ]] && break; sleep 0.1; done
[[ -s $dir/slurmctld.pid ]] || fail "slurmctld wrote no pid file"
echo "slurmctld $(<"$dir/slurmctld.pid")" >>"$dir/pids"

rm -f "$dir/slurmd.pid"
slurmd -f "$conf" -N "$node" || fail "slurmd did not start"
for _ in $(seq 100); do [[ -s $dir/slurmd.pid ]] && break; sleep 0.1; done
[[ -s $dir/slurmd.pid ]] || fail "slurmd wrote no pid file"
echo "slurmd $(<"$dir/slurmd.pid")" >>"$dir/pids"

# --- wait for the node ------------------------------------------------------------
state=""
for _ in $(seq 300); do
  state=$(sinfo -h -N -n "$node" -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  sleep 0.1
done
[[ $state == idle ]] || fail "node $node is '${state:-unreachable}', not idle, after 30 s"
echo "start-local-slurm: node $node idle ($hw); SLURM_CONF=$conf; pids in $dir/pids"
