"""Tests of the figure modules, their helpers, and `python3 -m mechsweep_analysis.plot` (what `mechsweep plot` runs).

Every experiment's small store (tests/configs/<experiment>.yaml) is plotted
in a subprocess, headless; each figure the store supports must be written
as a PNG of more than 10 kB. In-process checks feed the figure functions
frames that lack results or hold a single task: they must skip, not crash.
"""
from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from mechsweep_analysis import load
from mechsweep_analysis.figures import FIGURES
from mechsweep_analysis.figures._common import fix_other_axes, mean_ci, share_ci
from tests import support

MIN_PNG_BYTES = 10_000
#: Figures drawn from the task bookkeeping alone (seconds, rank), without any result column.
TASKS_ONLY = {"synthetic.trivial": {"task_seconds"}}
#: The figures each small test store supports (the others are skipped with a note).
EXPECTED = {
    "testdesign.evaluate": {"value_by_angle", "procedures_by_angle", "violations_by_angle", "two_step_by_angle"},
    "testdesign.optimal": {"p1_by_angle", "p2_by_angle", "winner_map"},
    "coalition.patterns": {"verdict_shares_by_agents", "implementability_by_agents", "patterns_by_size"},
    "coalition.examples": {"example1_table", "example2_verdicts"},
    "delegation.market": {"costs_by_agents", "value_of_choice_by_agents", "replica_convergence"},
    "fpre.obedience": {"gains_by_grid", "critical_grid_by_gap"},
    "fpre.continuity": {"eta_by_band", "monte_carlo_check", "solved_band"},
    "persuasion.market": {"ratio_by_agents", "prefix_sums", "bucket_ratio"},
    "persuasion.appendix": {"appendix_a", "appendix_b", "appendix_c"},
    "synthetic.trivial": {"draws", "task_seconds"},
}


class FigureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.directory = Path(cls.tmp.name)
        cls.stores = {experiment: support.experiment_store(experiment, cls.directory) for experiment in EXPECTED}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_experiment_has_figures_and_a_config(self):
        self.assertEqual(set(FIGURES), set(EXPECTED))
        for experiment, figures in FIGURES.items():
            self.assertEqual(figures.experiment, experiment)
            self.assertTrue(support.experiment_config(experiment).is_file(), experiment)
            self.assertLessEqual(EXPECTED[experiment], set(figures.names))

    def test_plot_each_experiment(self):
        for experiment, store in self.stores.items():
            with self.subTest(experiment=experiment):
                out_dir = self.directory / "png" / experiment
                result = support.plot_command(str(store), "--out-dir", str(out_dir))
                self.assertEqual(result.returncode, 0, result.stderr)
                written = [Path(line) for line in result.stdout.splitlines()]
                self.assertEqual(sorted(written), sorted(out_dir.glob("*.png")))
                names = {path.name for path in written}
                self.assertEqual(names, {f"{experiment}__{figure}.png" for figure in EXPECTED[experiment]},
                                 result.stderr)
                for path in written:
                    self.assertGreater(path.stat().st_size, MIN_PNG_BYTES, path)
                    self.assertEqual(path.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")
                self.assertNotIn("Traceback", result.stderr)

    def test_default_out_dir_is_the_store_directory(self):
        directory = self.directory / "elsewhere"
        directory.mkdir()
        store = directory / "store.h5"
        shutil.copy(self.stores["persuasion.appendix"], store)
        result = support.plot_command(str(store))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual({Path(line).parent for line in result.stdout.splitlines()}, {directory})

    def test_only_one_figure(self):
        out_dir = self.directory / "only"
        result = support.plot_command(str(self.stores["testdesign.evaluate"]), "--out-dir", str(out_dir),
                                      "--only", "value_by_angle")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([p.name for p in out_dir.iterdir()], ["testdesign.evaluate__value_by_angle.png"])

    def test_frames_without_results_skip_their_figures(self):
        for experiment, store in self.stores.items():
            with self.subTest(experiment=experiment):
                params = load(store).attrs["params"]
                df = load(store, columns=params)
                with contextlib.redirect_stderr(io.StringIO()) as notes:
                    written = FIGURES[experiment](df, self.directory / "empty" / experiment)
                self.assertEqual({path.name for path in written},
                                 {f"{experiment}__{figure}.png" for figure in TASKS_ONLY.get(experiment, ())})
                self.assertIn("note:", notes.getvalue())

    def test_single_task_frames_do_not_crash(self):
        for experiment, store in self.stores.items():
            with self.subTest(experiment=experiment), contextlib.redirect_stderr(io.StringIO()):
                written = FIGURES[experiment](load(store).iloc[:1], self.directory / "single" / experiment)
                self.assertTrue(all(path.is_file() for path in written))


class HelpersTest(unittest.TestCase):
    """The statistics and the slicing every figure relies on (no store needed)."""

    def test_mean_ci(self):
        frame = pd.DataFrame({"x": [1, 1, 1, 2], "y": [1.0, 2.0, 3.0, 5.0]})
        stats = mean_ci(frame, ["x"], "y").set_index("x")
        self.assertAlmostEqual(stats.loc[1, "mean"], 2.0)
        self.assertAlmostEqual(stats.loc[1, "high"] - 2.0, 4.303 / np.sqrt(3), places=6)
        self.assertEqual(stats.loc[2, "count"], 1)
        self.assertTrue(np.isnan(stats.loc[2, "low"]))

    def test_share_ci_is_wilson(self):
        frame = pd.DataFrame({"x": [0] * 10, "flag": [0] * 10})
        stats = share_ci(frame, ["x"], "flag").iloc[0]
        z2 = 1.959964 ** 2
        self.assertEqual(stats["mean"], 0.0)
        self.assertAlmostEqual(stats["high"], z2 / (10 + z2), places=6)
        self.assertAlmostEqual(stats["low"], 0.0, places=12)

    def test_fix_other_axes(self):
        frame = pd.DataFrame({"angle": [30, 30, 60, 60] * 2, "setting": ["m", "i"] * 4, "shift": [1, 0] * 4,
                              "q": [0.25] * 4 + [0.5] * 4, "replicate": [0, 1] * 4})
        frame.attrs["params"] = ["angle", "setting", "shift", "q", "replicate"]
        fixed, caption = fix_other_axes(frame, ["angle", "setting"], prefer={"q": 0.5})
        self.assertEqual(caption, "q=0.5")
        self.assertEqual(set(fixed["q"]), {0.5})
        self.assertEqual(set(fixed["shift"]), {0, 1}, "a zipped partner of a kept axis stays")
        self.assertEqual(set(fixed["replicate"]), {0, 1}, "replications are pooled")
        _, caption = fix_other_axes(frame, ["angle", "setting"], prefer={"q": 0.75})
        self.assertEqual(caption, "q=0.25", "without the preferred value, the most frequent (first) one")


class PlotExitTest(unittest.TestCase):
    """`mechsweep plot` exits 2 with "mechsweep plot: <file>: <what is wrong>" on stderr."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.directory = Path(cls.tmp.name)
        cls.store = support.experiment_store("persuasion.appendix", cls.directory)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assertExit2(self, path, reason, *args):
        result = support.plot_command(str(path), "--out-dir", str(self.directory / "out"), *args)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertTrue(result.stderr.startswith(f"mechsweep plot: {path}: "), result.stderr)
        self.assertRegex(result.stderr, reason)
        self.assertEqual(result.stdout, "")
        self.assertFalse((self.directory / "out").exists())

    def test_missing_store(self):
        self.assertExit2(self.directory / "absent.h5", "no such file")

    def test_not_a_store(self):
        path = self.directory / "text.h5"
        path.write_text("hello\n")
        self.assertExit2(path, "not an HDF5 file")

    def test_experiment_without_figures(self):
        path = self.directory / "unknown.h5"
        shutil.copy(self.store, path)
        with h5py.File(path, "r+") as handle:
            handle.attrs["experiment"] = "made.up"
        self.assertExit2(path, "no figures for experiment 'made.up'")

    def test_no_done_tasks(self):
        path = support.run_store(support.experiment_config("synthetic.trivial"), self.directory / "all_failed.h5",
                                 "sweep.failure=[throw]", expect=(support.EXIT_FAILED_TASKS,))
        with h5py.File(path, "r") as handle:
            self.assertFalse((handle["tasks/status"][()] == 1).any())
        self.assertExit2(path, "no done tasks")

    def test_unknown_figure(self):
        self.assertExit2(self.store, "has no figure 'nope'", "--only", "nope")

    def test_store_being_created(self):
        path = self.directory / "incomplete.h5"
        shutil.copy(self.store, path)
        with h5py.File(path, "r+") as handle:
            handle.attrs["schema_complete"] = np.int64(0)
        self.assertExit2(path, "schema_complete")


if __name__ == "__main__":
    unittest.main()
