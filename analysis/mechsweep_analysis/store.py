"""Read mechsweep HDF5 stores into pandas DataFrames.

A store (see the main README, "The HDF5 store") holds one row per task in
``/params/<name>``, ``/results/<name>`` (a dataset, or a ragged column as a
group of ``values`` and ``offsets``) and ``/tasks/*``; one row per run segment
in ``/runs/*``; and optional derived tables in ``/aggregates/<name>/``.
Everything here opens the file read-only with h5py and closes it before
returning.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterable, Iterator

import h5py
import numpy as np
import pandas as pd

__all__ = ["StoreError", "load", "load_aggregate", "list_aggregates", "runs",
           "STATUS_CATEGORIES", "TASK_COLUMNS"]

#: The values of ``/tasks/status``, in code order (0, 1, 2).
STATUS_CATEGORIES = ("pending", "done", "failed")
#: The per-task bookkeeping columns every frame from :func:`load` ends with.
TASK_COLUMNS = ("status", "error", "seconds", "rank", "seed")
# The fill of an int64 result column for a task that is not done.
_INT64_FILL = np.iinfo(np.int64).min


class StoreError(Exception):
    """A file that cannot be read as a mechsweep store.

    ``str(error)`` is ``"<path>: <what is wrong>"``; the two parts are also
    available as ``error.path`` and ``error.reason``.
    """

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def _text(value) -> object:
    """An HDF5 attribute or string cell as Python text (numbers pass through as Python scalars)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _decode_strings(array: np.ndarray) -> np.ndarray:
    """Fixed-length byte strings → an object array of str (decoding each distinct value once)."""
    unique, inverse = np.unique(array, return_inverse=True)
    decoded = np.array([u.decode("utf-8", errors="replace") for u in unique], dtype=object)
    return decoded[inverse]


def _column(array: np.ndarray) -> np.ndarray:
    """A dataset's values, with byte strings decoded to str."""
    return _decode_strings(array) if array.dtype.kind == "S" else array


@contextlib.contextmanager
def _open_store(path: str | Path) -> Iterator[h5py.File]:
    """Opens ``path`` read-only after checking that it is a complete mechsweep store.

    Any HDF5 error while the file is open (a truncated or damaged store)
    surfaces as a :class:`StoreError` naming the file.
    """
    path = Path(path)
    if not path.exists():
        raise StoreError(path, "no such file")
    if path.is_dir():
        raise StoreError(path, "is a directory, not a store")
    if not h5py.is_hdf5(path):
        raise StoreError(path, "not an HDF5 file")
    try:
        handle = h5py.File(path, "r")
    except OSError as error:
        raise StoreError(path, f"HDF5 cannot open it ({error})") from error
    try:
        with handle:
            if "experiment" not in handle.attrs:
                raise StoreError(path, "not a mechsweep store: the root has no 'experiment' attribute")
            if "schema_complete" not in handle.attrs or handle.attrs["schema_complete"] != 1:
                raise StoreError(path, "not a complete mechsweep store: it has no schema_complete mark "
                                       "(its creation was interrupted)")
            for required in ("params", "results", "tasks/status"):
                if required not in handle:
                    raise StoreError(path, f"not a mechsweep store: it has no /{required}")
            yield handle
    except (OSError, KeyError, RuntimeError) as error:
        raise StoreError(path, f"damaged store: {error}") from error


def _status_mask(codes: np.ndarray, status: str, path: Path) -> np.ndarray:
    """The tasks ``status`` selects ("all", or one of :data:`STATUS_CATEGORIES`)."""
    if status != "all" and status not in STATUS_CATEGORIES:
        raise ValueError(f"status must be 'all' or one of {', '.join(STATUS_CATEGORIES)}, not {status!r}")
    if codes.size and codes.max() >= len(STATUS_CATEGORIES):
        raise StoreError(path, f"/tasks/status holds an unknown code {codes.max()}")
    return np.ones(codes.shape, dtype=bool) if status == "all" else codes == STATUS_CATEGORIES.index(status)


def _scalar_result(array: np.ndarray):
    """An int64 column whose selected rows include the not-done fill becomes nullable Int64."""
    if array.dtype == np.int64:
        missing = array == _INT64_FILL
        if missing.any():
            return pd.arrays.IntegerArray(np.where(missing, 0, array), missing)
    return array


def _ragged_result(group: h5py.Group, rows: np.ndarray, done: np.ndarray) -> np.ndarray:
    """One object cell per selected row: values[offsets[k]:offsets[k+1]], or None for a task not done."""
    offsets = group["offsets"][()].astype(np.int64)
    values = group["values"][()]
    cells = np.empty(len(rows), dtype=object)
    for i, (k, is_done) in enumerate(zip(rows, done)):
        cells[i] = values[offsets[k]:offsets[k + 1]] if is_done else None
    return cells


def _names(handle: h5py.File, columns: Iterable[str] | None, clashes: set[str]) -> tuple[list[str], list[str]]:
    """The parameter and result names to read, given ``columns`` (names as they appear in the frame)."""
    params = list(handle["params"])
    results = list(handle["results"])
    if columns is None:
        return params, results
    wanted = set(columns)
    frame_name = {p: (f"param.{p}" if p in clashes else p) for p in params}
    unknown = wanted - set(frame_name.values()) - set(results) - set(TASK_COLUMNS)
    if unknown:
        raise ValueError(f"{handle.filename}: no column {', '.join(sorted(unknown))}; "
                         f"parameters: {', '.join(frame_name.values())}; results: {', '.join(results)}")
    return [p for p in params if frame_name[p] in wanted], [r for r in results if r in wanted]


