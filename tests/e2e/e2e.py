#!/usr/bin/python3
"""End-to-end tests of the mechsweep executable, run by ctest.

    e2e.py MECHSWEEP CASE [ARG]

Each case runs the real binary (under mpirun where it says so), then opens
the store with h5py alone, as a user would. A failed check raises, and the
process exits non-zero with the reason.
"""
import hashlib
import os
import re
import shlex
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
BAD_INPUTS = TESTS / "bad_inputs"


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


def case_bad_inputs(binary, tmp):
    """The bad-input corpus (tests/bad_inputs): every bad config exits 2 naming the file, the key and the line,
    from `run` and `plan`; every bad command line exits with its status and message; nothing is created, and an
    existing store is left byte-identical."""
    cases = [line.split() for name in ("cases.txt", "semantic_cases.txt", "experiment_cases.txt")
             for line in (BAD_INPUTS / name).read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    check(len(cases) >= 40, f"only {len(cases)} bad-config cases")
    scratch = tmp / "scratch"
    scratch.mkdir()
    for file, key, line in cases:
        out = scratch / f"{file}.h5"
        for command in (["run", BAD_INPUTS / file, "--out", out], ["plan", BAD_INPUTS / file]):
            proc = mechsweep(binary, *command, expect=2)
            for needle in [f"{file}:{line}"] + ([key] if key != "-" else []):
                check(needle in proc.stderr, f"{command[0]} {file}: message lacks {needle!r}: {proc.stderr}")
        check(not any(scratch.iterdir()), f"{file}: created {sorted(p.name for p in scratch.iterdir())}")

    store, text, plain = tmp / "store.h5", tmp / "notes.txt", tmp / "plain.h5"
    mechsweep(binary, "run", CONFIGS / "synthetic_replicated.yaml", "--out", store, "--quiet", expect=3)
    text.write_text("not a store\n")
    with h5py.File(plain, "w") as f:
        f["x"] = np.arange(3)
    before = sha256(store)
    places = {"good": CONFIGS / "synthetic_ragged.yaml", "store": store, "text": text, "plain_h5": plain,
              "tmp": scratch}
    lines = [line for line in (BAD_INPUTS / "cli.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    check(len(lines) >= 40, f"only {len(lines)} bad command lines")
    for line in lines:
        status, fragment, arguments = (part.strip() for part in line.split("|", 2))
        args = [a.format(**places) for a in shlex.split(arguments)]
        proc = mechsweep(binary, *args, expect=int(status))
        check(fragment in proc.stderr, f"mechsweep {arguments}: stderr lacks {fragment!r}:\n{proc.stderr}")
        check(not any(scratch.iterdir()), f"mechsweep {arguments} created {sorted(p.name for p in scratch.iterdir())}")
        check(sha256(store) == before, f"mechsweep {arguments} changed the existing store")


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


def wait_for(path, seconds=60):
    deadline = time.time() + seconds
    while not Path(path).exists() and time.time() < deadline:
        time.sleep(0.02)
    check(Path(path).exists(), f"{path} was not created within {seconds} s")


def runs_rows(path):
    with h5py.File(path, "r") as f:
        return [{name: f[f"runs/{name}"][i] for name in f["runs"]} for i in range(len(f["runs/kind"]))]


def case_signal_reference(binary, tmp, reference):
    """The uninterrupted run the signal tests compare with (a ctest fixture: it runs once)."""
    reference = Path(reference)
    reference.unlink(missing_ok=True)
    mechsweep(binary, "run", CONFIGS / "synthetic_interrupt.yaml", "--out", reference, "--quiet", ranks=2)


def case_signal(binary, tmp, how, reference):
    """A stop signal mid-run: the runner stops cleanly (exit 4, the segment closed as not finished with its
    figures), status shows the progress, and resume finishes the store bit-identically to a clean run.

    how: sigterm_mpirun, sigusr1_mpirun (signal mpirun, which passes it on); sigterm_ranks (every rank,
    as SLURM's scancel does); sigterm_worker (rank 1 only: the worker tells the master); sigint_single
    (one process, no mpirun: Ctrl-C). `reference` is the fixture's uninterrupted run."""
    reference = Path(reference)
    check(reference.exists(), f"{reference} missing: run the ctest fixture e2e_signal_reference first")
    store = tmp / "stopped.h5"
    command = [str(binary), "run", str(CONFIGS / "synthetic_interrupt.yaml"), "--out", str(store)]
    if how != "sigint_single":
        command = ["mpirun", "--oversubscribe", "-np", "2", *command]
    job = subprocess.Popen(command, env=mpi_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Signal once the progress (one stderr line per 10% when not on a terminal) shows 10% done, so the
    # signal lands mid-run however fast the build is (a sanitizer build is several times slower).
    seen = []
    while True:
        line = job.stderr.readline()
        seen.append(line)
        check(line != "", f"the run ended before 10% progress:\n{''.join(seen)}")
        if re.search(r"\((?:[1-9][0-9])%\)", line):
            break
    if how == "sigterm_mpirun":
        job.send_signal(signal.SIGTERM)
    elif how == "sigusr1_mpirun":
        job.send_signal(signal.SIGUSR1)
    elif how == "sigint_single":
        job.send_signal(signal.SIGINT)
    else:
        pids = rank_pids(job.pid)
        check(sorted(pids) == [0, 1], f"could not find both ranks: {pids}")
        for rank in ([0, 1] if how == "sigterm_ranks" else [1]):
            os.kill(pids[rank], signal.SIGTERM)
    stdout, rest = job.communicate(timeout=120)
    stderr = "".join(seen) + rest
    name = "SIGUSR1" if "sigusr1" in how else "SIGINT" if "sigint" in how else "SIGTERM"
    if how == "sigterm_mpirun":
        # Open MPI 4.1's mpirun answers its own SIGTERM by passing SIGTERM to the
        # ranks a second later, SIGKILLing them a second after that, and exiting 1
        # whatever they return; the ranks' clean stop shows in the store.
        check(job.returncode == 1, f"mpirun exited {job.returncode}\n{stderr}")
    else:
        check(job.returncode == 4, f"exited {job.returncode}, expected 4\n--- stdout\n{stdout}\n--- stderr\n{stderr}")
        check(f"interrupted by {name}: " in stderr and f"`mechsweep resume {store}` finishes the run" in stderr,
              f"no interruption message:\n{stderr}")

    done, failed, pending = status_counts(store)
    check(pending > 0 and failed == 0, f"the signal did not stop the run: {done} done, {pending} pending")
    rows = runs_rows(store)
    check(len(rows) == 1, f"{len(rows)} run segments")
    # A clean stop writes the segment's figures; a SIGKILLed segment would keep -1 and NaN.
    check(rows[0]["finished"] == 0 and rows[0]["tasks_done"] == done and not np.isnan(rows[0]["wall_seconds"]),
          f"the segment was not closed as stopped: {rows[0]} ({done} done)")
    if how != "sigterm_mpirun":
        check(f"interrupted by {name}: {done} of {done + pending} tasks done" in stderr, f"wrong counts:\n{stderr}")
    status = mechsweep(binary, "status", store).stdout
    check(f"{done} done, 0 failed, {pending} pending" in status and "interrupted" in status,
          f"status does not show the progress:\n{status}")

    mechsweep(binary, "resume", store, "--quiet", ranks=2)
    assert_identical(reference, store)
    check(status_counts(store) == (done + pending, 0, 0), f"after resume: {status_counts(store)}")
    rows = runs_rows(store)
    check(len(rows) == 2 and rows[1]["finished"] == 1 and rows[1]["tasks_done"] == pending, f"runs: {rows}")


def task_bytes(path, names=("status", "seed", "error")):
    with h5py.File(path, "r") as f:
        return {f"/tasks/{n}": f[f"tasks/{n}"][()].tobytes() for n in names}


def assert_merged_like(single, merged):
    """What `merge` promises: /params, /results and /tasks/{status,seed,error} as a single run wrote them."""
    assert_identical(single, merged)
    a, b = task_bytes(single), task_bytes(merged)
    for name in a:
        check(a[name] == b[name], f"{name} differs between {single} and {merged}")


def run_shards(binary, tmp, config, count, prefix, expect=0):
    """Runs every shard of `config` (alternately as one process and on 2 ranks); returns their stores."""
    stores = []
    for index in range(count):
        store = tmp / f"{prefix}.shard-{index}-of-{count}.h5"
        mechsweep(binary, "run", config, "--out", store, "--quiet", "--shard", f"{index}/{count}",
                  ranks=2 if index % 2 else None, expect=expect)
        stores.append(store)
    return stores


def case_shards(binary, tmp):
    """run --shard I/K runs only its slice and records it; status and resume stay within it; the shards
    merge into what one run writes."""
    config = CONFIGS / "synthetic_ragged.yaml"  # 200 tasks: slices 0..65, 66..132, 133..199
    single = tmp / "single.h5"
    mechsweep(binary, "run", config, "--out", single, "--quiet")
    shards = run_shards(binary, tmp, config, 3, "ragged")
    slices = [(0, 66), (66, 133), (133, 200)]
    for index, (store, (first, end)) in enumerate(zip(shards, slices)):
        with h5py.File(store, "r") as f:
            check(f.attrs["shard_index"] == index and f.attrs["shard_count"] == 3, f"{store}: shard attributes")
            status = f["tasks/status"][()]
            check(len(status) == 200 and len(f["params/x"]) == 200, f"{store} does not hold the whole plan")
        check((status[first:end] == 1).all() and (status[:first] == 0).all() and (status[end:] == 0).all(),
              f"{store} ran other tasks than its slice")
        text = mechsweep(binary, "status", store).stdout
        check(f"shard {index}/3: tasks {first}..{end - 1} (the other {200 - (end - first)} of the plan's 200 tasks "
              "belong to other shards)" in text, f"status of {store}:\n{text}")
        check(f"{end - first} in this shard: {end - first} done, 0 failed, 0 pending" in text and
              "resume with" not in text, f"status of {store}:\n{text}")

    merged = tmp / "merged.h5"
    proc = mechsweep(binary, "merge", merged, *shards)
    check("merged 3 stores: 200 done, 0 failed of 200 tasks" in proc.stdout, proc.stdout)
    assert_merged_like(single, merged)
    with h5py.File(merged, "r") as f:
        check("shard_count" not in f.attrs, "the merged store still says it is a shard")
        check(list(f["runs/kind"][()]) == [b"run", b"run", b"run", b"merge"], f"runs: {f['runs/kind'][()]}")
        check(list(f["runs/ranks"][()]) == [1, 2, 1, 1], f"runs/ranks: {f['runs/ranks'][()]}")
    text = mechsweep(binary, "status", merged).stdout
    check("200: 200 done, 0 failed, 0 pending" in text and "merge" in text, text)
    check(not Path(f"{merged}.partial").exists() and not Path(f"{merged}.lock").exists(), "merge left files behind")

    # resume of a shard store runs its slice only.
    store = tmp / "ragged.shard-1-of-3.h5"
    with h5py.File(store, "r+") as f:
        status = f["tasks/status"]
        status[70:80] = 0  # as if a kill had left them pending
    text = mechsweep(binary, "status", store).stdout
    check("67 in this shard: 57 done, 0 failed, 10 pending" in text and "resume with" in text, text)
    proc = mechsweep(binary, "resume", store, ranks=2)
    check("resume synthetic.trivial: 10 of 67 tasks of shard 1/3" in proc.stderr, proc.stderr)
    with h5py.File(store, "r") as f:
        status = f["tasks/status"][()]
        check((status[66:133] == 1).all() and (status[:66] == 0).all() and (status[133:] == 0).all(),
              "resume ran tasks outside the shard")
        check(f["runs/tasks_done"][1] == 10, f"resume ran {f['runs/tasks_done'][1]} tasks")
    check(mechsweep(binary, "resume", store, "--quiet").returncode == 0, "resume of a complete shard")


def case_shards_failures(binary, tmp):
    """Failed tasks merge as a single run wrote them (messages, fills; exit 3 like run), shards of more
    shards than some slices can fill work, and bad --shard values exit 2 creating nothing."""
    failures = CONFIGS / "synthetic_failures.yaml"  # 12 tasks: 4 done, 4 throw, 4 NaN
    single = tmp / "failures.h5"
    mechsweep(binary, "run", failures, "--out", single, "--quiet", expect=3)
    shards = run_shards(binary, tmp, failures, 3, "failures", expect=None)  # shard 0 has no failure
    proc = mechsweep(binary, "merge", tmp / "merged.h5", *reversed(shards), expect=3)
    check("4 done, 8 failed of 12 tasks" in proc.stdout, proc.stdout)
    assert_merged_like(single, tmp / "merged.h5")

    # K > T: shard 0/13 has no task; the store is valid and status says so.
    empty = tmp / "empty-shard.h5"
    mechsweep(binary, "run", failures, "--out", empty, "--quiet", "--shard", "0/13")
    text = mechsweep(binary, "status", empty).stdout
    check("shard 0/13: no tasks (all 12 tasks belong to other shards)" in text, text)

    config = CONFIGS / "synthetic_ragged.yaml"
    for bad in ("3/3", "1", "-1/3", "0/0", "a/b", "1/3/5"):
        out = tmp / "bad-shard.h5"
        proc = mechsweep(binary, "run", config, "--out", out, "--shard", bad, expect=2)
        check("--shard" in proc.stderr and f"'{bad}'" in proc.stderr, f"--shard {bad}: {proc.stderr}")
        check(not out.exists() and not Path(f"{out}.lock").exists(), f"--shard {bad} created the store")


def case_merge_refusals(binary, tmp):
    """merge refuses: a missing shard, pending tasks, stores of different configs, conflicting duplicates,
    an existing OUT without --force; and it never leaves a partial OUT."""
    config = CONFIGS / "synthetic_ragged.yaml"
    shards = run_shards(binary, tmp, config, 3, "ragged")
    out = tmp / "out.h5"

    def refused(*inputs, needles, status=1, force=False):
        before = sha256(out) if out.exists() else None
        proc = mechsweep(binary, "merge", out, *inputs, *(["--force"] if force else []), expect=status)
        for needle in needles:
            check(needle in proc.stderr, f"merge {inputs}: message lacks {needle!r}:\n{proc.stderr}")
        check((sha256(out) if out.exists() else None) == before, "a refused merge touched OUT")
        check(not Path(f"{out}.partial").exists(), "a refused merge left OUT.partial")
        return proc

    refused(shards[0], shards[2], needles=["67 of 200 tasks are neither done nor failed", "nothing was written",
                                           "shard 1/3 (tasks 66..132): 67 missing; no input is shard 1/3"])
    with h5py.File(shards[1], "r+") as f:
        f["tasks/status"][100:105] = 0
    refused(*shards, needles=["5 of 200 tasks", f"shard 1/3 (tasks 66..132): 5 missing; '{shards[1]}' has them "
                                                 f"pending (`mechsweep resume {shards[1]}` finishes it)"])
    mechsweep(binary, "resume", shards[1], "--quiet")

    other = tmp / "other.h5"
    mechsweep(binary, "run", config, "--out", other, "--quiet", "--set", "seed=12", "--shard", "1/3")
    refused(shards[0], other, shards[2], needles=[f"'{other}' was written by a different config than '{shards[0]}'"])

    # A task done in two inputs: fine when the results are bit-identical, refused otherwise.
    single = tmp / "single.h5"
    mechsweep(binary, "run", config, "--out", single, "--quiet")
    mechsweep(binary, "merge", out, single, *shards)
    assert_merged_like(single, out)
    tampered = tmp / "tampered.h5"
    tampered.write_bytes(shards[1].read_bytes())
    with h5py.File(tampered, "r+") as f:
        f["results/draws/values"][f["results/draws/offsets"][70]] += 1e-9
    refused(shards[0], tampered, shards[2], single, force=True,
            needles=[f"task 70 is done in both '{tampered}' and '{single}' with different results (column 'draws')"])

    before = sha256(out)
    proc = mechsweep(binary, "merge", out, *shards, expect=1)
    check("--force" in proc.stderr and sha256(out) == before, f"OUT overwritten without --force: {proc.stderr}")
    mechsweep(binary, "merge", out, *shards, "--force")
    assert_merged_like(single, out)

    refused(shards[0], shards[0], needles=["given twice"], status=2, force=True)
    refused(shards[0], out, needles=["also an input"], status=2, force=True)
    refused(shards[0], tmp / "missing.h5", needles=["does not exist"], force=True)
    mechsweep(binary, "merge", out, expect=2)  # no input at all


def case_hostfile(binary, tmp):
    """mpirun with jobs/local/hosts.localhost (the local host named twice, one slot each) runs 2 ranks
    without oversubscribing, and the store is complete."""
    hostfile = TESTS.parent / "jobs" / "local" / "hosts.localhost"
    env = mpi_env()
    env.pop("OMPI_MCA_rmaps_base_oversubscribe")  # the hostfile's slots must be what allows -np 2
    store = tmp / "hostfile.h5"
    command = ["mpirun", "--hostfile", str(hostfile), "-np", "2", str(binary), "run",
               str(CONFIGS / "synthetic_ragged.yaml"), "--out", str(store), "--quiet"]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    check(proc.returncode == 0, f"{' '.join(command)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    check(status_counts(store) == (200, 0, 0), f"store not complete: {status_counts(store)}")
    with h5py.File(store, "r") as f:
        check(f["runs/ranks"][0] == 2, "not 2 ranks")
    # Two slots, no more: mpirun refuses a third rank, so the hostfile is what it used.
    command[4] = "3"
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    check(proc.returncode != 0 and "not enough slots" in proc.stdout + proc.stderr,
          f"-np 3 on two slots: exit {proc.returncode}\n{proc.stderr}")


def read_csv_rows(text):
    import csv
    import io
    return list(csv.DictReader(io.StringIO(text)))


def case_aggregate(binary, tmp):
    """aggregate against a direct computation with numpy on the store read by h5py: every statistic, failed
    tasks skipped and counted, --where, streaming in blocks of 7 rows, the /aggregates copy in the store
    (which leaves /params and /results bit-identical and resume working); inspect on one task and a filter;
    bad flags exit 2; plot writes the experiment's PNGs."""
    store = tmp / "replicated.h5"
    mechsweep(binary, "run", CONFIGS / "synthetic_replicated.yaml", "--out", store, ranks=2, expect=3)
    with h5py.File(store, "r") as f:
        x, n = f["params/x"][()], f["params/n"][()]
        failure = f["params/failure"][()]
        status, y, u = f["tasks/status"][()], f["results/y"][()], f["results/u"][()]
        draws = [f["results/draws/values"][a:b] for a, b in zip(f["results/draws/offsets"][:-1],
                                                                   f["results/draws/offsets"][1:])]
    stats = "count,mean,ci,std,sem,min,max,q05,q50,q95"
    proc = mechsweep(binary, "aggregate", store, "--by", "x", "--metric", "y,u", "--stat", stats, "--csv", "-")
    rows = read_csv_rows(proc.stdout)
    failed = int((status == 2).sum())
    check(failed == 33 and f"skipped {failed} failed and 0 pending" in proc.stderr,
          f"no skipped count in:\n{proc.stderr}")
    check([float(r["x"]) for r in rows] == [1.0, 2.0, 3.0], f"cells: {[r['x'] for r in rows]}")
    t_975_df10 = 2.2281388519649385  # Student t, 97.5 % point, 10 degrees of freedom
    for row in rows:
        for name, column in (("y", y), ("u", u)):
            values = column[(x == float(row["x"])) & (status == 1)]
            check(len(values) == 11 and int(row["tasks"]) == 11, f"cell {row['x']} has {len(values)} rows")
            sem = values.std(ddof=1) / np.sqrt(len(values))
            expected = {"count": len(values), "mean": values.mean(), "std": values.std(ddof=1), "sem": sem,
                        "min": values.min(), "max": values.max(), "q05": np.quantile(values, 0.05),
                        "q50": np.quantile(values, 0.5), "q95": np.quantile(values, 0.95),
                        "ci_low": values.mean() - t_975_df10 * sem, "ci_high": values.mean() + t_975_df10 * sem}
            for stat, value in expected.items():
                got = float(row[f"{name}.{stat}"])
                # Boost inverts Student's t to about 1e-11.
                tolerance = 1e-10 if stat.startswith("ci") else 1e-12
                check(abs(got - value) <= tolerance * (1 + abs(value)), f"{name}.{stat} of x={row['x']}: {got} != {value}")

    # --where, and the same answer read in blocks of 7 rows.
    where = mechsweep(binary, "aggregate", store, "--by", "x", "--metric", "y", "--where", "n>=5",
                      "--where", "failure=none|throw", "--csv", "-")
    for row in read_csv_rows(where.stdout):
        values = y[(x == float(row["x"])) & (status == 1) & (n >= 5)]
        check(int(row["y.count"]) == len(values) == 6 and abs(float(row["y.mean"]) - values.mean()) < 1e-12,
              f"--where cell {row}")
    check("rows did not match --where" in where.stderr, f"no filter count:\n{where.stderr}")
    blocks = mechsweep(binary, "aggregate", store, "--by", "x", "--stat", stats, "--block-rows", "7", "--csv", "-")
    whole = mechsweep(binary, "aggregate", store, "--by", "x", "--stat", stats, "--csv", "-")
    check(blocks.stdout == whole.stdout, "reading in blocks of 7 rows changed the answer")

    # Into the store: /aggregates/x, beside untouched results.
    before = dataset_bytes(store, ("params", "results", "tasks"))
    first = mechsweep(binary, "aggregate", store, "--by", "x", "--metric", "y", "--stat", "mean,count")
    check("wrote /aggregates/x" in first.stderr and "y.mean" in first.stdout, f"store output:\n{first.stderr}")
    again = mechsweep(binary, "aggregate", store, "--by", "x", "--metric", "y", "--stat", "mean,count")
    check("replaced /aggregates/x" in again.stderr, f"second write:\n{again.stderr}")
    with h5py.File(store, "r") as f:
        group = f["aggregates/x"]
        check(group.attrs["columns"].split("\n") == ["x", "tasks", "y.mean", "y.count"], "aggregate column order")
        check(group.attrs["tasks_failed_skipped"] == "33", "skipped count attribute")
        for row in rows:
            k = list(group["x"][()]).index(float(row["x"]))
            check(abs(group["y.mean"][k] - float(row["y.mean"])) < 1e-15, "stored mean differs from the CSV")
    check(dataset_bytes(store, ("params", "results", "tasks")) == before, "aggregate changed the results")
    mechsweep(binary, "status", store)
    mechsweep(binary, "resume", store, ranks=2, expect=3)  # reruns the failed tasks, which fail again
    check(dataset_bytes(store, ("params", "results")) == {k: v for k, v in before.items() if not k.startswith("/tasks")},
          "resume after aggregate changed the results")
    with h5py.File(store, "r") as f:
        check("x" in f["aggregates"], "resume dropped /aggregates/x")

    # inspect: one task in full, then a filter.
    task = int(np.flatnonzero((status == 1) & (n == 4))[0])
    shown = mechsweep(binary, "inspect", store, "--task", task).stdout
    check(f"task {task} of 66" in shown and "done" in shown, f"inspect --task header:\n{shown}")
    draws_line = next(line for line in shown.splitlines() if line.startswith("draws"))
    printed = [float(v) for v in draws_line.split("[", 1)[1].rstrip("]").split(",")]
    check(np.allclose(printed, draws[task], rtol=1e-9, atol=0) and len(printed) == 4, f"draws: {draws_line}")
    listing = mechsweep(binary, "inspect", store, "--where", "failure=throw", "--where", "x=2",
                        "--columns", "x,n,status", "--limit", "0").stdout
    listed = [line.split() for line in listing.splitlines()[1:-1]]
    check(len(listed) == 11 and all(r[-1] == "failed" and r[1] == "2" for r in listed), f"inspect --where:\n{listing}")

    # Bad input: exit 2 with the flag named; a missing store: exit 1.
    for args, fragment in ((("--by", "nope"), "no column 'nope'"), (("--stat", "median"), "unknown statistic"),
                           (("--metric", "draws"), "ragged"), (("--where", "x>two"), "is not one"),
                           (("--csv", "-", "--name", "a"), "--name"), (("--by", "x,x"), "listed twice")):
        bad = mechsweep(binary, "aggregate", store, *args, expect=2)
        check(fragment in bad.stderr, f"aggregate {args}: {bad.stderr}")
    bad = mechsweep(binary, "inspect", store, "--task", 66, expect=2)
    check("tasks 0..65" in bad.stderr, bad.stderr)
    bad = mechsweep(binary, "aggregate", tmp / "missing.h5", expect=1)
    check("does not exist" in bad.stderr, bad.stderr)

    # plot: the C++ command runs analysis/mechsweep_analysis and writes PNGs (next to the store by default).
    figures = tmp / "figures"
    shown = mechsweep(binary, "plot", store, "--out-dir", figures).stdout
    pngs = sorted(figures.glob("synthetic.trivial__*.png"))
    check(len(pngs) >= 2 and all(p.stat().st_size > 10_000 and str(p) in shown for p in pngs),
          f"plot wrote {[(p.name, p.stat().st_size) for p in pngs]}; said:\n{shown}")
    mechsweep(binary, "plot", store, "--only", "draws")
    check((tmp / "synthetic.trivial__draws.png").stat().st_size > 10_000, "plot without --out-dir")
    bad = mechsweep(binary, "plot", store, "--only", "nope", expect=2)
    check("nope" in bad.stderr, bad.stderr)


CASES = {
    "determinism": case_determinism,
    "kill_resume": case_kill_resume,
    "h5py_columns": case_h5py_columns,
    "bad_inputs": case_bad_inputs,
    "failures": case_failures,
    "protection": case_protection,
    "signal_reference": case_signal_reference,
    "signal": case_signal,
    "shards": case_shards,
    "shards_failures": case_shards_failures,
    "merge_refusals": case_merge_refusals,
    "hostfile": case_hostfile,
    "aggregate": case_aggregate,
}


def main():
    binary, case, *args = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix=f"mechsweep-{case}-") as tmp:
        CASES[case](Path(binary).resolve(), Path(tmp), *args)
    print(f"e2e {case} {' '.join(args)}: passed")


if __name__ == "__main__":
    main()
