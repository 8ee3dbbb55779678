"""Draw the figures of a mechsweep store.

    python3 -m mechsweep_analysis.plot STORE [--out-dir DIR] [--only FIGURE]

Writes ``<experiment>__<figure>.png`` files (into the store's directory
unless ``--out-dir`` says otherwise) from the store's done tasks and prints
each path. Notes about panels or figures the store cannot support go to
stderr. Exit status 0 on success; 2, with ``mechsweep plot: <file>: <what is
wrong>`` on stderr, for a missing or unreadable store, an experiment without
figures, an unknown ``--only`` name, or a store with no done task.
(``mechsweep plot FILE`` runs this module.)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .figures import FIGURES
from .store import StoreError, load

EXIT_INPUT = 2


class PlotError(Exception):
    """Why a store cannot be plotted (the message names the file)."""


def plot(store: str | Path, out_dir: str | Path | None = None, only: str | None = None) -> list[Path]:
    """Writes the figures of ``store`` and returns their paths; raises :class:`PlotError` when it cannot."""
    store = Path(store)
    try:
        df = load(store)
    except StoreError as error:
        raise PlotError(str(error)) from error
    experiment = df.attrs["experiment"]
    figures = FIGURES.get(experiment)
    if figures is None:
        raise PlotError(f"{store}: no figures for experiment {experiment!r} "
                        f"(figures exist for {', '.join(sorted(FIGURES))})")
    if only is not None and only not in figures.names:
        raise PlotError(f"{store}: {experiment} has no figure {only!r} (it has {', '.join(figures.names)})")
    if df.empty:
        raise PlotError(f"{store}: no done tasks to plot (of {df.attrs.get('task_count', '?')})")
    return figures(df, store.parent if out_dir is None else out_dir, only=only)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mechsweep plot", description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a mechsweep HDF5 store")
    parser.add_argument("--out-dir", help="where to write the PNGs (default: the store's directory)")
    parser.add_argument("--only", metavar="FIGURE", help="draw only this figure (e.g. value_by_angle)")
    args = parser.parse_args(argv)
    try:
        paths = plot(args.store, args.out_dir, args.only)
    except PlotError as error:
        print(f"mechsweep plot: {error}", file=sys.stderr)
        return EXIT_INPUT
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
