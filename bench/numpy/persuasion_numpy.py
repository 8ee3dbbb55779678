"""The persuasion D1 vertex (full revelation, spec 004 §5) in NumPy, against the
C++ oracle that bench/persuasion_bench.cpp times as BM_FrVertex.

    /usr/bin/python3 bench/numpy/persuasion_numpy.py [--build DIR] [--short]

The C++ binary prints every instance it times (rank function, prior, priority
order) and the vertex it computes (`persuasion_bench --dump_vertices`); this
script recomputes each vertex from those inputs with NumPy, checks that the two
agree (relative 1e-9), and prints the time of one vertex in each and their
ratio, for n = 10 … 1000. C++ times are the fastest of 3 repetitions of
BM_FrVertex; NumPy times the fastest of repeated calls. Exits 1 on a
disagreement.

The NumPy code is the natural vectorisation: the Poisson-binomial DP
(uniform, partition) runs a Python loop over agents with NumPy operations over
the k count states; the click product oracle is fully vectorised (cumprod).
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import benchmark_times, best_time, run_json  # noqa: E402


class Instance:
    def __init__(self, entry):
        self.name = entry["name"]
        self.constraint = entry["constraint"]
        self.n = entry["n"]
        self.order = np.array(entry["order"], dtype=np.int64)
        support = max(len(v) for v in entry["values"])
        # Padded (n, support) arrays; padding has probability 0 and value -inf.
        self.values = np.full((self.n, support), -np.inf)
        self.probabilities = np.zeros((self.n, support))
        for i, (v, p) in enumerate(zip(entry["values"], entry["probabilities"])):
            self.values[i, : len(v)] = v
            self.probabilities[i, : len(p)] = p
        self.levels = np.unique(self.values[np.isfinite(self.values)])[::-1]  # descending
        self.mean = (np.where(self.probabilities > 0, self.values, 0.0) * self.probabilities).sum(axis=1)
        self.k = entry.get("k")
        self.group_of = np.array(entry["group_of"]) if "group_of" in entry else None
        self.capacity = entry.get("capacity")
        self.p = np.array(entry["p"]) if "p" in entry else None
        self.expected = np.array(entry["vertex"])


def level_probabilities(instance, members, x):
    """P(v_i > x) and P(v_i = x) for the listed members."""
    values = instance.values[members]
    probabilities = instance.probabilities[members]
    above = np.where(values > x, probabilities, 0.0).sum(axis=1)
    equal = np.where(values == x, probabilities, 0.0).sum(axis=1)
    return above, equal


def add_bernoulli(pmf, r):
    """pmf of a count, truncated to len(pmf) states, after adding a Bernoulli(r)."""
    pmf[1:] = pmf[1:] * (1.0 - r) + pmf[:-1] * r
    pmf[0] *= 1.0 - r


def uniform_vertex(instance, members, k, out):
    """min(|S|, k): member t is selected iff fewer than k members rank ahead
    (v_j > x, or v_j = x and j earlier in the order)."""
    m = len(members)
    if m == 0 or k <= 0:
        return
    if k >= m:
        out[members] += instance.mean[members]
        return
    suffix_cdf = np.empty((m, k))
    prefix = np.empty((m, k))
    for x in instance.levels:
        above, equal = level_probabilities(instance, members, x)
        ahead_if_before = np.minimum(1.0, above + equal)
        pmf = np.zeros(k)
        pmf[0] = 1.0
        for t in range(m - 1, -1, -1):
            suffix_cdf[t] = np.cumsum(pmf)
            add_bernoulli(pmf, above[t])
        pmf = np.zeros(k)
        pmf[0] = 1.0
        for t in range(m):
            prefix[t] = pmf
            add_bernoulli(pmf, ahead_if_before[t])
        # P(fewer than k ahead) = Σ_c P(c ahead before t) · P(≤ k−1−c ahead after t).
        selected = np.einsum("tc,tc->t", prefix, suffix_cdf[:, ::-1])
        out[members] += equal * x * selected


def click_vertex(instance, members, out):
    """1 − Π(1 − p_i): x_i = p_i Π_{j ahead} (1 − p_j)."""
    p = instance.p[members]
    for x in instance.levels:
        above, equal = level_probabilities(instance, members, x)
        miss_after = 1.0 - p * above
        miss_before = 1.0 - p * np.minimum(1.0, above + equal)
        suffix = np.append(np.cumprod(miss_after[::-1])[::-1][1:], 1.0)
        prefix = np.concatenate(([1.0], np.cumprod(miss_before)[:-1]))
        out[members] += equal * x * p * prefix * suffix


def vertex(instance):
    out = np.zeros(instance.n)
    if instance.constraint == "uniform":
        uniform_vertex(instance, instance.order, instance.k, out)
    elif instance.constraint == "partition":
        groups = instance.group_of[instance.order]
        for g, capacity in enumerate(instance.capacity):
            uniform_vertex(instance, instance.order[groups == g], capacity, out)
    else:
        click_vertex(instance, instance.order, out)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory holding bench/persuasion_bench")
    parser.add_argument("--short", action="store_true", help="n ≤ 100 and short timings (CI)")
    args = parser.parse_args()
    binary = os.path.join(args.build, "bench", "persuasion_bench")

    instances = [Instance(e) for e in run_json([binary, "--dump_vertices"])]
    if args.short:
        instances = [i for i in instances if i.n <= 100]
    min_time = 0.01 if args.short else 0.2
    cpp = benchmark_times(binary, "BM_FrVertex/.*/(10|30|100)$" if args.short else "BM_FrVertex/", 1 if args.short else 3,
                          min_time)

    print(f"{'instance':<26} {'max rel diff':>12} {'C++ µs':>10} {'NumPy µs':>10} {'NumPy / C++':>12}")
    worst = 0.0
    for instance in instances:
        seconds, result = best_time(lambda: vertex(instance), min_total=0.02 if args.short else 0.3)
        scale = max(np.abs(instance.expected).max(), 1e-300)
        diff = np.abs(result - instance.expected).max() / scale
        worst = max(worst, diff)
        cpp_seconds = cpp[f"BM_FrVertex/{instance.name}"]
        print(f"{instance.name:<26} {diff:12.1e} {cpp_seconds * 1e6:10.2f} {seconds * 1e6:10.1f} "
              f"{seconds / cpp_seconds:11.1f}×")
    if worst > 1e-9:
        print(f"persuasion_numpy: NumPy and C++ vertices differ (max relative difference {worst:.1e})")
        return 1
    print(f"persuasion_numpy: all {len(instances)} vertices agree (max relative difference {worst:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
