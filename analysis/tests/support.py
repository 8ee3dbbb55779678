"""Shared helpers of the analysis tests: the mechsweep binary, small stores, subprocess environments.

The binary comes from the environment variable ``MECHSWEEP`` (ctest sets it
to the build's target); without it every test that needs a store is skipped.
"""
from __future__ import annotations

import os
import subprocess
import sys
import unittest
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parent.parent
CONFIGS = Path(__file__).resolve().parent / "configs"
#: Exit status of `mechsweep run` when some tasks failed.
EXIT_FAILED_TASKS = 3


def binary() -> Path:
    """The mechsweep executable named by $MECHSWEEP; raises SkipTest when it is unset or missing."""
    value = os.environ.get("MECHSWEEP")
    if not value:
        raise unittest.SkipTest("MECHSWEEP is not set: point it at the mechsweep binary to run these tests")
    path = Path(value)
    if not path.is_file():
        raise unittest.SkipTest(f"MECHSWEEP={value} is not a file")
    return path


def mpi_env() -> dict[str, str]:
    """The environment for running mechsweep: Open MPI may run as root and oversubscribe (as tests/e2e does)."""
    env = os.environ.copy()
    if os.geteuid() == 0:
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
    env["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
    return env


def run_store(config: Path, out: Path, *overrides: str, expect=(0,)) -> Path:
    """Runs ``config`` as one process into the store ``out`` (with ``--set`` overrides) and returns ``out``."""
    command = [str(binary()), "run", str(config), "--out", str(out), "--force", "--quiet"]
    for override in overrides:
        command += ["--set", override]
    result = subprocess.run(command, env=mpi_env(), capture_output=True, text=True, timeout=300)
    if result.returncode not in expect:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}, expected {expect}\n"
                             f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return out


def run_mechsweep(*args: str) -> subprocess.CompletedProcess:
    """Runs ``mechsweep ARGS`` and checks that it exits 0."""
    command = [str(binary()), *args]
    result = subprocess.run(command, env=mpi_env(), capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}\n"
                             f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return result


def experiment_config(experiment: str) -> Path:
    """The small test config of ``experiment`` (tests/configs/<experiment>.yaml)."""
    return CONFIGS / f"{experiment}.yaml"


def experiment_store(experiment: str, directory: Path) -> Path:
    """Runs the small config of ``experiment`` into ``directory`` (failed tasks allowed)."""
    return run_store(experiment_config(experiment), directory / f"{experiment}.h5",
                     expect=(0, EXIT_FAILED_TASKS))


def plot_command(*args: str) -> subprocess.CompletedProcess:
    """Runs ``python3 -m mechsweep_analysis.plot ARGS`` as `mechsweep plot` would."""
    env = dict(os.environ, PYTHONPATH=str(ANALYSIS), MPLBACKEND="Agg")
    return subprocess.run([sys.executable, "-m", "mechsweep_analysis.plot", *args], env=env, capture_output=True,
                          text=True, timeout=300)
