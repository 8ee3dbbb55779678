#!/usr/bin/python3
"""End-to-end tests of the mechsweep executable, run by ctest.

    e2e.py MECHSWEEP CASE [ARG]

Each case runs the real binary (under mpirun where it says so), then opens
the store with h5py alone, as a user would. A failed check raises, and the
process exits non-zero with the reason.
"""
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

TESTS = Path(__file__).resolve().parent.parent
CONFIGS = TESTS / "configs"
BAD_CONFIGS = TESTS / "bad_configs"


def mpi_env():
    env = os.environ.copy()
    if os.geteuid() == 0:
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
    env["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
    return env


def mechsweep(binary, *args, ranks=None, expect=0):
    """Runs mechsweep (under `mpirun -np ranks` if given) and checks its exit status."""
    cmd = [str(binary), *map(str, args)]
    if ranks is not None:
        cmd = ["mpirun", "--oversubscribe", "-np", str(ranks), *cmd]
    proc = subprocess.run(cmd, env=mpi_env(), capture_output=True, text=True, timeout=300)
    if expect is not None and proc.returncode != expect:
        raise AssertionError(
            f"{' '.join(cmd)} exited {proc.returncode}, expected {expect}\n"
            f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    return proc


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def dataset_bytes(path, groups=("params", "results")):
    """Every dataset under `groups`, as raw bytes: equality here is bit-identity."""
    out = {}
    with h5py.File(path, "r") as f:
        for group in groups:
            def visit(name, obj, group=group):
                if isinstance(obj, h5py.Dataset):
                    out[f"/{group}/{name}"] = (obj.dtype.str, obj.shape, obj[()].tobytes())
            f[group].visititems(visit)
    return out


def assert_identical(a, b):
    da, db = dataset_bytes(a), dataset_bytes(b)
    check(da.keys() == db.keys(), f"different datasets: {sorted(da.keys() ^ db.keys())}")
    for name in da:
        check(da[name] == db[name], f"{name} differs between {a} and {b}")


def status_counts(path):
    with h5py.File(path, "r") as f:
        status = f["tasks/status"][()]
    return int((status == 1).sum()), int((status == 2).sum()), int((status == 0).sum())


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- cases -----------------------------------------------------------------

def case_determinism(binary, tmp, ranks):
    """Same config on 1 process (no mpirun) and under mpirun -np N: bit-identical /params and /results."""
    for config in ("small_testdesign.yaml", "synthetic_ragged.yaml"):
        single, multi = tmp / f"single-{config}.h5", tmp / f"np{ranks}-{config}.h5"
        mechsweep(binary, "run", CONFIGS / config, "--out", single, "--quiet")
        mechsweep(binary, "run", CONFIGS / config, "--out", multi, "--quiet", ranks=int(ranks))
        done, failed, pending = status_counts(multi)
        check(failed == 0 and pending == 0, f"{multi}: {failed} failed, {pending} pending")
        assert_identical(single, multi)
        with h5py.File(multi, "r") as f:
            check(f["runs/ranks"][0] == int(ranks), "runs/ranks does not record the rank count")
            if config.startswith("small") and int(ranks) > 1:
                # Work really was shared (a rank that starts late may find it all handed out).
                check(len(set(f["tasks/rank"][()])) > 1, f"only one rank computed tasks: {set(f['tasks/rank'][()])}")


    if int(ranks) > 1:
        # A schedule-only master computes nothing, and the results do not change.
        scheduled = tmp / f"np{ranks}-schedule.h5"
        mechsweep(binary, "run", CONFIGS / "synthetic_ragged.yaml", "--out", scheduled, "--quiet",
                  "--master", "schedule", ranks=int(ranks))
        with h5py.File(scheduled, "r") as f:
            check(0 not in set(f["tasks/rank"][()]), "rank 0 computed tasks with --master schedule")
        assert_identical(tmp / "single-synthetic_ragged.yaml.h5", scheduled)


def rank_pids(mpirun_pid):
    """The mechsweep processes of an mpirun job, keyed by MPI rank."""
    pids = {}
    for child in subprocess.run(["pgrep", "-P", str(mpirun_pid)], capture_output=True, text=True).stdout.split():
        try:
            environ = Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        for entry in environ:
            if entry.startswith(b"OMPI_COMM_WORLD_RANK="):
                pids[int(entry.split(b"=")[1])] = int(child)
    return pids


def case_kill_resume(binary, tmp, victim):
    """SIGKILL one rank mid-run; the store stays readable, and resume completes it bit-identically."""
    config = CONFIGS / "synthetic_slow.yaml"
    reference = tmp / "reference.h5"
    mechsweep(binary, "run", config, "--out", reference, "--quiet", ranks=2)

    store = tmp / "killed.h5"
    job = subprocess.Popen(["mpirun", "--oversubscribe", "-np", "2", str(binary), "run", str(config), "--out",
                            str(store), "--quiet"], env=mpi_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not store.exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # well inside a ~5 s run
    pids = rank_pids(job.pid)
    rank = 0 if victim == "master" else 1
    check(rank in pids, f"could not find rank {rank} among {pids}")
    os.kill(pids[rank], signal.SIGKILL)
    job.communicate(timeout=60)
    check(job.returncode != 0, "mpirun exited 0 after a rank was killed")

    done, failed, pending = status_counts(store)  # h5py opens the killed store
    check(done > 0 and pending > 0, f"kill did not land mid-run: {done} done, {pending} pending")
    status = mechsweep(binary, "status", store).stdout
    check("interrupted" in status, f"status does not show the interrupted segment:\n{status}")

    mechsweep(binary, "resume", store, "--quiet", ranks=3)
    assert_identical(reference, store)
    done, failed, pending = status_counts(store)
    check(pending == 0 and failed == 0, f"after resume: {failed} failed, {pending} pending")
    status = mechsweep(binary, "status", store).stdout
    check("resume" in status and "finished" in status, f"status after resume:\n{status}")


def case_h5py_columns(binary, tmp):
    """The store opens with h5py alone and has the documented layout."""
    store = tmp / "ragged.h5"
    mechsweep(binary, "run", CONFIGS / "synthetic_ragged.yaml", "--out", store, "--quiet")
    with h5py.File(store, "r") as f:
        for attr in ("config", "config_hash", "experiment", "mechsweep_version", "git_commit", "hdf5_version",
                     "mpi_version", "created_utc"):
            check(attr in f.attrs, f"root attribute {attr} missing")
        n = 200
        for name in ("x", "n", "spin", "failure"):
            check(f[f"params/{name}"].shape == (n,), f"params/{name} has shape {f[f'params/{name}'].shape}")
        check(f["params/n"].dtype == np.int64 and f["params/x"].dtype == np.float64, "param dtypes")
        check(f["params/failure"][0] == b"none", f"choice params are strings: {f['params/failure'][0]!r}")
        for name in ("status", "error", "seconds", "rank", "seed"):
            check(f[f"tasks/{name}"].shape == (n,), f"tasks/{name} shape")
        check((f["tasks/status"][()] == 1).all(), "not all tasks done")
        check(len(set(f["tasks/seed"][()])) == n, "task seeds are not distinct")
        check(f["results/checksum"].dtype == np.int64, "integer column is not int64")
        offsets, values = f["results/draws/offsets"][()], f["results/draws/values"][()]
        lengths = np.diff(offsets)
        check((lengths == f["params/n"][()]).all(), "ragged lengths do not follow n")
        check(len(values) == offsets[-1] and ((values >= 0) & (values < 1)).all(), "ragged values")
        check(np.allclose(f["results/y"][()], f["params/x"][()] + f["results/u"][()]), "y != x + u")
        check(len(f["runs/kind"]) == 1, "one run segment expected")

    # The README's pandas recipe, verbatim in spirit: scalar columns side by side.
    import pandas as pd
    with h5py.File(store, "r") as f:
        df = pd.DataFrame({**{f"param.{k}": f["params"][k][()] for k in f["params"]},
                           **{k: f["results"][k][()] for k in f["results"] if isinstance(f["results"][k], h5py.Dataset)}})
        df = df[f["tasks/status"][()] == 1]
    check(df.shape == (200, 7), f"pandas frame has shape {df.shape}")
    check("draws" not in df.columns, "ragged column leaked into the scalar frame")

    store = tmp / "testdesign.h5"
    mechsweep(binary, "run", CONFIGS / "small_testdesign.yaml", "--out", store, "--quiet",
              "--set", "sweep.angle_deg=[60]")
    with h5py.File(store, "r") as f:
        for column in ("first_best", "value", "ratio", "viol_mass", "qualified_rejected_mass", "share_stay",
                       "share_one_step", "share_two_step", "expected_agent_cost", "mc_value"):
            check(column in f["results"], f"results/{column} missing")
        value, fb = f["results/value"][()], f["results/first_best"][()]
        check(np.all((value >= -1e-12) & (value <= fb + 1e-9)), "value outside [0, first best]")
        shares = sum(f[f"results/{c}"][()] for c in ("share_stay", "share_one_step", "share_two_step", "share_none"))
        check(np.allclose(shares, 1.0, atol=1e-7), f"strategy shares do not sum to 1: {shares}")


def case_bad_configs(binary, tmp):
    """Every bad config exits 2 naming the file, the key and the line, and creates nothing."""
    cases = [line.split() for name in ("cases.txt", "semantic_cases.txt")
             for line in (BAD_CONFIGS / name).read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    check(len(cases) >= 10, f"only {len(cases)} bad-config cases")
    for file, key, line in cases:
        out = tmp / f"{file}.h5"
        for command in (["run", BAD_CONFIGS / file, "--out", out], ["plan", BAD_CONFIGS / file]):
            proc = mechsweep(binary, *command, expect=2)
            for needle in [f"{file}:{line}"] + ([key] if key != "-" else []):
                check(needle in proc.stderr, f"{command[0]} {file}: message lacks {needle!r}: {proc.stderr}")
        check(not out.exists() and not Path(f"{out}.lock").exists(), f"{file}: the store was touched")
    good = CONFIGS / "synthetic_ragged.yaml"
    for args, key in ((["--set", "sweep.n=[1, -3]"], "sweep.n"), (["--set", "noequals"], "--set"),
                      (["--set", "params.bogus=1"], "bogus")):
        proc = mechsweep(binary, "run", good, "--out", tmp / "set.h5", *args, expect=2)
        check(key in proc.stderr, f"{args}: message lacks {key!r}: {proc.stderr}")
    check(not (tmp / "set.h5").exists(), "a bad --set created the store")
    mechsweep(binary, "run", good, "--master", "sideways", expect=2)
    mechsweep(binary, "run", tmp / "missing.yaml", expect=2)


def case_failures(binary, tmp):
    """Failed tasks are recorded with their message, the run goes on, and exits 3."""
    store = tmp / "failures.h5"
    proc = mechsweep(binary, "run", CONFIGS / "synthetic_failures.yaml", "--out", store, ranks=2, expect=3)
    check("8 tasks failed" in proc.stderr, f"no failure summary:\n{proc.stderr}")
    with h5py.File(store, "r") as f:
        status, errors = f["tasks/status"][()], f["tasks/error"][()]
        failure = f["params/failure"][()]
        check((status[failure == b"none"] == 1).all(), "good tasks not done")
        check((status[failure != b"none"] == 2).all(), "bad tasks not marked failed")
        check(all(b"synthetic failure" in e for e in errors[failure == b"throw"]), "throw message not stored")
        check(all(b"NaN" in e for e in errors[failure == b"nan"]), "NaN message not stored")
        check(np.isnan(f["results/y"][()][status == 2]).all(), "failed rows are not NaN")


def case_protection(binary, tmp):
    """No overwrite without --force, one writer at a time, and resume checks the config hash."""
    config = CONFIGS / "synthetic_ragged.yaml"
    store = tmp / "kept.h5"
    mechsweep(binary, "run", config, "--out", store, "--quiet")
    before = sha256(store)
    proc = mechsweep(binary, "run", config, "--out", store, expect=1)
    check("--force" in proc.stderr and sha256(store) == before, "existing store was touched without --force")
    mechsweep(binary, "resume", store, "--quiet")  # nothing pending: a no-op that succeeds

    busy = tmp / "busy.h5"
    job = subprocess.Popen([str(binary), "run", str(CONFIGS / "synthetic_slow.yaml"), "--out", str(busy), "--quiet"],
                           env=mpi_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not busy.exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc = mechsweep(binary, "run", config, "--out", busy, "--force", expect=1)
    check("in use" in proc.stderr, f"second writer was not refused: {proc.stderr}")
    proc = mechsweep(binary, "resume", busy, expect=1)
    check("in use" in proc.stderr, f"concurrent resume was not refused: {proc.stderr}")
    job.kill()
    job.communicate()

    tampered = tmp / "tampered.h5"
    tampered.write_bytes(store.read_bytes())
    with h5py.File(tampered, "r+") as f:
        f.attrs["config"] = f.attrs["config"].replace("seed: 11", "seed: 12")
    before = sha256(tampered)
    proc = mechsweep(binary, "resume", tampered, expect=1)
    check("config" in proc.stderr and sha256(tampered) == before, f"tampered store not refused: {proc.stderr}")


CASES = {
    "determinism": case_determinism,
    "kill_resume": case_kill_resume,
    "h5py_columns": case_h5py_columns,
    "bad_configs": case_bad_configs,
    "failures": case_failures,
    "protection": case_protection,
}


def main():
    binary, case, *args = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix=f"mechsweep-{case}-") as tmp:
        CASES[case](Path(binary).resolve(), Path(tmp), *args)
    print(f"e2e {case} {' '.join(args)}: passed")


if __name__ == "__main__":
    main()
