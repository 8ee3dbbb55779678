"""Tests of mechsweep_analysis.load and runs on real stores, checked against h5py, and of StoreError."""
from __future__ import annotations

import shutil
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from mechsweep_analysis import StoreError, load, runs
from tests import support

INT64_FILL = np.iinfo(np.int64).min


def decoded(array: np.ndarray) -> np.ndarray:
    return np.array([v.decode() for v in array], dtype=object) if array.dtype.kind == "S" else array


class LoaderTest(unittest.TestCase):
    """Stores with failed tasks and float ragged rows (synthetic.trivial), integer ragged rows and
    replications (coalition.patterns), and string parameters (testdesign.evaluate)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        directory = Path(cls.tmp.name)
        cls.synthetic = support.experiment_store("synthetic.trivial", directory)
        cls.coalition = support.experiment_store("coalition.patterns", directory)
        cls.testdesign = support.experiment_store("testdesign.evaluate", directory)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, path, name):
        with h5py.File(path, "r") as handle:
            return handle[name][()]

    def test_done_rows_by_default(self):
        status = self.read(self.synthetic, "tasks/status")
        df = load(self.synthetic)
        self.assertEqual(len(df), int((status == 1).sum()))
        self.assertEqual(df.index.name, "task")
        np.testing.assert_array_equal(df.index, np.flatnonzero(status == 1))
        self.assertTrue((df["status"] == "done").all())
        self.assertTrue((df["error"] == "").all())

    def test_failed_rows_with_status_all(self):
        status = self.read(self.synthetic, "tasks/status")
        self.assertTrue((status == 2).any(), "the test config must fail some tasks")
        df = load(self.synthetic, status="all")
        self.assertEqual(len(df), len(status))
        self.assertEqual(list(df["status"].cat.categories), ["pending", "done", "failed"])
        failed = df[df["status"] == "failed"]
        self.assertEqual(len(failed), int((status == 2).sum()))
        self.assertTrue(failed["error"].str.len().gt(0).all())
        self.assertIn("synthetic failure requested by failure=throw", set(failed["error"]))
        self.assertIn("column 'y' is NaN where a number is required", set(failed["error"]))
        self.assertTrue((df.loc[df["status"] != "failed", "error"] == "").all())
        self.assertTrue(failed["failure"].isin(["throw", "nan"]).all())
        only_failed = load(self.synthetic, status="failed")
        np.testing.assert_array_equal(only_failed.index, failed.index)
        self.assertEqual(len(load(self.synthetic, status="pending")), 0)

    def test_integer_fill_is_nullable_na(self):
        df = load(self.synthetic, status="all")
        self.assertEqual(str(df["checksum"].dtype), "Int64")
        self.assertTrue(df.loc[df["status"] == "failed", "checksum"].isna().all())
        done = load(self.synthetic)
        self.assertEqual(done["checksum"].dtype, np.int64)
        raw = self.read(self.synthetic, "results/checksum")
        np.testing.assert_array_equal(done["checksum"], raw[done.index])
        self.assertFalse((done["checksum"] == INT64_FILL).any())

    def test_parameters_equal_h5py(self):
        for path in (self.synthetic, self.coalition, self.testdesign):
            df = load(path, status="all")
            with h5py.File(path, "r") as handle:
                self.assertEqual(sorted(df.attrs["params"]), sorted(handle["params"]))
                for name in handle["params"]:
                    with self.subTest(store=path.name, param=name):
                        expected = decoded(handle["params"][name][()])
                        np.testing.assert_array_equal(df[name].to_numpy(), expected)
                        if expected.dtype == object:
                            self.assertTrue(all(isinstance(v, str) for v in df[name]))
                for name in ("seconds", "rank", "seed"):
                    np.testing.assert_array_equal(df[name].to_numpy(), handle["tasks"][name][()])

    def test_scalar_results_equal_h5py(self):
        df = load(self.testdesign)
        with h5py.File(self.testdesign, "r") as handle:
            for name, node in handle["results"].items():
                with self.subTest(result=name):
                    np.testing.assert_array_equal(df[name].to_numpy(), node[()][df.index])

    def test_ragged_cells_are_value_slices(self):
        for path, column in ((self.synthetic, "draws"), (self.coalition, "verdict"), (self.coalition, "ic_pairs")):
            df = load(path, status="all")
            offsets = self.read(path, f"results/{column}/offsets")
            values = self.read(path, f"results/{column}/values")
            self.assertIn(column, df.attrs["ragged"])
            for task, cell, status in zip(df.index, df[column], df["status"]):
                with self.subTest(store=path.name, column=column, task=task):
                    if status == "done":
                        np.testing.assert_array_equal(cell, values[offsets[task]:offsets[task + 1]])
                        self.assertEqual(cell.ndim, 1)
                        self.assertEqual(cell.dtype, values.dtype)
                    else:
                        self.assertIsNone(cell)
        lengths = load(self.synthetic)["draws"].map(len)
        self.assertEqual(set(lengths), {0, 2, 7})

    def test_replications_share_parameters(self):
        df = load(self.coalition)
        cells = df.groupby(["agents", "pattern_family", "scf_family"]).size()
        self.assertTrue((cells == df["replicate"].nunique()).all())
        self.assertGreater(df["replicate"].nunique(), 1)

    def test_attrs(self):
        df = load(self.testdesign)
        with h5py.File(self.testdesign, "r") as handle:
            root = dict(handle.attrs)
        self.assertEqual(df.attrs["experiment"], "testdesign.evaluate")
        self.assertEqual(df.attrs["config"], root["config"])
        self.assertIn("experiment: testdesign.evaluate", df.attrs["config"])
        self.assertEqual(df.attrs["config_hash"], root["config_hash"])
        self.assertEqual(df.attrs["created_utc"], root["created_utc"])
        self.assertEqual(df.attrs["task_count"], len(df))
        self.assertIsInstance(df.attrs["task_count"], int)
        self.assertEqual(df.attrs["path"], str(self.testdesign.resolve()))
        self.assertEqual(df.columns[-5:].tolist(), ["status", "error", "seconds", "rank", "seed"])

    def test_columns_subset(self):
        df = load(self.coalition, columns=["agents", "verdict", "epic"])
        self.assertEqual(df.columns.tolist(), ["agents", "epic", "verdict", "status", "error", "seconds", "rank",
                                               "seed"])
        self.assertEqual(df.attrs["params"], ["agents"])
        self.assertEqual(df.attrs["ragged"], ["verdict"])
        with self.assertRaisesRegex(ValueError, "no column nonsense"):
            load(self.coalition, columns=["agents", "nonsense"])

    def test_bad_status_argument(self):
        with self.assertRaisesRegex(ValueError, "status must be"):
            load(self.synthetic, status="finished")

    def test_parameter_named_like_a_result_is_prefixed(self):
        clash = Path(self.tmp.name) / "clash.h5"
        shutil.copy(self.synthetic, clash)
        with h5py.File(clash, "r+") as handle:
            handle["results"].create_dataset("x", data=np.arange(handle.attrs["task_count"], dtype=np.float64))
        df = load(clash)
        self.assertIn("param.x", df.columns)
        np.testing.assert_array_equal(df["param.x"], self.read(self.synthetic, "params/x")[df.index])
        np.testing.assert_array_equal(df["x"], df.index.to_numpy(dtype=float))
        self.assertIn("param.x", df.attrs["params"])
        self.assertEqual(load(clash, columns=["param.x"]).attrs["params"], ["param.x"])

    def test_runs(self):
        segments = runs(self.synthetic)
        self.assertEqual(len(segments), 1)
        self.assertEqual(segments.index.name, "segment")
        self.assertEqual(segments.loc[0, "kind"], "run")
        self.assertEqual(segments.loc[0, "ranks"], 1)
        self.assertTrue(pd.api.types.is_datetime64_any_dtype(segments["started_utc"]))
        status = self.read(self.synthetic, "tasks/status")
        self.assertEqual(segments.loc[0, "tasks_done"], int((status == 1).sum()))
        self.assertEqual(segments.loc[0, "tasks_failed"], int((status == 2).sum()))


class StoreErrorTest(unittest.TestCase):
    """Files that are not (complete) mechsweep stores raise StoreError naming the file."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.directory = Path(cls.tmp.name)
        cls.store = support.experiment_store("persuasion.appendix", cls.directory)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assertStoreError(self, path, reason):
        for reader in (load, runs):
            with self.subTest(reader=reader.__name__), self.assertRaises(StoreError) as caught:
                reader(path)
            self.assertTrue(str(caught.exception).startswith(f"{path}: "), str(caught.exception))
            self.assertRegex(caught.exception.reason, reason)
            self.assertEqual(caught.exception.path, str(path))

    def copy(self, name):
        path = self.directory / name
        shutil.copy(self.store, path)
        return path

    def test_missing_file(self):
        self.assertStoreError(self.directory / "absent.h5", "no such file")

    def test_directory(self):
        self.assertStoreError(self.directory, "is a directory")

    def test_text_file(self):
        path = self.directory / "notes.h5"
        path.write_text("experiment: testdesign.evaluate\n")
        self.assertStoreError(path, "not an HDF5 file")

    def test_truncated_store(self):
        path = self.directory / "truncated.h5"
        data = self.store.read_bytes()
        path.write_bytes(data[:len(data) // 2])
        self.assertStoreError(path, "HDF5 cannot open it .*truncated")

    def test_hdf5_without_attributes(self):
        path = self.directory / "plain.h5"
        with h5py.File(path, "w") as handle:
            handle.create_dataset("tasks/status", data=np.ones(3, dtype=np.uint8))
        self.assertStoreError(path, "no 'experiment' attribute")

    def test_incomplete_schema(self):
        path = self.copy("incomplete.h5")
        with h5py.File(path, "r+") as handle:
            handle.attrs["schema_complete"] = np.int64(0)
        self.assertStoreError(path, "schema_complete")
        with h5py.File(path, "r+") as handle:
            del handle.attrs["schema_complete"]
        self.assertStoreError(path, "schema_complete")

    def test_missing_task_status(self):
        path = self.copy("no_status.h5")
        with h5py.File(path, "r+") as handle:
            del handle["tasks/status"]
        self.assertStoreError(path, "no /tasks/status")

    def test_intact_copy_loads(self):
        self.assertEqual(len(load(self.copy("intact.h5"))), len(load(self.store)))


if __name__ == "__main__":
    unittest.main()
