"""Figures of ``coalition.patterns`` (paper 001, robust coalitional implementation).

Each task is one random (environment, f) judged under a family of coalition
patterns; the spec's §4.3 aggregates are shares of tasks per cell, drawn
here with Wilson 95% intervals over the tasks a cell pools (replications,
and every axis a figure does not plot).

* ``verdict_shares_by_agents``: the shares of YES / NO / UNKNOWN verdicts
  against the number of agents n, one panel per pattern: robust 𝒮̲
  (Bergemann–Morris, singletons only), 𝒮̲ ∪ {I} (only the grand coalition
  may collude), 𝒮̄ (every coalition) and robust coalitional implementation;
  one row per SCF family. The middle patterns come from the ragged
  ``verdict`` of tasks with the ``named`` pattern family. The paper's point:
  allowing coalitions can make implementation possible (Example 2) or
  impossible (Example 1A), so the verdicts differ by pattern.
* ``implementability_by_agents``: P(EPIC), P(RCIC), P(robust coalitional
  YES) and the spec's "coalition value" (some pattern YES while robust 𝒮̲ is
  NO, Example 2's phenomenon) and "coalition cost" (robust 𝒮̲ YES while some
  pattern's R𝒮IC fails, Example 1A's) against n, one panel per SCF family.
* ``patterns_by_size``: per pattern, P(R𝒮IC), P(R𝒮M | R𝒮IC) and P(robust
  𝒮 YES) against the number of coalitions in the pattern, one curve per n:
  richer patterns make incentive compatibility harder (more coalitions must
  not gain) and monotonicity easier (more coalitions can blow the whistle).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import (FigureSet, categorical_styles, facets, finish, label_panels, missing, named_panels, note,
                      plot_series, present, sequential_styles, share_ci, values)

EXPERIMENT = "coalition.patterns"
figures = FigureSet(EXPERIMENT)

# Verdict codes, in stacking order: YES at the bottom, so its interval sits on its own bar.
VERDICTS = {1: "YES", 0: "NO", 2: "UNKNOWN"}
VERDICT_COLORS = {"YES": "#4c9a55", "NO": "#c8553d", "UNKNOWN": "#b0b0b0"}
# Index of each pattern in the ragged per-pattern columns of the `named` family.
NAMED_PATTERNS = {"singletons + grand coalition": 2, "all coalitions": 1}


def _verdict_columns(df: pd.DataFrame) -> dict[str, pd.Series]:
    """Verdict code per task for each pattern the store can judge (NaN where a task has no such pattern)."""
    columns = {}
    if "verdict_bergemann_morris" in df:
        columns["singletons only (Bergemann–Morris)"] = df["verdict_bergemann_morris"].astype(float)
    if "verdict" in df and "pattern_family" in df:
        named = df["pattern_family"] == "named"
        for label, index in NAMED_PATTERNS.items():
            columns[label] = pd.Series(
                [float(cell[index]) if is_named and cell is not None and len(cell) > index else np.nan
                 for cell, is_named in zip(df["verdict"], named)], index=df.index)
    if "verdict_coalitional" in df:
        columns["robust coalitional"] = df["verdict_coalitional"].astype(float)
    return {label: column for label, column in columns.items() if column.notna().any()}


@figures.register("verdict_shares_by_agents")
def verdict_shares_by_agents(df):
    name = f"{EXPERIMENT}__verdict_shares_by_agents"
    if missing(df, ["agents"], name):
        return None
    verdicts = _verdict_columns(df)
    if not verdicts:
        note(name, "no verdict columns; figure skipped")
        return None
    if "verdict" not in df or "pattern_family" not in df or not (df["pattern_family"] == "named").any():
        note(name, "no tasks with pattern_family 'named': the 'all coalitions' and "
                   "'singletons + grand coalition' panels are skipped")
    rows = "scf_family" if "scf_family" in df and df["scf_family"].nunique() > 1 else None
    long = pd.concat([pd.DataFrame({"agents": df["agents"], "pattern": label, "verdict": column,
                                    **({rows: df[rows]} if rows else {})})
                      for label, column in verdicts.items()]).dropna(subset=["verdict"])
    figure, panels = facets(long, rows, "pattern", col_order=list(verdicts), panel_size=(2.8, 2.3))
    agents = values(long, "agents")
    positions = np.arange(len(agents))
    for panel in panels:
        counts = (panel.data.groupby(["agents", "verdict"]).size().unstack(fill_value=0)
                  .reindex(index=agents, columns=list(VERDICTS), fill_value=0))
        totals = counts.sum(axis=1)
        shares = counts.div(totals.where(totals > 0), axis=0).fillna(0)
        bottom = np.zeros(len(agents))
        for code, label in VERDICTS.items():
            panel.ax.bar(positions, shares[code], bottom=bottom, color=VERDICT_COLORS[label], label=label, width=0.6)
            bottom += shares[code].to_numpy()
        yes = share_ci(panel.data, ["agents"], "verdict", value=1).set_index("agents").reindex(agents)
        panel.ax.errorbar(positions, yes["mean"], yerr=[yes["mean"] - yes["low"], yes["high"] - yes["mean"]],
                          fmt="none", ecolor="black", capsize=3, linewidth=1, label="95% interval of the YES share")
        for position, total in zip(positions, totals):
            panel.ax.text(position, 1.02, str(total), ha="center", va="bottom", fontsize=7)
        panel.ax.set_xticks(positions, [str(a) for a in agents])
        panel.ax.set_ylim(0, 1.12)
    label_panels(panels, "agents n", "share of tasks")
    finish(figure, "Coalition patterns: verdict shares against the number of agents",
           "pooled over every other axis; the numbers above the bars count tasks")
    return figure


# Flags (1 = true; verdict 1 = YES) and their legend labels.
IMPLEMENTABILITY = {
    "epic": "P(EPIC)",
    "rcic": "P(RCIC)",
    "verdict_coalitional": "P(robust coalitional YES)",
    "coalition_value": "coalition value: P(some pattern YES, singletons NO)",
    "coalition_cost": "coalition cost: P(singletons YES, some pattern not IC)",
}


@figures.register("implementability_by_agents")
def implementability_by_agents(df):
    name = f"{EXPERIMENT}__implementability_by_agents"
    if missing(df, ["agents"], name):
        return None
    metrics = present(df, IMPLEMENTABILITY)
    if not metrics:
        note(name, f"none of the columns {', '.join(IMPLEMENTABILITY)}; figure skipped")
        return None
    cols = "scf_family" if "scf_family" in df else None
    figure, panels = facets(df, None, cols, panel_size=(3.3, 2.7))
    styles = categorical_styles(metrics)
    for panel in panels:
        for metric in metrics:
            plot_series(panel.ax, share_ci(panel.data, ["agents"], metric), "agents", label=IMPLEMENTABILITY[metric],
                        **styles[metric])
        panel.ax.set_xticks(values(df, "agents"))
        panel.ax.set_ylim(-0.03, 1.03)
    label_panels(panels, "agents n", "share of tasks")
    finish(figure, "Coalition patterns: incentive compatibility and implementability against n (spec §4.3)",
           "Wilson 95% intervals; pooled over every other axis", ncol=3)
    return figure


def _per_pattern(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (task, pattern): agents, pattern size and the pattern's rsic, rsm and verdict."""
    done = df[df["pattern_size"].notna()]
    lengths = done["pattern_size"].map(len).to_numpy()
    flat = {column: np.concatenate(done[column].to_list()) if len(done) else np.array([])
            for column in ("pattern_size", "rsic", "rsm", "verdict")}
    return pd.DataFrame({"agents": np.repeat(done["agents"].to_numpy(), lengths), **flat})


