"""Figures of ``coalition.examples`` (paper 001, the paper's Examples 1 and 2).

* ``example1_table``: the Example-1 family (f = (Σθ_i, −cθ_i²) on k grid
  points) as the table of spec §3.1, one row per (n, k) and one column per
  cost scale c: each cell reads "EPIC, RCIC, violations" and is coloured by
  which of EPIC ⊇ RCIC hold; below it, the verdicts for robust 𝒮̲
  (Bergemann–Morris) and robust coalitional implementation. At the paper's
  c = ½, (n, k) = (2, 3) is Example 1A (EPIC without RCIC: robust 𝒮̲ YES,
  coalitional NO, the "coalition cost") and (2, 2) is Example 1B
  (coalitional YES). Rows run with ``monotonicity: skip`` give UNKNOWN.
* ``example2_verdicts``: Example 2 with and without disposal outcomes: the
  verdict under each named pattern. Robust 𝒮̲ is NO while 𝒮̄ and 𝒮̲ ∪ {I}
  are YES — coalitions make implementation possible (the "coalition
  value") — and robust coalitional implementation is NO.
"""
from __future__ import annotations

from fractions import Fraction

import matplotlib.pyplot as plt
import pandas as pd

from ._common import FigureSet, category_heatmap, finish, fix_other_axes, missing, note

EXPERIMENT = "coalition.examples"
figures = FigureSet(EXPERIMENT)

VERDICTS = {0: "NO", 1: "YES", 2: "UNKNOWN"}
VERDICT_COLORS = {"YES": "#4c9a55", "NO": "#c8553d", "UNKNOWN": "#b0b0b0"}
IC_COLORS = {"EPIC and RCIC": "#4c9a55", "EPIC only": "#e0a43a", "neither": "#c8553d"}


def _fraction(value: float) -> str:
    """A cost scale as the fraction the spec's table prints (1/3, 5/4, ...)."""
    return str(Fraction(value).limit_denominator(12))


def _ic_class(row) -> str:
    """Which of EPIC ⊇ RCIC a task satisfies."""
    if row["epic"] == 1:
        return "EPIC and RCIC" if row["rcic"] == 1 else "EPIC only"
    return "neither"


@figures.register("example1_table")
def example1_table(df):
    name = f"{EXPERIMENT}__example1_table"
    if missing(df, ["agents", "types", "cost_scale", "epic", "rcic"], name):
        return None
    data = df[df["example"] == "example1"] if "example" in df else df
    if data.empty:
        note(name, "no example1 tasks; figure skipped")
        return None
    data, caption = fix_other_axes(data, ["agents", "types", "cost_scale"])
    if "ic_violations" in data:
        text = [f"{e},{r},{v}" for e, r, v in zip(data["epic"], data["rcic"], data["ic_violations"])]
    else:
        note(name, "no column ic_violations; the cells show EPIC, RCIC only")
        text = [f"{e},{r}" for e, r in zip(data["epic"], data["rcic"])]
    data = data.assign(cell=[f"(n, k) = ({n}, {k})" for n, k in zip(data["agents"], data["types"])],
                       c=data["cost_scale"].map(_fraction), ic=data.apply(_ic_class, axis=1), text=text)
    rows = sorted(data["cell"].unique())
    cols = [_fraction(c) for c in sorted(data["cost_scale"].unique())]

    def table(column):
        """``column`` as a (n, k) × c table."""
        return data.pivot_table(index="cell", columns="c", values=column, aggfunc="first").reindex(
            index=rows, columns=cols)

    panels = [("IC: cells read EPIC, RCIC, violating (S, θ*, θ′) triples", table("ic"), IC_COLORS, table("text"))]
    for column, title in (("verdict_bergemann_morris", "singletons only: robust (Bergemann–Morris) implementation"),
                          ("verdict_coalitional", "robust coalitional implementation")):
        if not missing(data, [column], name, "panel"):
            verdicts = table(column).apply(lambda codes: codes.map(VERDICTS))
            panels.append((title, verdicts, VERDICT_COLORS, verdicts))
    figure, axes = plt.subplots(len(panels), 1, figsize=(1.0 + 0.8 * len(cols), 0.9 + (0.45 * len(rows) + 0.8)
                                                         * len(panels)), squeeze=False)
    for ax, (title, cells, colors, cell_text) in zip(axes[:, 0], panels):
        category_heatmap(ax, cells, colors, cell_text, legend=colors is IC_COLORS)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("cost scale c")
    finish(figure, "Example-1 family: f = (Σθ, −cθ²) — the spec §3.1 table and the verdicts", caption, ncol=3)
    return figure


# Column labels and indices of the named patterns in the ragged per-pattern columns.
NAMED_PATTERNS = (("singletons only\n(Bergemann–Morris)", 0), ("singletons +\ngrand coalition", 2),
                  ("all coalitions", 1))


@figures.register("example2_verdicts")
def example2_verdicts(df):
    name = f"{EXPERIMENT}__example2_verdicts"
    if missing(df, ["example", "verdict"], name):
        return None
    data = df[df["example"] == "example2"]
    if data.empty:
        note(name, "no example2 tasks; figure skipped")
        return None
    disposal = data["disposal"] if "disposal" in data else pd.Series(0.0, index=data.index)
    index = [f"disposal D = {d:g}" if d > 0 else "no disposal" for d in disposal]
    table = pd.DataFrame({label: [VERDICTS.get(int(cell[i])) if cell is not None and len(cell) > i else None
                                  for cell in data["verdict"]]
                          for label, i in NAMED_PATTERNS}, index=index)
    if "verdict_coalitional" in data:
        table["robust coalitional"] = data["verdict_coalitional"].map(VERDICTS).to_numpy()
    table = table[~table.index.duplicated()]
    figure, ax = plt.subplots(figsize=(1.6 + 1.5 * table.shape[1], 1.4 + 0.5 * table.shape[0]))
    category_heatmap(ax, table, VERDICT_COLORS, table, legend=False)
    ax.tick_params(axis="x", labelrotation=0)
    ax.set_xlabel("coalition pattern")
    finish(figure, "Example 2: the robust-implementation verdict under each coalition pattern")
    return figure
