"""Figures of ``persuasion.market`` (paper 004, fair persuasion under polymatroid constraints).

Policies: no revelation (NR), full revelation with uniform tie-breaking
(FR uniform), the 1-majorized full-revelation point U* (FR U*), and Section
4's randomised single-mean policy for a bucketed receiver (RSM, true
utilities). Fairness is majorization: the ratio α̂ = max_j UB_j / Q_j(U)
compares the sum Q_j of the j smallest utilities with the upper bound UB_j
(1 is perfectly fair; lower is better).

* ``ratio_by_agents``: α̂ of each policy against the number of agents n,
  one panel per (value distribution, constraint). U* is never worse than
  uniform ties (it majorizes every FR point) and equals 1 for identical
  agents under uniform matroids; no revelation's ratio grows with n and is
  infinite when some agent gets nothing (those rows are left out, noted in
  the title).
* ``prefix_sums``: for the largest market, the prefix sums Q_j(U) of each
  policy as a share of UB_j against j, one panel per constraint — the
  majorization itself: U*'s curve lies on or above uniform ties'.
* ``bucket_ratio`` (stores that sweep ``value_scale`` or ``epsilon``): the RSM
  policy's measured ratio against Theorem 4.9's bound (1+ε)K as the value
  scale V grows, one colour per bucket width ε: the measured ratio stays far
  below K (spec §4.4 experiment 2).

Tasks that share the plotted axes are averaged (mean and 95% band); other
swept parameters are fixed to one value, named in the title.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ._common import (FigureSet, categorical_styles, facets, finish, fix_other_axes, label_panels, mean_ci, missing,
                      note, plot_series, present, sequential_styles, values)

EXPERIMENT = "persuasion.market"
figures = FigureSet(EXPERIMENT)

POLICIES = {"nr": "no revelation", "fr_uniform": "FR, uniform ties", "fr_star": "FR, 1-majorized U*",
            "sm": "RSM (bucketed receiver)"}
STYLES = categorical_styles(list(POLICIES))


@figures.register("ratio_by_agents")
def ratio_by_agents(df):
    name = f"{EXPERIMENT}__ratio_by_agents"
    if missing(df, ["agents"], name):
        return None
    policies = [p for p in POLICIES if present(df, [f"{p}_ratio_upper"])]
    if not policies:
        note(name, "no <policy>_ratio_upper columns; figure skipped")
        return None
    data, caption = fix_other_axes(df, ["agents", "distribution", "constraint"])
    infinite = {p: int(np.isinf(data[f"{p}_ratio_upper"]).sum()) for p in policies}
    dropped = [f"{POLICIES[p]} ∞ in {n} rows" for p, n in infinite.items() if n]
    rows = "distribution" if "distribution" in data and data["distribution"].nunique() > 1 else None
    figure, panels = facets(data, rows, "constraint", panel_size=(2.8, 2.3))
    for panel in panels:
        for policy in policies:
            stats = mean_ci(panel.data, ["agents"], f"{policy}_ratio_upper")
            if len(stats):
                plot_series(panel.ax, stats, "agents", label=POLICIES[policy], **STYLES[policy])
        panel.ax.set_yscale("log")
        panel.ax.axhline(1, color="0.5", linewidth=0.8)
    label_panels(panels, "agents n", "α̂ = max_j UB_j / Q_j")
    finish(figure, "Fair persuasion: majorization ratio of each policy against market size (1 = fair)",
           "; ".join(filter(None, [caption, ", ".join(dropped) + (" (not drawn)" if dropped else "")])),
           legend_title="policy", order=list(POLICIES.values()))
    return figure


PREFIXES = {"nr": "q_nr", "fr_uniform": "q_fr_uniform", "fr_star": "q_fr_star", "sm": "q_sm_true"}


@figures.register("prefix_sums")
def prefix_sums(df):
    name = f"{EXPERIMENT}__prefix_sums"
    if missing(df, ["agents", "ub_prefix"], name):
        return None
    policies = [p for p in PREFIXES if present(df, [PREFIXES[p]])]
    if not policies:
        note(name, f"no ragged prefix-sum columns ({', '.join(PREFIXES.values())}); figure skipped")
        return None
    prefer = {"agents": df["agents"].max(), "distribution": "random_two_point"}
    data, caption = fix_other_axes(df, ["constraint"], prefer=prefer)
    rows = []
    for task, row in data.iterrows():
        bound = row["ub_prefix"]
        for policy in policies:
            prefix = row[PREFIXES[policy]]
            if prefix is None or bound is None or len(prefix) != len(bound):
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(bound > 0, prefix / bound, np.nan)
            rows.append(pd.DataFrame({"task": task, "constraint": row.get("constraint"), "policy": policy,
                                      "j": np.arange(1, len(bound) + 1), "share": share}))
    if not rows:
        note(name, "no task has prefix sums; figure skipped")
        return None
    long = pd.concat(rows, ignore_index=True)
    figure, panels = facets(long, None, "constraint" if "constraint" in data else None, panel_size=(3.0, 2.6))
    for panel in panels:
        for policy in policies:
            stats = mean_ci(panel.data[panel.data["policy"] == policy], ["j"], "share")
            if len(stats):
                plot_series(panel.ax, stats, "j", label=POLICIES[policy], **STYLES[policy])
        panel.ax.set_ylim(0, 1.05)
        panel.ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    label_panels(panels, "j (the j poorest agents)", "Q_j(U) / UB_j")
    finish(figure, "Fair persuasion: prefix sums of the j smallest utilities as a share of the bound UB_j",
           caption, legend_title="policy", order=list(POLICIES.values()))
    return figure


@figures.register("bucket_ratio")
def bucket_ratio(df):
    name = f"{EXPERIMENT}__bucket_ratio"
    if missing(df, ["value_scale", "epsilon", "sm_ratio_upper", "bound_true"], name):
        return None
    if df["value_scale"].nunique() < 2:
        note(name, "the store does not sweep 'value_scale'; figure skipped")
        return None
    data, caption = fix_other_axes(df[df["epsilon"] > 0], ["value_scale", "epsilon"])
    if data.empty:
        note(name, "every task has ε = 0 (Section 4 skipped); figure skipped")
        return None
    styles = sequential_styles(values(data, "epsilon"))
    figure, panels = facets(data, None, None, panel_size=(5.0, 3.6))
    ax = panels[0].ax
    for epsilon in values(data, "epsilon"):
        subset = data[data["epsilon"] == epsilon]
        style = styles.get(epsilon, {})
        plot_series(ax, mean_ci(subset, ["value_scale"], "sm_ratio_upper"), "value_scale", label=f"ε = {epsilon:g}",
                    **style)
        bound = mean_ci(subset, ["value_scale"], "bound_true")
        ax.plot(bound["value_scale"], bound["mean"], linestyle="--", color=style.get("color"))
    ax.plot([], [], color="0.3", label="measured RSM ratio α̂ (solid)")
    ax.plot([], [], color="0.3", linestyle="--", label="Theorem 4.9 bound (1+ε)K (dashed)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    label_panels(panels, "value scale V", "ratio")
    finish(figure, "Fair persuasion: the bucketed receiver's measured ratio against the bound (1+ε)K", caption,
           ncol=3)
    return figure