@figures.register("patterns_by_size")
def patterns_by_size(df):
    name = f"{EXPERIMENT}__patterns_by_size"
    if missing(df, ["agents", "pattern_size", "rsic", "rsm", "verdict"], name):
        return None
    patterns = _per_pattern(df)
    if patterns.empty:
        note(name, "no task judged any pattern; figure skipped")
        return None
    shown = [(r"P(R$\mathcal{S}$IC)", patterns, "rsic"),
             (r"P(R$\mathcal{S}$M | R$\mathcal{S}$IC)", patterns[patterns["rsic"] == 1], "rsm"),
             (r"P(robust $\mathcal{S}$-implementation YES)", patterns, "verdict")]
    figure, panels = named_panels(patterns, [title for title, _, _ in shown], panel_size=(3.3, 2.7), sharey=True)
    styles = sequential_styles(values(patterns, "agents"))
    for panel, (_, data, column) in zip(panels, shown):
        for n in values(data, "agents"):
            stats = share_ci(data[data["agents"] == n], ["pattern_size"], column, 1)
            plot_series(panel.ax, stats, "pattern_size", label=f"n = {n}", **styles[n])
        panel.ax.set_ylim(-0.03, 1.03)
    label_panels(panels, "coalitions in the pattern (singletons included)", "share of patterns")
    finish(figure, "Coalition patterns: richer patterns against incentive compatibility and monotonicity",
           f"{len(patterns)} (task, pattern) pairs from {df.shape[0]} tasks; Wilson 95% intervals")
    return figure
