"""Tests of list_aggregates and load_aggregate on /aggregates groups written here with h5py.

The layout is the one `mechsweep aggregate` writes (src/store/table.hpp):
equal-length 1-D datasets, the group attribute `columns` listing them in
order (newline-separated), and text attributes such as by, metrics, stats
and where.
"""
from __future__ import annotations

import shutil
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np

from mechsweep_analysis import StoreError, list_aggregates, load, load_aggregate
from tests import support

COLUMNS = {
    "constraint": np.array([b"click", b"uniform", b"uniform"], dtype="S7"),
    "agents": np.array([4, 4, 8], dtype=np.int64),
    "tasks": np.array([3, 5, 5], dtype=np.int64),
    "fr_star_min.mean": np.array([0.25, 0.5, 0.75]),
    "fr_star_min.ci_low": np.array([0.2, 0.45, 0.7]),
}
ATTRIBUTES = {"by": "constraint,agents", "metrics": "fr_star_min", "stats": "mean,ci_low", "where": "epsilon>0"}


def write_aggregate(path: Path, name: str, columns: dict, attributes: dict, listed: bool = True) -> None:
    with h5py.File(path, "r+") as handle:
        group = handle.require_group("aggregates").create_group(name)
        for column, data in columns.items():
            group.create_dataset(column, data=data)
        if listed:
            group.attrs["columns"] = "\n".join(columns)
        for key, text in attributes.items():
            group.attrs[key] = text


class AggregateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.directory = Path(cls.tmp.name)
        cls.plain = support.experiment_store("persuasion.market", cls.directory)
        cls.store = cls.directory / "aggregated.h5"
        shutil.copy(cls.plain, cls.store)
        write_aggregate(cls.store, "by_constraint", COLUMNS, ATTRIBUTES)
        write_aggregate(cls.store, "unlisted", {"b": np.arange(2.0), "a": np.arange(2)}, {}, listed=False)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_list(self):
        self.assertEqual(list_aggregates(self.store), ["by_constraint", "unlisted"])
        self.assertEqual(list_aggregates(self.plain), [])

    def test_columns_in_listed_order_with_values(self):
        table = load_aggregate(self.store, "by_constraint")
        self.assertEqual(table.columns.tolist(), list(COLUMNS))
        self.assertEqual(table["constraint"].tolist(), ["click", "uniform", "uniform"])
        for column in ("agents", "tasks", "fr_star_min.mean", "fr_star_min.ci_low"):
            np.testing.assert_array_equal(table[column], COLUMNS[column])
        self.assertEqual(table["agents"].dtype, np.int64)

    def test_attributes(self):
        table = load_aggregate(self.store, "by_constraint")
        for key, text in ATTRIBUTES.items():
            self.assertEqual(table.attrs[key], text)
        self.assertEqual(table.attrs["name"], "by_constraint")
        self.assertEqual(table.attrs["path"], str(self.store.resolve()))

    def test_without_columns_attribute(self):
        table = load_aggregate(self.store, "unlisted")
        self.assertEqual(sorted(table.columns), ["a", "b"])
        self.assertEqual(len(table), 2)

    def test_missing_aggregate(self):
        with self.assertRaisesRegex(StoreError, "no aggregate 'absent' .*by_constraint, unlisted"):
            load_aggregate(self.store, "absent")
        with self.assertRaisesRegex(StoreError, r"the store has none\)"):
            load_aggregate(self.plain, "by_constraint")

    def test_inconsistent_aggregate(self):
        path = self.directory / "ragged_aggregate.h5"
        shutil.copy(self.plain, path)
        write_aggregate(path, "bad", {"a": np.arange(3), "b": np.arange(2)}, {})
        with self.assertRaisesRegex(StoreError, "columns of different lengths"):
            load_aggregate(path, "bad")
        with h5py.File(path, "r+") as handle:
            handle["aggregates/bad"].attrs["columns"] = "a\nb\nc"
        with self.assertRaisesRegex(StoreError, "lists columns it does not hold: c"):
            load_aggregate(path, "bad")

    def test_tasks_unaffected(self):
        with_aggregates, plain = load(self.store), load(self.plain)
        scalar = [c for c in plain.columns if c not in plain.attrs["ragged"]]
        self.assertTrue(with_aggregates[scalar].equals(plain[scalar]))
        self.assertEqual(with_aggregates.columns.tolist(), plain.columns.tolist())

    def test_not_a_store(self):
        path = self.directory / "text.h5"
        path.write_text("no")
        with self.assertRaises(StoreError):
            list_aggregates(path)
        with self.assertRaises(StoreError):
            load_aggregate(path, "by_constraint")


if __name__ == "__main__":
    unittest.main()


class CommandAggregateTest(unittest.TestCase):
    """`mechsweep aggregate` writes a table that load_aggregate reads back equal to pandas on load()."""

    def test_matches_pandas_groupby(self):
        with tempfile.TemporaryDirectory() as tmp:
            store = support.experiment_store("persuasion.market", Path(tmp))
            support.run_mechsweep("aggregate", str(store), "--by", "constraint,agents",
                                  "--metric", "fr_star_min,fr_uniform_min", "--stat", "mean,std,min,max,count")
            table = load_aggregate(store, "constraint+agents")
            expected = (load(store).groupby(["constraint", "agents"])[["fr_star_min", "fr_uniform_min"]]
                        .agg(["mean", "std", "min", "max", "count"]))
            self.assertEqual(len(table), len(expected))
            for _, row in table.iterrows():
                cell = expected.loc[(row["constraint"], row["agents"])]
                for metric in ("fr_star_min", "fr_uniform_min"):
                    for stat in ("mean", "std", "min", "max", "count"):
                        self.assertAlmostEqual(row[f"{metric}.{stat}"], cell[(metric, stat)], places=12,
                                               msg=f"{metric}.{stat} of {row['constraint']}, {row['agents']}")
            self.assertEqual(table.attrs["by"], "constraint,agents")
