"""Shared machinery of the figure modules: registration, slicing, 95% intervals, facets, legends.

A figure module creates one :class:`FigureSet` for its experiment and
registers functions ``fn(df) -> Figure | None`` on it. A function returns
None, after a :func:`note` on stderr saying why, when the frame lacks what
it needs; it skips single panels the same way. Figures are saved as
``<experiment>__<name>.png``.

Stores sweep any subset of the axes, so a figure names the parameters it
plots (x axis, curves, facets) and :func:`fix_other_axes` reduces every
other varying parameter to one value, named in the title. Parameters it is
told to pool (replications) stay, and the plotted statistic averages over
them: :func:`mean_ci` (mean with a t-based 95% interval) or :func:`share_ci`
(a share with Wilson's 95% interval), drawn as a band by
:func:`plot_series`.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

DPI = 120
#: Parameters that only label replications: always pooled, never fixed.
REPLICATION_AXES = ("replicate",)

FigureFunction = Callable[[pd.DataFrame], "plt.Figure | None"]


# --- registration ---------------------------------------------------------------------------------------------

class FigureSet:
    """The figures of one experiment: ``figures(df, out_dir) -> list[Path]`` writes them all."""

    def __init__(self, experiment: str):
        self.experiment = experiment
        self._functions: dict[str, FigureFunction] = {}

    def register(self, name: str) -> Callable[[FigureFunction], FigureFunction]:
        """Decorator: registers ``fn(df) -> Figure | None`` as the figure ``name``."""
        def decorator(function: FigureFunction) -> FigureFunction:
            self._functions[name] = function
            return function
        return decorator

    @property
    def names(self) -> list[str]:
        return list(self._functions)

    def __call__(self, df: pd.DataFrame, out_dir: str | Path, only: str | None = None) -> list[Path]:
        """Draws every figure (or only the one named ``only``) into PNGs under ``out_dir``; returns their paths."""
        if only is not None and only not in self._functions:
            raise KeyError(f"{self.experiment} has no figure {only!r} (it has {', '.join(self.names)})")
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name, function in self._functions.items():
            if only is not None and name != only:
                continue
            figure = function(df)
            if figure is None:
                continue
            path = out_dir / f"{self.experiment}__{name}.png"
            figure.savefig(path, dpi=DPI)
            plt.close(figure)
            written.append(path)
        return written


# --- what the frame holds -------------------------------------------------------------------------------------

def note(figure: str, message: str) -> None:
    """Tells the user (on stderr) what a figure left out and why."""
    print(f"note: {figure}: {message}", file=sys.stderr)


def missing(df: pd.DataFrame, columns: Iterable[str], figure: str, what: str = "figure") -> bool:
    """True, after a note, when ``df`` lacks one of ``columns`` or has no value in it."""
    absent = [c for c in columns if c not in df.columns or df[c].isna().all()]
    if absent:
        note(figure, f"no values in column{'s' if len(absent) > 1 else ''} {', '.join(absent)}; {what} skipped")
    return bool(absent)


def present(df: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The ``columns`` that ``df`` has with at least one value."""
    return [c for c in columns if c in df.columns and not df[c].isna().all()]


def values(df: pd.DataFrame, column: str | None) -> list:
    """The sorted distinct values of ``column`` ([None] when it is None or absent)."""
    if column is None or column not in df.columns:
        return [None]
    return sorted(df[column].dropna().unique().tolist())


