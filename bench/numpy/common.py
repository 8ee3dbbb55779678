"""Shared by the NumPy comparisons: run a Google Benchmark binary, read its
JSON, and time a Python callable the same way (the fastest of repeats)."""

import json
import subprocess
import sys
import time


def run_json(command):
    """Runs a command that prints JSON on stdout and returns the parsed value."""
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def benchmark_times(binary, name_filter, repetitions, min_time):
    """Seconds per iteration of each benchmark matching `name_filter`: the
    smallest real time over `repetitions` repetitions, keyed by run name."""
    report = run_json([binary, f"--benchmark_filter={name_filter}", "--benchmark_format=json",
                       f"--benchmark_repetitions={repetitions}", f"--benchmark_min_time={min_time}"])
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    best = {}
    for entry in report["benchmarks"]:
        if entry.get("run_type", "iteration") != "iteration":
            continue
        seconds = entry["real_time"] * scale[entry["time_unit"]]
        name = entry["run_name"]
        best[name] = min(best.get(name, float("inf")), seconds)
    if not best:
        sys.exit(f"{binary}: no benchmark matched '{name_filter}'")
    return best


def best_time(function, min_total=0.2, min_repeats=3):
    """The fastest of at least `min_repeats` calls, calling again until
    `min_total` seconds have been spent; returns (seconds, last result)."""
    best = float("inf")
    spent = 0.0
    repeats = 0
    result = None
    while repeats < min_repeats or spent < min_total:
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
        best = min(best, seconds)
        spent += seconds
        repeats += 1
    return best, result
