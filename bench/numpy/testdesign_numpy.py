"""The test-design value on a grid of types in NumPy, against the C++ that
bench/testdesign_bench.cpp times as BM_GridValue.

    /usr/bin/python3 bench/numpy/testdesign_numpy.py [--build DIR] [--short]

The quantity: the principal's value (P(select a qualified agent), spec 003
§1.8) of the simultaneous stringent tests h⁺ (θ = 45°, η = 1, manipulation),
for a Gaussian F (centre (1, 2), σ = 2), as the density-weighted sum over an
M × M midpoint grid on the square centre ± 6σ; one best response per grid
point. `testdesign_bench --dump_grid` prints the instance (criteria and test
half-planes, test vertex and edges) and its grid sums; this script computes
the same sums with NumPy (vectorised over all points, with the C++ tie and
tolerance rules), checks that they agree (relative 1e-12), and prints the
time of one sum in each and their ratio for M = 64 … 2048. It also prints each
grid sum's distance to the exact value from the C++ quadrature (`evaluate`),
and the time of that quadrature, the way the library computes the value.
Exits 1 on a disagreement.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import benchmark_times, best_time, run_json  # noqa: E402

RELATIVE_EPSILON = 1e-12  # geometry.hpp kRelativeEpsilon
UTILITY_TOLERANCE = 1e-12  # best_response.cpp kUtilityTolerance


def midpoint_grid(instance, m):
    """Points (x, y) and weights density × cell area, as the C++ builds them."""
    half = instance["half_width"] * instance["sigma"]
    step = 2.0 * half / m
    cx, cy = instance["center"]
    offsets = -half + (np.arange(m) + 0.5) * step
    x, y = np.meshgrid(cx + offsets, cy + offsets, indexing="ij")
    sigma = instance["sigma"]
    density = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2.0 * sigma**2)) / (2.0 * np.pi * sigma**2)
    return x.ravel(), y.ravel(), (density * step * step).ravel()


def grid_value(instance, x, y, weights):
    """Σ weight · 1[x0 ∈ H] · π(x0), π = 1 iff the one step into the tests'
    wedge H̃ costs at most 1 (spec 003 §2.2, ties §1.9)."""
    (a_nx, a_ny, a_b), (b_nx, b_ny, b_b) = instance["tests"]
    vx, vy = instance["test_vertex"]
    (ea_x, ea_y), (eb_x, eb_y) = instance["test_edges"]
    slack_a = a_nx * x + a_ny * y - a_b
    slack_b = b_nx * x + b_ny * y - b_b
    norm_x = np.hypot(x, y)
    tolerance = RELATIVE_EPSILON * (norm_x + np.hypot(vx, vy))
    stays = (slack_a >= -tolerance) & (slack_b >= -tolerance)
    # Nearest point of H̃: the foot on edge ray A, else on edge ray B, else x
    # (inside) or the vertex (Wedge::nearest_point's first-order sign rules).
    t_a = (x - vx) * ea_x + (y - vy) * ea_y
    t_b = (x - vx) * eb_x + (y - vy) * eb_y
    on_a = (slack_a < 0.0) & (t_a > 0.0)
    on_b = ~on_a & (slack_b < 0.0) & (t_b > 0.0)
    inside = (slack_a >= 0.0) & (slack_b >= 0.0)
    target_x = np.where(on_a, vx + t_a * ea_x, np.where(on_b, vx + t_b * eb_x, np.where(inside, x, vx)))
    target_y = np.where(on_a, vy + t_a * ea_y, np.where(on_b, vy + t_b * eb_y, np.where(inside, y, vy)))
    length = np.where(stays, 0.0, np.hypot(x - target_x, y - target_y))
    selected = 1.0 - instance["cost_scale"] * length >= -UTILITY_TOLERANCE
    (c_nx, c_ny, c_b), (d_nx, d_ny, d_b) = instance["criteria"]
    qualification_tolerance = RELATIVE_EPSILON * (norm_x + 1.0 / instance["cost_scale"])
    qualified = (c_nx * x + c_ny * y - c_b >= -qualification_tolerance) & (
        d_nx * x + d_ny * y - d_b >= -qualification_tolerance)
    return float(weights @ (selected & qualified))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory holding bench/testdesign_bench")
    parser.add_argument("--short", action="store_true", help="M ≤ 256 and short timings (CI)")
    args = parser.parse_args()
    binary = os.path.join(args.build, "bench", "testdesign_bench")

    instance = run_json([binary, "--dump_grid"])
    sizes = [int(m) for m in instance["grid_values"]]
    if args.short:
        sizes = [m for m in sizes if m <= 256]
    min_time = 0.01 if args.short else 0.2
    repetitions = 1 if args.short else 3
    cpp = benchmark_times(binary, "BM_GridValue/(64|128|256)$" if args.short else "BM_GridValue/", repetitions,
                          min_time)
    quadrature = benchmark_times(binary, "BM_EvaluateTolerance/0/10$", repetitions, min_time)
    quadrature_seconds = quadrature["BM_EvaluateTolerance/0/10"]
    exact = instance["exact_value"]

    print(f"exact value (C++ quadrature, abs_tol 1e-10): {exact:.15f} in {quadrature_seconds * 1e3:.3f} ms")
    print(f"{'M':>5} {'points':>9} {'grid value':>18} {'|grid - exact|':>14} {'rel diff':>9} "
          f"{'C++ ms':>9} {'NumPy ms':>9} {'NumPy / C++':>12}")
    worst = 0.0
    for m in sizes:
        x, y, weights = midpoint_grid(instance, m)
        seconds, value = best_time(lambda: grid_value(instance, x, y, weights),
                                   min_total=0.02 if args.short else 1.0)
        expected = instance["grid_values"][str(m)]
        diff = abs(value - expected) / abs(expected)
        worst = max(worst, diff)
        cpp_seconds = cpp[f"BM_GridValue/{m}"]
        print(f"{m:5d} {m * m:9d} {value:18.15f} {abs(value - exact):14.2e} {diff:9.1e} {cpp_seconds * 1e3:9.3f} "
              f"{seconds * 1e3:9.3f} {seconds / cpp_seconds:11.2f}×")
    if worst > 1e-12:
        print(f"testdesign_numpy: NumPy and C++ grid values differ (max relative difference {worst:.1e})")
        return 1
    print(f"testdesign_numpy: all {len(sizes)} grid values agree (max relative difference {worst:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