def format_value(value) -> str:
    """A parameter value for titles and tick labels (floats to 4 significant digits)."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def fix_other_axes(df: pd.DataFrame, keep: Sequence[str], pool: Sequence[str] = (),
                   prefer: dict[str, object] | None = None) -> tuple[pd.DataFrame, str]:
    """Reduces every parameter that varies but is not plotted to a single value.

    ``keep`` are the plotted parameters (x axis, curves, facets); ``pool``
    and :data:`REPLICATION_AXES` stay varying, to be averaged over. A
    parameter that the kept ones determine (a zipped partner) stays as it is.
    Any other parameter (from ``df.attrs["params"]``) is fixed to
    ``prefer[name]`` when the frame has that value, else to its most frequent
    value. Returns the reduced frame and a caption such as
    ``"design=criteria, q=0.5"`` ("" when nothing was fixed).
    """
    prefer = prefer or {}
    keep = [k for k in keep if k in df.columns]
    free = set(pool) | set(REPLICATION_AXES)
    fixed = []
    for name in df.attrs.get("params", []):
        if name in keep or name in free or name not in df.columns or df[name].nunique(dropna=False) < 2:
            continue
        if keep and df.groupby(keep, dropna=False)[name].nunique(dropna=False).max() < 2:
            continue
        choice = prefer.get(name)
        if choice is None or not (df[name] == choice).any():
            choice = df[name].mode().iloc[0]
        df = df[df[name] == choice]
        fixed.append(f"{name}={format_value(choice)}")
    return df, ", ".join(fixed)


# --- statistics -----------------------------------------------------------------------------------------------

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042)
_Z975 = 1.959964


def t_quantile(dof: int) -> float:
    """Two-sided 95% quantile of Student's t with ``dof`` degrees of freedom (Cornish–Fisher beyond 30)."""
    if dof <= len(_T975):
        return _T975[dof - 1]
    z = _Z975
    return z + (z ** 3 + z) / (4 * dof) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * dof ** 2)


def mean_ci(df: pd.DataFrame, by: Sequence[str], column: str) -> pd.DataFrame:
    """Mean of the finite values of ``column`` per group of ``by``, with a t-based 95% interval.

    Returns columns ``by`` + ``mean``, ``low``, ``high`` (NaN for a group of
    one row) and ``count``, sorted by ``by``.
    """
    data = df[list(by) + [column]].copy()
    data[column] = pd.to_numeric(data[column], errors="coerce").astype(float)
    data = data[np.isfinite(data[column])]
    out = data.groupby(list(by), sort=True)[column].agg(mean="mean", std="std", count="count").reset_index()
    quantiles = np.array([t_quantile(n - 1) if n > 1 else np.nan for n in out["count"]])
    half = quantiles * out["std"] / np.sqrt(out["count"])
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out.drop(columns="std")


def share_ci(df: pd.DataFrame, by: Sequence[str], column: str, value=1) -> pd.DataFrame:
    """Share of rows with ``column == value`` per group of ``by``, with Wilson's 95% interval.

    Returns columns ``by`` + ``mean`` (the share), ``low``, ``high`` and ``count``.
    """
    data = df[list(by)].copy()
    data["hit"] = (df[column] == value).astype(float)
    out = data.groupby(list(by), sort=True)["hit"].agg(mean="mean", count="count").reset_index()
    z, n, p = _Z975, out["count"], out["mean"]
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    out["low"], out["high"] = centre - half, centre + half
    return out


# --- styles ---------------------------------------------------------------------------------------------------

_LINESTYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*")


def categorical_styles(levels: Sequence) -> dict:
    """Distinct colour, line style and marker per level (so coinciding curves stay visible)."""
    colors = plt.get_cmap("tab10").colors
    return {level: dict(color=colors[i % len(colors)], linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                        marker=_MARKERS[i % len(_MARKERS)])
            for i, level in enumerate(levels)}


def sequential_styles(levels: Sequence) -> dict:
    """Colours along viridis for ordered levels (cost scales, sizes), and distinct markers."""
    cmap = plt.get_cmap("viridis")
    count = max(len(levels) - 1, 1)
    return {level: dict(color=cmap(0.9 * i / count), marker=_MARKERS[i % len(_MARKERS)])
            for i, level in enumerate(levels)}


def distinct_colors(count: int) -> list:
    """``count`` distinct colours (tab10, or tab20 beyond ten)."""
    cmap = plt.get_cmap("tab10" if count <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(count)]


# --- layout ---------------------------------------------------------------------------------------------------

class Panel(NamedTuple):
    """One facet: its axes, its rows of the frame, its title, and whether it is on the bottom / left edge."""
    ax: "plt.Axes"
    data: pd.DataFrame
    title: str
    bottom: bool
    left: bool


