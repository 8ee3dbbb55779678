"""Figures of ``fpre.continuity`` (paper 000, Proposition 3: continuous rules are only η-unimprovable).

* ``eta_by_band``: the paper's bound η̄ = 1 − [1 − max{6z, 1/ℓ}]^n (solid)
  and the exact probability that some agent's guess escapes when all guess
  (dashed; Monte Carlo as hollow circles) against the band bound z, one
  colour per number of width levels ℓ, one panel per n. The exact escape
  stays below the bound everywhere (``bound_violated`` = 0), and the bound
  is flat in z once 1/ℓ dominates 6z.
* ``monte_carlo_check``: every Monte Carlo escape and improvement
  probability against its exact value (on the diagonal within sampling
  error), and the distribution of the largest |z-score| per row.
* ``solved_band`` (stores with ``target_eta`` > 0): the (z, ℓ) the solver
  picks to reach the target η, and the resulting Lipschitz constant, against
  n: a smaller η needs a narrower band and a steeper rule.

Other swept parameters are fixed to one value, named in the title.
"""
from __future__ import annotations

import numpy as np

from ._common import (FigureSet, categorical_styles, facets, finish, fix_other_axes, label_panels, mean_ci, missing,
                      named_panels, note, plot_series, present, sequential_styles, values)

EXPERIMENT = "fpre.continuity"
figures = FigureSet(EXPERIMENT)


@figures.register("eta_by_band")
def eta_by_band(df):
    name = f"{EXPERIMENT}__eta_by_band"
    if missing(df, ["z", "eta_bound_paper"], name):
        return None
    data, caption = fix_other_axes(df, ["z", "ell", "n"])
    styles = sequential_styles(values(data, "ell"))
    figure, panels = facets(data, None, "n", panel_size=(3.4, 2.8))
    exact = present(data, ["escape_joint_exact"])
    if not exact:
        note(name, "no column escape_joint_exact; exact curves skipped")
    for panel in panels:
        for ell in values(panel.data, "ell"):
            subset = panel.data if ell is None else panel.data[panel.data["ell"] == ell]
            style = styles.get(ell, {})
            plot_series(panel.ax, mean_ci(subset, ["z"], "eta_bound_paper"), "z",
                        label=None if ell is None else f"ℓ = {ell}", **style)
            if exact:
                plot_series(panel.ax, mean_ci(subset, ["z"], "escape_joint_exact"), "z", linestyle="--",
                            marker="none", color=style.get("color"))
            if "escape_joint_mc" in subset:
                mc = mean_ci(subset, ["z"], "escape_joint_mc")
                panel.ax.plot(mc["z"], mc["mean"], linestyle="none", marker="o", fillstyle="none",
                              color=style.get("color"))
        panel.ax.set_xscale("log")
        panel.ax.set_yscale("log")
    panels[0].ax.plot([], [], color="0.3", label="paper bound η̄ (solid)")
    panels[0].ax.plot([], [], color="0.3", linestyle="--", label="exact escape, all guess (dashed)")
    panels[0].ax.plot([], [], color="0.3", linestyle="none", marker="o", fillstyle="none", label="Monte Carlo")
    label_panels(panels, "band bound z", "probability")
    finish(figure, "Proposition 3: the paper's bound η̄ against the exact escape probability", caption, ncol=4)
    return figure


MONTE_CARLO = {
    "escape different-index guess": ("escape_different_exact", "escape_different_mc"),
    "escape same-index deviation": ("escape_same_exact", "escape_same_mc"),
    "escape, all agents guess": ("escape_joint_exact", "escape_joint_mc"),
    "strict improvement": ("improvement_exact", "improvement_mc"),
}


@figures.register("monte_carlo_check")
def monte_carlo_check(df):
    name = f"{EXPERIMENT}__monte_carlo_check"
    pairs = {label: pair for label, pair in MONTE_CARLO.items() if len(present(df, pair)) == 2}
    z_scores = present(df, ["max_z_score"])
    if not pairs and not z_scores:
        note(name, "no Monte Carlo columns; figure skipped")
        return None
    titles = (["Monte Carlo against exact (log scales; zeros not shown)"] if pairs else []) + (
        ["largest |z| per row"] if z_scores else [])
    figure, panels = named_panels(df, titles, panel_size=(3.8, 3.2), sharex=False)
    if pairs:
        ax = panels[0].ax
        styles = categorical_styles(list(pairs))
        for label, (exact, mc) in pairs.items():
            ax.plot(df[exact], df[mc], linestyle="none", marker=styles[label]["marker"], color=styles[label]["color"],
                    markersize=4, alpha=0.8, label=label)
        low = max(np.nanmin(df[[exact for exact, _ in pairs.values()]].to_numpy()), 1e-6)
        ax.plot([low, 1], [low, 1], color="0.5", linewidth=0.8, label="Monte Carlo = exact")
        ax.set_xscale("log")
        ax.set_yscale("log")
        label_panels(panels[:1], "exact probability", "Monte Carlo estimate")
    if z_scores:
        ax = panels[-1].ax
        ax.hist(df["max_z_score"].dropna(), bins=20, color="#4c72b0")
        ax.axvline(3.2, color="#c8553d", linestyle="--", label="3.2 standard errors")
        label_panels(panels[-1:], "max |Monte Carlo − exact| / standard error", "rows")
    finish(figure, "Proposition 3: Monte Carlo estimates against the exact probabilities", ncol=3)
    return figure


@figures.register("solved_band")
def solved_band(df):
    name = f"{EXPERIMENT}__solved_band"
    if missing(df, ["n", "solved_z", "solved_ell"], name):
        return None
    # The solved (z, ℓ) does not depend on the row's own z and ℓ: pool them.
    data, caption = fix_other_axes(df[df["solved_ell"] > 0], ["n", "target_eta"], pool=["z", "ell"])
    if data.empty:
        note(name, "no task solved for a target η (target_eta = 0); figure skipped")
        return None
    metrics = {"solved_z": "band bound z", "solved_ell": "width levels ℓ", "solved_lipschitz": "Lipschitz bound"}
    shown = present(data, metrics)
    figure, panels = named_panels(data, [metrics[m] for m in shown], panel_size=(3.2, 2.7))
    styles = sequential_styles(values(data, "target_eta"))
    for panel, metric in zip(panels, shown):
        for target in values(data, "target_eta"):
            subset = data if target is None else data[data["target_eta"] == target]
            plot_series(panel.ax, mean_ci(subset, ["n"], metric), "n",
                        label=None if target is None else f"target η = {target:g}", **styles.get(target, {}))
        panel.ax.set_yscale("log")
    label_panels(panels, "agents n", "")
    finish(figure, "Proposition 3: the (z, ℓ) that reach the target η, against n", caption)
    return figure
