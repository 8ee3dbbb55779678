"""Figures of ``delegation.market`` (paper 002, OSP multi-dimensional allocation).

Costs are the designer's expected costs (lower is better). The paper has no
numbers of its own (spec 002 §3); these figures show its comparisons on the
swept markets.

* ``costs_by_agents``: expected cost against the number of agents J for the
  status quo V_SQ, the best allocation without choice V_ND(β), the EOPR
  mechanism with the configured menus V_EOPR, the complete-information bound
  V_CI, the large-market optimum V_LM and the first best V_FB; one panel per
  (slack β, π spread). Choice never costs more than the status quo (EOPR ≤
  SQ), β = 1 gives V_ND = V_SQ (Corollary 1), and with slack β > 1 the best
  non-choice allocation can beat the menus.
* ``value_of_choice_by_agents``: the share of the first-best gain that EOPR
  and the large-market optimum capture, (V_SQ − V_X)/(V_SQ − V_FB), and the
  value of choice over the best non-choice allocation V_ND − V_EOPR, against
  J, one curve per π spread (Theorem 1: with heterogeneous performance
  choice has value; spread 0 is the null case, where the shares are
  undefined).
* ``replica_convergence`` (stores that sweep ``replicas``): Proposition 3,
  the per-capita cost of the N-replica economy against N, falling to the
  menus' large-market value; the gap times √N levels off (for the base
  instance B2 at 1/√π).

Tasks that share the plotted axes are averaged (mean and 95% band); other
swept parameters are fixed to one value, named in the title.
"""
from __future__ import annotations

import numpy as np

from ._common import (FigureSet, categorical_styles, facets, finish, fix_other_axes, label_panels,
                      mean_ci, missing, named_panels, note, plot_series, present, sequential_styles, values)

EXPERIMENT = "delegation.market"
figures = FigureSet(EXPERIMENT)

BENCHMARKS = {
    "v_sq": "status quo V_SQ",
    "v_nd": "no choice V_ND(β)",
    "v_eopr": "EOPR (menus) V_EOPR",
    "v_ci": "complete information V_CI",
    "v_lm": "large market V_LM",
    "v_fb": "first best V_FB",
}
PREFER = {"box_width": 1.0, "slack": 1.0, "tasks": 2, "replicas": 1}


@figures.register("costs_by_agents")
def costs_by_agents(df):
    name = f"{EXPERIMENT}__costs_by_agents"
    if missing(df, ["agents"], name):
        return None
    benchmarks = present(df, BENCHMARKS)
    if not benchmarks:
        note(name, "no benchmark columns; figure skipped")
        return None
    if len(benchmarks) < len(BENCHMARKS):
        note(name, f"no values for {', '.join(sorted(set(BENCHMARKS) - set(benchmarks)))}; those curves skipped")
    data, caption = fix_other_axes(df, ["agents", "slack", "cost_spread"], prefer=PREFER)
    styles = categorical_styles(list(BENCHMARKS))
    figure, panels = facets(data, "slack", "cost_spread", panel_size=(3.0, 2.5))
    for panel in panels:
        for column in benchmarks:
            plot_series(panel.ax, mean_ci(panel.data, ["agents"], column), "agents", label=BENCHMARKS[column],
                        **styles[column])
        panel.ax.set_xticks(values(data, "agents"))
    label_panels(panels, "agents J", "expected cost")
    finish(figure, "Delegation: the designer's expected cost against market size (lower is better)", caption, ncol=3)
    return figure


VALUE_OF_CHOICE = {
    "fb_share_eopr": "EOPR: share of the first-best gain",
    "fb_share_lm": "large market: share of the first-best gain",
    "gain_eopr_vs_nd": "V_ND − V_EOPR (value over no choice)",
}


@figures.register("value_of_choice_by_agents")
def value_of_choice_by_agents(df):
    name = f"{EXPERIMENT}__value_of_choice_by_agents"
    if missing(df, ["agents"], name):
        return None
    metrics = present(df, VALUE_OF_CHOICE)
    if not metrics:
        note(name, "no value-of-choice columns (or every one undefined, as with π spread 0); figure skipped")
        return None
    data, caption = fix_other_axes(df, ["agents", "cost_spread"], prefer={**PREFER, "slack": 1.2})
    figure, panels = named_panels(data, [VALUE_OF_CHOICE[m] for m in metrics], panel_size=(3.4, 2.7))
    spreads = values(data, "cost_spread")
    styles = sequential_styles(spreads)
    label = {spread: None if spread is None else f"π spread {spread:.3g}" for spread in spreads}
    for panel, metric in zip(panels, metrics):
        for spread in spreads:
            subset = data if spread is None else data[data["cost_spread"] == spread]
            stats = mean_ci(subset, ["agents"], metric)
            if len(stats):
                plot_series(panel.ax, stats, "agents", label=label[spread], **styles.get(spread, {}))
        panel.ax.axhline(0, color="0.5", linewidth=0.8)
        panel.ax.set_xticks(values(data, "agents"))
    label_panels(panels, "agents J", "")
    finish(figure, "Delegation: the value of choice against market size", caption,
           order=[label[spread] for spread in spreads])
    return figure


@figures.register("replica_convergence")
def replica_convergence(df):
    name = f"{EXPERIMENT}__replica_convergence"
    if missing(df, ["replicas", "v_replica", "v_lm_menus"], name):
        return None
    if df["replicas"].nunique() < 2:
        note(name, "the store does not sweep 'replicas'; figure skipped")
        return None
    data, caption = fix_other_axes(df, ["replicas", "agents"], prefer=PREFER)
    data = data.assign(scaled_gap=(data["v_replica"] - data["v_lm_menus"]) * np.sqrt(data["replicas"]))
    figure, panels = named_panels(data, ["per-capita cost (1/N) E[V(N)]", "gap × √N"], panel_size=(4.0, 3.0))
    styles = sequential_styles(values(data, "agents"))
    for agents in values(data, "agents"):
        subset = data if agents is None else data[data["agents"] == agents]
        style = styles.get(agents, {})
        label = None if agents is None else f"J = {agents}"
        plot_series(panels[0].ax, mean_ci(subset, ["replicas"], "v_replica"), "replicas", label=label, **style)
        limit = subset["v_lm_menus"].mean()
        panels[0].ax.axhline(limit, linestyle="--", linewidth=1, color=style.get("color", "0.3"))
        plot_series(panels[1].ax, mean_ci(subset, ["replicas"], "scaled_gap"), "replicas", label=label, **style)
    panels[0].ax.plot([], [], linestyle="--", color="0.3", label="menus' large-market value (N → ∞)")
    panels[1].ax.axhline(1 / np.sqrt(np.pi), color="0.3", linestyle=":", label="1/√π (base instance B2)")
    for panel in panels:
        panel.ax.set_xscale("log", base=2)
    label_panels(panels, "replicas N", "")
    finish(figure, "Delegation: replica economies against the menus' large-market value (Proposition 3)",
           caption)
    return figure
