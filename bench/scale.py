"""Memory and time of `plan` and `run` against the number of tasks.

    /usr/bin/python3 bench/scale.py [--build DIR] [--short]

For plans of 10^5, 10^6 and 10^7 tasks of synthetic.trivial:
  plan, one axis       `mechsweep plan` with x = linspace of N values;
  plan, two axes       x = linspace of 1000 values × spin = range of N/1000;
  run --shard 0/1000   `mpirun -np 2 mechsweep run --shard 0/1000` of the
                       two-axis plan: the store is created for all N tasks
                       (every task's parameters and seed), and only the first
                       N/1000 tasks run, so the figures are the plan's and
                       the store's, not the tasks'.
Each line gives the wall time of the whole command and the peak RSS (ru_maxrss
from wait4) of each rank. --short: 10^4 and 10^5 tasks (CI).

`bench/scale.py --measure FILE -- COMMAND...` runs COMMAND and writes its wall
time and peak RSS to FILE.RANK (the rank from OMPI_COMM_WORLD_RANK): the
wrapper mpirun starts once per rank.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measured(command, **kwargs):
    """Runs command; returns (exit status, wall seconds, peak RSS in bytes)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - start, usage.ru_maxrss * 1024


def measure_mode(prefix, command):
    code, wall, rss = measured(command, stdout=subprocess.DEVNULL)
    with open(f"{prefix}.{os.environ.get('OMPI_COMM_WORLD_RANK', '0')}", "w") as out:
        out.write(f"{wall} {rss}\n")
    return code


def mpi_command(command):
    # jobs/mpi-env.sh holds the Open MPI settings every launcher needs.
    return ["bash", "-c", 'source jobs/mpi-env.sh && exec "$@"', "bash", "mpirun", *command]


def main():
    if len(sys.argv) > 3 and sys.argv[1] == "--measure" and sys.argv[3] == "--":
        return measure_mode(sys.argv[2], sys.argv[4:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory holding mechsweep")
    parser.add_argument("--short", action="store_true", help="10^4 and 10^5 tasks (CI)")
    args = parser.parse_args()
    mechsweep = os.path.join(os.path.abspath(args.build), "mechsweep")
    sizes = [10**4, 10**5] if args.short else [10**5, 10**6, 10**7]

    print(f"scale: synthetic.trivial, {os.cpu_count()} cores")
    print(f"{'tasks':>10} {'command':<34} {'wall s':>8} {'rank 0 MB':>10} {'rank 1 MB':>10} {'store GB (du)':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            one_axis = [f"sweep.x={{linspace: [0, 1, {n}]}}"]
            two_axes = ["sweep.x={linspace: [0, 1, 1000]}", f"sweep.spin={{range: [0, {n // 1000 - 1}, 1]}}"]
            for label, overrides in (("plan, one axis", one_axis), ("plan, two axes", two_axes)):
                command = [mechsweep, "plan", "configs/trivial.yaml"]
                for override in overrides:
                    command += ["--set", override]
                code, wall, rss = measured(command, cwd=ROOT, stdout=subprocess.DEVNULL)
                if code != 0:
                    sys.exit(f"scale: {' '.join(command)} exited {code}")
                print(f"{n:10d} {label:<34} {wall:8.3f} {rss / 1e6:10.1f}")

            store = os.path.join(tmp, "scale.h5")
            prefix = os.path.join(tmp, "rss")
            command = ["-np", "2", sys.executable, os.path.abspath(__file__), "--measure", prefix, "--", mechsweep, "run",
                       "configs/trivial.yaml", "--shard", "0/1000", "--quiet", "--force", "--out", store]
            for override in two_axes:
                command += ["--set", override]
            start = time.perf_counter()
            subprocess.run(mpi_command(command), cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            rss = []
            for rank in (0, 1):
                with open(f"{prefix}.{rank}") as f:
                    rss.append(float(f.read().split()[1]))
            allocated = os.stat(store).st_blocks * 512
            print(f"{n:10d} {'run --shard 0/1000, 2 ranks':<34} {wall:8.3f} {rss[0] / 1e6:10.1f} {rss[1] / 1e6:10.1f} "
                  f"{allocated / 1e9:14.3f}")
            os.remove(store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