def load(path: str | Path, *, status: str = "done", columns: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per task of the store at ``path``.

    The index is the task id (named ``task``). Columns, in order: every
    parameter (strings decoded; named ``param.<name>`` when a result or task
    column has the same name), every result column (a ragged column as object
    cells holding 1-D numpy arrays of its values, or None for a task that is
    not done), then ``status`` (categorical: pending, done, failed),
    ``error`` ("" unless failed), ``seconds``, ``rank`` and ``seed``.

    ``status`` keeps "done" tasks (the default), "failed", "pending" or "all".
    Integer results stay int64 unless a selected task is not done, whose
    fill (INT64_MIN) then reads as a nullable Int64 NA. Float results of such
    tasks are NaN. ``columns`` reads only the named parameters and results.

    ``df.attrs`` holds the store's root attributes (experiment, config,
    config_hash, created_utc, task_count, ...), ``path``, and the frame's
    parameter, result and ragged column names as ``params``, ``results`` and
    ``ragged``.
    """
    path = Path(path)
    with _open_store(path) as handle:
        codes = handle["tasks/status"][()]
        mask = _status_mask(codes, status, path)
        rows = np.flatnonzero(mask)
        done = codes[rows] == STATUS_CATEGORIES.index("done")
        clashes = set(handle["results"]) | set(TASK_COLUMNS)
        param_names, result_names = _names(handle, columns, clashes)

        data: dict[str, object] = {}
        params: list[str] = []
        for name in param_names:
            column = f"param.{name}" if name in clashes else name
            data[column] = _column(handle["params"][name][()])[rows]
            params.append(column)
        ragged: list[str] = []
        for name in result_names:
            node = handle["results"][name]
            if isinstance(node, h5py.Group):
                data[name] = _ragged_result(node, rows, done)
                ragged.append(name)
            else:
                data[name] = _scalar_result(node[()][rows])

        data["status"] = pd.Categorical.from_codes(codes[rows], categories=list(STATUS_CATEGORIES))
        failed = codes[rows] == STATUS_CATEGORIES.index("failed")
        errors = np.full(len(rows), "", dtype=object)
        if failed.any():  # the column is 256 bytes a task: read it only when some selected task failed
            errors[failed] = _column(handle["tasks/error"][()][rows[failed]])
        data["error"] = errors
        for name in ("seconds", "rank", "seed"):
            data[name] = handle["tasks"][name][()][rows]

        attrs = {key: _text(value) for key, value in handle.attrs.items()}

    frame = pd.DataFrame(data, index=pd.Index(rows, name="task"))
    frame.attrs.update(attrs)
    frame.attrs.update(path=str(path.resolve()), params=params, results=list(result_names), ragged=ragged)
    return frame


def runs(path: str | Path) -> pd.DataFrame:
    """The store's run segments (``/runs``), one row each, index named ``segment``.

    Strings are decoded and ``started_utc`` is parsed to a UTC timestamp.
    """
    path = Path(path)
    with _open_store(path) as handle:
        if "runs" not in handle:
            raise StoreError(path, "not a mechsweep store: it has no /runs")
        data = {name: _column(handle["runs"][name][()]) for name in handle["runs"]}
    frame = pd.DataFrame(data)
    frame.index.name = "segment"
    if "started_utc" in frame:
        frame["started_utc"] = pd.to_datetime(frame["started_utc"], utc=True, errors="coerce")
    return frame


def list_aggregates(path: str | Path) -> list[str]:
    """Names of the derived tables under ``/aggregates`` (empty when there are none)."""
    with _open_store(path) as handle:
        return sorted(handle["aggregates"]) if "aggregates" in handle else []


def load_aggregate(path: str | Path, name: str) -> pd.DataFrame:
    """The derived table ``/aggregates/<name>`` as a DataFrame.

    Columns come in the order of the group's ``columns`` attribute
    (newline-separated names) when it has one. ``df.attrs`` holds the group's
    attributes (``by``, ``metrics``, ``stats``, ``where``, ... as written),
    ``path`` and ``name``.
    """
    path = Path(path)
    with _open_store(path) as handle:
        available = sorted(handle["aggregates"]) if "aggregates" in handle else []
        if name not in available:
            raise StoreError(path, f"no aggregate {name!r} (the store has "
                                   f"{', '.join(available) if available else 'none'})")
        group = handle["aggregates"][name]
        attrs = {key: _text(value) for key, value in group.attrs.items()}
        order = attrs.get("columns", "").split("\n") if attrs.get("columns") else list(group)
        missing = [column for column in order if column not in group]
        if missing:
            raise StoreError(path, f"aggregate {name!r} lists columns it does not hold: {', '.join(missing)}")
        data = {column: _column(group[column][()]) for column in order}
    lengths = {len(values) for values in data.values()}
    if len(lengths) > 1:
        raise StoreError(path, f"aggregate {name!r} has columns of different lengths {sorted(lengths)}")
    frame = pd.DataFrame(data)
    frame.attrs.update(attrs)
    frame.attrs.update(path=str(path.resolve()), name=name)
    return frame
