"""Parallel efficiency of the runner on 2 cores, and the tail with uneven task costs.

    /usr/bin/python3 bench/efficiency.py [--build DIR] [--repeats R] [--short]

1. Efficiency T1 / (2·T2): the same sweep on 1 rank and on 2 ranks (the
   master computes as well, the default on ≤ 4 ranks), T the run segment's
   wall time (/runs/wall_seconds: tasks, messages and writes, after the store
   is created), best of R runs each. T2′ is the other way to use 2 cores:
   `mpirun -np 3 --master schedule`, two computing workers and a master that
   only schedules (and sleeps between requests). The efficiency is split into
   busy (Σ task seconds / (2·T2): how much of the two ranks' time went to
   tasks, which is what the scheduler controls) over slowdown (Σ task seconds
   on 2 ranks / Σ on 1 rank: how much slower the same tasks ran with both
   cores taken, which on a shared machine is other people's jobs); `sim` is
   bench/schedule_sim replaying the protocol on the T1 run's task times.
   Sweeps:
     persuasion   configs/persuasion_market.yaml (60 tasks, from milliseconds
                  to 9 s: four tasks hold 97 % of the work);
     synthetic    synthetic.trivial, 400 tasks whose spin is log-uniform over a
                  100× range in random order, about 8 s of work.
2. Tail: synthetic.trivial on 2 ranks, 400 tasks, the same total work (about
   8 s on one core), spin log-uniform over a spread of 1×, 10×, 100× and
   1000× (the cost of the dearest task over the cheapest), in random,
   ascending and descending order of cost. Measured: wall, Σ task seconds /
   (2·wall), the tail wall − min_r B_r (B_r: rank r's summed task seconds, so
   the time from the first rank going idle to the end), rank 0's share of the
   work counted in spin iterations (free of the machine's noise), the dearest
   task. Simulated on the same costs: efficiency, tail, longest chunk.
3. Chunk policies in simulation (schedule_sim) on 100 instances of three
   heavy-tailed families: the current policy (0.25 s chunks, computing
   master), smaller chunk targets, a master that only schedules, and a master
   that would answer requests inside its own tasks; against list scheduling
   (one task at a time to the first free rank, no latency).

--short: 40 tasks of about 0.1 s in all, one run, spreads 1× and 1000×, 5
instances (CI).
"""

