"""Figures of ``synthetic.trivial`` (no paper: the runner's test bed).

* ``draws``: the seeded uniform draws — the first draw u = y − x against x,
  the histogram of every ragged ``draws`` value against the uniform density
  1, and the mean draw per row length n with its 95% interval (about ½).
  Seeds come from the task id only, so these look the same on any rank count.
* ``task_seconds``: each task's wall time against its id, coloured by the
  MPI rank that ran it: how the runner spread the work.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import (FigureSet, categorical_styles, finish, label_panels, mean_ci, missing, named_panels,
                      plot_series, values)

EXPERIMENT = "synthetic.trivial"
figures = FigureSet(EXPERIMENT)


@figures.register("draws")
def draws(df):
    name = f"{EXPERIMENT}__draws"
    scatter = not missing(df, ["x", "u"], name, "panel")
    ragged = not missing(df, ["draws"], name, "histogram and per-length panels")
    if not scatter and not ragged:
        return None
    titles = (["first draw u against x"] if scatter else []) + (
        ["histogram of the ragged draws", "mean draw per row length n"] if ragged else [])
    figure, panels = named_panels(df, titles, panel_size=(3.4, 2.8), sharex=False)
    if scatter:
        panel = panels.pop(0)
        panel.ax.scatter(df["x"], df["u"], s=8, color="#4c72b0")
        label_panels([panel], "x", "u = y − x")
    if ragged:
        histogram, per_length = panels
        rows = df["draws"].dropna()
        flat = np.concatenate(rows.to_list())
        histogram.ax.hist(flat, bins=20, range=(0, 1), density=True, color="#4c72b0")
        histogram.ax.axhline(1, color="#c8553d", linestyle="--", label="uniform density")
        label_panels([histogram._replace(title=f"{histogram.title} ({flat.size} values)")], "draw", "density")
        means = pd.DataFrame({"n": rows.map(len),
                              "mean_draw": rows.map(lambda row: row.mean() if len(row) else np.nan)})
        plot_series(per_length.ax, mean_ci(means, ["n"], "mean_draw"), "n", color="black", label="mean with 95% band")
        per_length.ax.axhline(0.5, color="#c8553d", linestyle=":", label="½")
        label_panels([per_length], "row length n", "mean draw")
    finish(figure, "Synthetic tasks: seeded uniform draws")
    return figure


@figures.register("task_seconds")
def task_seconds(df):
    name = f"{EXPERIMENT}__task_seconds"
    if missing(df, ["seconds", "rank"], name):
        return None
    figure, panels = named_panels(df, ["wall time per task"], panel_size=(6.0, 3.0))
    ax = panels[0].ax
    ranks = values(df, "rank")
    styles = categorical_styles(ranks)
    for rank in ranks:
        subset = df[df["rank"] == rank]
        ax.plot(subset.index, subset["seconds"], linestyle="none", marker=".", color=styles[rank]["color"],
                label=f"rank {rank}")
    ax.set_yscale("log")
    label_panels(panels, "task id", "seconds")
    finish(figure, "Synthetic tasks: wall time of each task, by the rank that ran it")
    return figure