def _layout(used: Sequence[bool], n_cols: int, panel_size, sharex: bool, sharey: bool):
    """A grid of ``n_cols`` columns whose slots (row by row) are used where ``used`` says.

    Returns the figure and, per used slot, (axes, on the bottom edge, on the
    left edge). Unused slots are hidden; a panel with no panel below it keeps
    its x tick labels, and the first panel of a row its y tick labels.
    """
    n_rows = math.ceil(len(used) / n_cols)
    used = list(used) + [False] * (n_rows * n_cols - len(used))
    figure, axes = plt.subplots(n_rows, n_cols, figsize=(panel_size[0] * n_cols + 1.2, panel_size[1] * n_rows + 1.0),
                                sharex=sharex, sharey=sharey, squeeze=False)
    cells = []
    for index, ax in enumerate(axes.flat):
        if not used[index]:
            ax.set_visible(False)
            continue
        row, col = divmod(index, n_cols)
        bottom = not any(used[r * n_cols + col] for r in range(row + 1, n_rows))
        left = not any(used[row * n_cols + c] for c in range(col))
        if bottom:
            ax.xaxis.set_tick_params(labelbottom=True)
        if left:
            ax.yaxis.set_tick_params(labelleft=True)
        cells.append((ax, bottom, left))
    return figure, cells


def facets(df: pd.DataFrame, rows: str | None, cols: str | None, panel_size=(3.4, 2.6), sharex=True, sharey=True,
           max_cols: int = 5, col_order: Sequence | None = None) -> tuple["plt.Figure", list[Panel]]:
    """Splits ``df`` into panels, one per value of ``rows`` × ``cols`` (either may be None).

    Values come sorted, or in ``col_order`` for the columns. With no ``rows``
    the ``cols`` values wrap after ``max_cols`` panels. A combination with no
    rows in ``df`` gets no panel.
    """
    row_values = values(df, rows)
    col_values = list(col_order) if col_order is not None else values(df, cols)
    n_cols = min(len(col_values), max_cols) if rows is None else len(col_values)
    cells = []
    for r in row_values:
        for c in col_values:
            subset, title = df, []
            if r is not None:
                subset = subset[subset[rows] == r]
                title.append(f"{rows} = {format_value(r)}")
            if c is not None:
                subset = subset[subset[cols] == c]
                title.append(f"{cols} = {format_value(c)}")
            cells.append((subset, "\n".join(title)))
    used = [len(subset) > 0 or df.empty for subset, _ in cells]
    figure, layout = _layout(used, n_cols, panel_size, sharex, sharey)
    kept = [cell for cell, use in zip(cells, used) if use]
    return figure, [Panel(ax, subset, title, bottom, left)
                    for (subset, title), (ax, bottom, left) in zip(kept, layout)]


def named_panels(df: pd.DataFrame, titles: Sequence[str], panel_size=(3.4, 2.6), sharex=True, sharey=False,
                 max_cols: int = 5) -> tuple["plt.Figure", list[Panel]]:
    """One panel per title, each holding all of ``df`` (for figures whose panels show different metrics)."""
    figure, layout = _layout([True] * len(titles), min(len(titles), max_cols), panel_size, sharex, sharey)
    return figure, [Panel(ax, df, title, bottom, left) for title, (ax, bottom, left) in zip(titles, layout)]


# --- drawing --------------------------------------------------------------------------------------------------

def plot_series(ax, stats: pd.DataFrame, x: str, label: str | None = None, **style) -> None:
    """A line through ``stats['mean']`` against ``stats[x]``, with the 95% band where a group has several rows."""
    stats = stats.sort_values(x)
    style.setdefault("marker", "o")
    style.setdefault("markersize", 3.5)
    (line,) = ax.plot(stats[x], stats["mean"], label=label, **style)
    if (stats["count"] > 1).any():
        ax.fill_between(stats[x], stats["low"], stats["high"], color=line.get_color(), alpha=0.18, linewidth=0)