import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mechsweep_run(build, ranks, config, overrides, out, master="auto"):
    """Runs `mpirun -np ranks mechsweep run` and returns the store's (wall, seconds, rank)."""
    command = ["mpirun", "-np", str(ranks), os.path.join(build, "mechsweep"), "run", config, "--quiet", "--force",
               "--out", out, "--master", master]
    for override in overrides:
        command += ["--set", override]
    # jobs/mpi-env.sh holds the Open MPI settings every launcher needs.
    subprocess.run(["bash", "-c", 'source jobs/mpi-env.sh && exec "$@"', "mpirun", *command], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with h5py.File(out, "r") as store:
        status = store["tasks/status"][()]
        if not (status == 1).all():
            sys.exit(f"efficiency: {int((status != 1).sum())} tasks of {config} did not finish")
        return float(store["runs/wall_seconds"][-1]), store["tasks/seconds"][()], store["tasks/rank"][()]


def seconds_per_spin(build, out):
    """Calibration: seconds of one busy-work iteration of synthetic.trivial."""
    spin = 20_000_000
    _, seconds, _ = mechsweep_run(build, 1, "configs/trivial.yaml",
                                  ["sweep.x={linspace: [0, 1, 5]}", f"params.spin={spin}", "params.n=0"], out)
    return float(seconds.min()) / spin


def spins(tasks, spread, total_seconds, per_spin, order, seed=12):
    """`tasks` spin values log-uniform over [a, a·spread], scaled so that they
    cost `total_seconds` in all, in random, ascending or descending order."""
    rng = np.random.default_rng(seed)
    relative = np.exp(rng.uniform(0.0, np.log(spread), tasks)) if spread > 1 else np.ones(tasks)
    values = np.maximum(1, np.round(relative * total_seconds / per_spin / relative.sum())).astype(np.int64)
    if order == "ascending":
        values.sort()
    elif order == "descending":
        values[::-1].sort()
    return values


def spin_overrides(values):
    return ["params.n=0", "sweep.x=[0]", "sweep.spin=[" + ", ".join(str(v) for v in values) + "]"]


def simulate(build, sweeps, *options):
    """bench/schedule_sim on {label: costs}: {label: its figures}."""
    lines = "".join(label + " " + " ".join(repr(float(c)) for c in costs) + "\n" for label, costs in sweeps.items())
    result = subprocess.run([os.path.join(build, "bench", "schedule_sim"), *options], input=lines, text=True,
                            capture_output=True, check=True)
    figures = {}
    for line in result.stdout.splitlines():
        label, *fields = line.split()
        figures[label] = {key: float(value) for key, value in (field.split("=") for field in fields)}
    return figures


def list_scheduling(costs, ranks=2):
    """Efficiency of the ideal online schedule: one task at a time, in order, to
    the first free rank, no messages (what no chunking and no latency would give)."""
    free = [0.0] * ranks
    for cost in costs:
        free[free.index(min(free))] += cost
    return sum(costs) / (ranks * max(free))


def best_run(build, ranks, config, overrides, out, repeats, master="auto"):
    """The run with the shortest wall time of `repeats`: (wall, seconds, rank)."""
    return min((mechsweep_run(build, ranks, config, overrides, out, master) for _ in range(repeats)),
               key=lambda run: run[0])


def efficiency_table(build, repeats, tasks, total, per_spin, short, out):
    print("\n1. efficiency T1 / (2·T2), run segment wall time, split as busy / slowdown:")
    print("   busy = Σ task seconds / (2·T2), the share of the 2 ranks' time spent in tasks (the runner's part);")
    print("   slowdown = Σ task seconds on 2 ranks / Σ on 1 rank, the same tasks run slower when both cores")
    print("   are taken (the machine's part: other jobs, shared caches); sim: schedule_sim on the T1 task times.")
    print("   T2′: mpirun -np 3 --master schedule (two computing workers, rank 0 only schedules).")
    print(f"{'sweep':<44} {'T1 s':>6} {'T2 s':>6} {'T1/2T2':>7} {'busy':>6} {'slow':>5} {'sim':>6} "
          f"{'T2′ s':>6} {'T1/2T2′':>8} {'busy′':>6} {'slow′':>6} {'sim′':>6}")
    sweeps = [("synthetic: spin log-uniform 100×, random", "configs/trivial.yaml",
               spin_overrides(spins(tasks, 100, total, per_spin, "random")))]
    if not short:
        sweeps.insert(0, ("persuasion: configs/persuasion_market.yaml", "configs/persuasion_market.yaml", []))
    costs = {}
    for label, config, overrides in sweeps:
        t1, seconds, _ = best_run(build, 1, config, overrides, out, repeats)
        row = f"{label:<44} {t1:6.2f}"
        key = label.split(":")[0]
        costs[key] = seconds
        for ranks, master in ((2, "auto"), (3, "schedule")):
            t2, seconds2, _ = best_run(build, ranks, config, overrides, out, repeats, master)
            busy = float(seconds2.sum()) / (2 * t2)
            slowdown = float(seconds2.sum()) / float(seconds.sum())
            sim = simulate(build, {key: seconds}, "--ranks", str(ranks), "--master", master)[key]["efficiency"]
            row += f" {t2:6.2f} {t1 / (2 * t2):7.3f} {busy:6.3f} {slowdown:5.2f} {sim:6.3f}"
        print(row)
    return costs


def tail_table(build, repeats, tasks, total, per_spin, spreads, out):
    print("\n2. tail on 2 ranks (master computes): the same total work, spin log-uniform over the spread")
    print(f"{'spread':>7} {'order':>10} {'wall s':>7} {'Σ/(2·wall)':>10} {'tail s':>7} {'work r0':>8} "
          f"{'max task':>8} {'sim eff':>8} {'sim tail':>8} {'sim chunk':>9}")
    for spread in spreads:
        for order in ("random", "ascending", "descending"):
            values = spins(tasks, spread, total, per_spin, order)
            overrides = spin_overrides(values)
            runs = [mechsweep_run(build, 2, "configs/trivial.yaml", overrides, out) for _ in range(repeats)]
            wall, seconds, rank = min(runs, key=lambda run: run[0])
            busy = [float(seconds[rank == r].sum()) for r in (0, 1)]
            # The work split in spin iterations: what the schedule did, free of the machine's noise.
            work_r0 = float(values[rank == 0].sum()) / float(values.sum())
            sim = simulate(build, {"s": values * per_spin}, "--ranks", "2")["s"]
            print(f"{spread:6d}× {order:>10} {wall:7.2f} {seconds.sum() / (2 * wall):10.3f} {wall - min(busy):7.3f} "
                  f"{work_r0:8.1%} {float(values.max()) * per_spin:8.3f} {sim['efficiency']:8.3f} "
                  f"{sim['tail']:8.3f} {sim['longest_chunk']:9.3f}")


def policy_table(build, costs, instances):
    print(f"\n3. chunk policy in simulation: mean (min) efficiency over {instances} instances of each family")
    rng = np.random.default_rng(3)
    base = costs.get("persuasion", costs["synthetic"])
    families = {
        "persuasion_market shuffled" if "persuasion" in costs else "synthetic shuffled":
            [rng.permutation(base) for _ in range(instances)],
        "log-uniform 1000×": [],
        "Pareto α=1.5": [(rng.pareto(1.5, 400) + 1.0) * 0.005 for _ in range(instances)],
    }
    for _ in range(instances):  # 400 tasks, 8 s in all, like the tail study
        relative = np.exp(rng.uniform(0.0, np.log(1000), 400))
        families["log-uniform 1000×"].append(relative * 8.0 / relative.sum())
    print(f"{'policy':<58}" + "".join(f" {family:>28}" for family in families))
    for name, options in (("2 ranks, master computes", ["--ranks", "2"]),
                          ("3 ranks, master only schedules", ["--ranks", "3", "--master", "schedule"]),
                          ("2 ranks, master computes, answers at once*", ["--ranks", "2", "--master", "prompt"])):
        for target in (None, 0.05, 0.01):
            label = f"{name}, target {target or 0.25} s" + (" (now)" if target is None and "*" not in name else "")
            row = f"{label:<58}"
            for members in families.values():
                extra = ["--target", str(target)] if target else []
                sim = simulate(build, {f"i{i}": m for i, m in enumerate(members)}, *options, *extra)
                values = [figures["efficiency"] for figures in sim.values()]
                row += f" {np.mean(values):20.3f} ({min(values):.3f})"
            print(row)
    row = f"{'list scheduling: 1 task at a time, no latency':<58}"
    for members in families.values():
        ideal = [list_scheduling(list(m)) for m in members]
        row += f" {np.mean(ideal):20.3f} ({min(ideal):.3f})"
    print(row)
    print("* not the runner's protocol: a master that answers requests inside its own tasks (a second thread)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory holding mechsweep")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (the best is kept)")
    parser.add_argument("--short", action="store_true", help="tiny sweeps, one run (CI)")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    repeats = 1 if args.short else args.repeats
    tasks = 40 if args.short else 400
    total = 0.1 if args.short else 8.0
    spreads = [1, 1000] if args.short else [1, 10, 100, 1000]

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "efficiency.h5")
        per_spin = seconds_per_spin(build, out)
        print(f"efficiency: {os.cpu_count()} cores; one spin iteration = {per_spin * 1e9:.2f} ns; best of {repeats}")
        costs = efficiency_table(build, repeats, tasks, total, per_spin, args.short, out)
        tail_table(build, repeats, tasks, total, per_spin, spreads, out)
        policy_table(build, costs, 5 if args.short else 100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