def line_panels(df: pd.DataFrame, *, x: str, y: str, hue: str | None, rows: str | None = None,
                cols: str | None = None, styles: dict | None = None, label: Callable[[object], str] = str,
                **facet_options) -> tuple["plt.Figure", list[Panel]]:
    """Facets of ``rows`` × ``cols``, each with one curve per ``hue`` level: the mean of ``y`` against ``x``.

    The band is the 95% interval over the rows that share x, hue and facet.
    ``styles`` maps hue levels to plot keywords (default
    :func:`categorical_styles`); ``label`` names the levels in the legend.
    """
    levels = values(df, hue)
    styles = styles or categorical_styles(levels)
    figure, panels = facets(df, rows, cols, **facet_options)
    for panel in panels:
        for level in levels:
            subset = panel.data if level is None else panel.data[panel.data[hue] == level]
            stats = mean_ci(subset, [x], y)
            if len(stats):
                plot_series(panel.ax, stats, x, label=None if level is None else label(level),
                            **styles.get(level, {}))
    return figure, panels


def category_heatmap(ax, table: pd.DataFrame, colors: dict, text: pd.DataFrame | None = None,
                     legend: bool = True) -> None:
    """Draws ``table`` (cells holding category labels, NaN for none) as coloured cells.

    ``colors`` maps each label to a colour (its order is the legend's);
    ``text`` (same shape) is written into the cells. With ``legend``, each
    label that occurs gets a legend entry.
    """
    labels = list(colors)
    codes = table.apply(lambda column: column.map({label: i for i, label in enumerate(labels)}))
    cmap = matplotlib.colors.ListedColormap([colors[label] for label in labels])
    cmap.set_bad("white")
    ax.imshow(np.ma.masked_invalid(codes.to_numpy(dtype=float)), cmap=cmap, vmin=-0.5,
              vmax=len(labels) - 0.5, aspect="auto", interpolation="nearest")
    column_labels = [format_value(c) for c in table.columns]
    ax.set_xticks(range(table.shape[1]), column_labels, fontsize=8,
                  rotation=90 if max(map(len, column_labels), default=0) > 5 else 0)
    ax.set_yticks(range(table.shape[0]), [format_value(r) for r in table.index], fontsize=8)
    if text is not None:
        for (i, j), value in np.ndenumerate(text.to_numpy(dtype=object)):
            if isinstance(value, str) and value:
                ax.text(j, i, value, ha="center", va="center", fontsize=7)
    occurring = set(table.stack().unique()) if legend else set()
    for label in labels:
        if label in occurring:
            ax.fill_between([], [], color=colors[label], label=label)


# --- finishing ------------------------------------------------------------------------------------------------

def label_panels(panels: Sequence[Panel], xlabel: str, ylabel: str) -> None:
    """Panel titles and grids, and axis labels on the outer panels only."""
    for panel in panels:
        panel.ax.set_title(panel.title, fontsize=8.5)
        if panel.bottom:
            panel.ax.set_xlabel(xlabel)
        if panel.left:
            panel.ax.set_ylabel(ylabel)
        panel.ax.grid(alpha=0.3)


def finish(figure, title: str, caption: str = "", legend_title: str | None = None, ncol: int | None = None,
           order: Sequence[str] = ()) -> None:
    """Adds the title (with the caption of fixed axes below it) and one legend for all panels, at the bottom.

    Legend entries come in the order of ``order``, then as the panels drew them.
    """
    handles: dict[str, object] = {}
    for ax in figure.axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if not label.startswith("_"):
                handles.setdefault(label, handle)
    labels = sorted(handles, key=lambda label: list(order).index(label) if label in order else len(order))
    figure.suptitle(title + (f"\n({caption})" if caption else ""), fontsize=11)
    legend_height = 0.0
    if labels:
        # As many columns as fit the figure's width (an entry: handle, gap and about 0.07 in a character).
        fitting = int(figure.get_figwidth() // (0.7 + 0.07 * max(map(len, labels))))
        ncol = max(1, min(ncol or 6, len(labels), fitting))
        legend_height = 0.15 + 0.22 * math.ceil(len(labels) / ncol) + (0.22 if legend_title else 0.0)
        figure.legend([handles[label] for label in labels], labels, title=legend_title, loc="lower center",
                      ncol=ncol, bbox_to_anchor=(0.5, 0.0), frameon=False, fontsize=9, title_fontsize=9)
    # tight_layout leaves room for the suptitle; the rectangle keeps the legend's strip free.
    figure.tight_layout(rect=(0, legend_height / figure.get_figheight(), 1, 1))
