"""Figures of ``fpre.obedience`` (paper 000: private communication neutralizes fairness; the finite FPRE).

* ``gains_by_grid``: the largest ex-post and interim gains from deviating
  (guessing another agent's password, or misreporting then guessing)
  against the password grid m′, one curve per target SCF, log–log with the
  continuum (grid 0) at the right. The guess gain falls like 1/m′ (η =
  1/m′ unimprovability), so only the continuum is exactly obedient, except
  where μ itself is not BIC and a misreport gains at any m′.
* ``critical_grid_by_gap`` (stores that sweep ``min_share``): the critical
  grid m′_crit (ex post and interim) against the on-path utility gap α, with
  the uniform bound D/α dashed; one panel per number of agents. m′_crit is
  infinite at α = 0 and finite once α > 0, and D/α suffices but is loose.
  The lower row is the largest gain of the coalition {1, 2} from colliding
  (> 0: the FPRE is not coalition-proof, spec §2.9).

Infinite values are drawn as ▲ at the top of a panel. Other swept
parameters are fixed to one value, named in the title.
"""
from __future__ import annotations

import numpy as np

from ._common import (FigureSet, categorical_styles, finish, fix_other_axes, label_panels, mean_ci, missing,
                      named_panels, note, plot_series, values)

EXPERIMENT = "fpre.obedience"
figures = FigureSet(EXPERIMENT)

GAINS = {"max_expost_gain": "largest ex-post gain", "max_interim_gain": "largest interim gain"}


def _grid_label(grid: int) -> str:
    """1, 4, 16, 256, then powers of two as 2^k."""
    exponent = int(grid).bit_length() - 1
    return f"$2^{{{exponent}}}$" if grid > 1000 and grid == 2 ** exponent else f"{grid:g}"


@figures.register("gains_by_grid")
def gains_by_grid(df):
    name = f"{EXPERIMENT}__gains_by_grid"
    gains = [g for g in GAINS if not missing(df, [g], name, "panel")]
    if missing(df, ["grid"], name) or not gains:
        return None
    data, caption = fix_other_axes(df, ["grid", "scf"], prefer={"min_share": 0})
    finite = data[data["grid"] > 0]
    continuum_x = finite["grid"].max() * 16 if len(finite) else 1.0
    data = data.assign(x=np.where(data["grid"] > 0, data["grid"], continuum_x))
    figure, panels = named_panels(data, [GAINS[g] for g in gains], panel_size=(4.0, 3.0), sharey=True)
    styles = categorical_styles(values(data, "scf"))
    floor = 0.5 * data.loc[data["grid"] > 0, gains].replace(0, np.nan).min().min()
    for panel, gain in zip(panels, gains):
        for scf in values(data, "scf"):
            subset = data if scf is None else data[data["scf"] == scf]
            style = styles.get(scf, {})
            plot_series(panel.ax, mean_ci(subset[subset["grid"] > 0], ["x"], gain), "x",
                        label=None if scf is None else str(scf), **style)
            continuum = mean_ci(subset[subset["grid"] == 0], ["x"], gain)
            panel.ax.plot(continuum["x"], continuum["mean"].clip(lower=floor), linestyle="none",
                          marker=style.get("marker", "o"), markerfacecolor="none", color=style.get("color"))
        grid = finite["grid"].sort_values().unique()
        if len(grid):
            panel.ax.plot(grid, 1.0 / grid, color="0.5", linestyle=":", label="1/m′")
        panel.ax.set_xscale("log")
        panel.ax.set_yscale("log")
        panel.ax.set_xticks(list(grid) + [continuum_x], [_grid_label(g) for g in grid] + ["∞"])
        panel.ax.minorticks_off()
    label_panels(panels, "password grid m′", "gain")
    caption = ", ".join(filter(None, [caption, "hollow markers: the continuum (∞); a gain of 0 sits on the floor"]))
    finish(figure, "FPRE: deviation gains against the password grid m′", caption, legend_title="target SCF μ")
    return figure


def _critical_grids(ax, data, styles) -> None:
    """m′_crit ex post (filled) and interim (hollow) per SCF against α; ∞ as ▲ on a top line; D/α dashed."""
    measures = ["m_crit_expost", "m_crit_interim"] + (["d_over_alpha"] if "d_over_alpha" in data else [])
    per_alpha = data.assign(scf=data["scf"] if "scf" in data else None).groupby(["scf", "alpha"], dropna=False)[
        measures].first()
    finite = per_alpha.to_numpy()[np.isfinite(per_alpha.to_numpy())]
    top = 4 * max(finite.max(initial=1.0), 1.0)
    for scf, rows in per_alpha.groupby(level="scf", dropna=False):
        alpha = rows.index.get_level_values("alpha").to_numpy()
        color = styles.get(scf, {}).get("color")
        for measure, fill, linestyle, kind in (("m_crit_expost", "full", "-", "ex post"),
                                               ("m_crit_interim", "none", ":", "interim")):
            y = rows[measure].to_numpy()
            ok = np.isfinite(y)
            ax.plot(alpha[ok], y[ok], color=color, linestyle=linestyle, marker="o", fillstyle=fill,
                    label=f"{scf}: {kind}" if scf is not None else kind)
            ax.plot(alpha[~ok], np.full((~ok).sum(), top), color=color, linestyle="none", marker="^", fillstyle=fill)
        if "d_over_alpha" in rows:
            ax.plot(alpha, rows["d_over_alpha"].to_numpy(), color=color, linestyle="--", linewidth=1)
    ax.axhline(top, color="0.7", linewidth=0.8)
    ax.annotate("∞ (no grid works)", xy=(1, top), xycoords=("axes fraction", "data"), ha="right", va="bottom",
                fontsize=7)
    ax.set_yscale("log")


@figures.register("critical_grid_by_gap")
def critical_grid_by_gap(df):
    name = f"{EXPERIMENT}__critical_grid_by_gap"
    if missing(df, ["min_share", "alpha", "m_crit_expost", "m_crit_interim"], name):
        return None
    if df["min_share"].nunique() < 2:
        note(name, "the store does not sweep 'min_share'; figure skipped")
        return None
    data, caption = fix_other_axes(df, ["min_share", "scf", "agents"], pool=["grid"])
    agents = values(data, "agents")
    titles = [f"m′_crit, n = {n}" for n in agents]
    coalition = "max_coalition_gain" in data and data["max_coalition_gain"].notna().any()
    if coalition:
        titles += [f"largest coalition gain, n = {n}" for n in agents]
    else:
        note(name, "no column max_coalition_gain; coalition row skipped")
    figure, panels = named_panels(data, titles, panel_size=(3.6, 2.8), max_cols=len(agents))
    styles = categorical_styles(values(data, "scf"))
    for column, n in enumerate(agents):
        by_agents = data if n is None else data[data["agents"] == n]
        _critical_grids(panels[column].ax, by_agents, styles)
        if coalition:
            ax = panels[len(agents) + column].ax
            for scf in values(by_agents, "scf"):
                subset = by_agents if scf is None else by_agents[by_agents["scf"] == scf]
                plot_series(ax, mean_ci(subset, ["alpha"], "max_coalition_gain"), "alpha", **styles.get(scf, {}))
            ax.axhline(0, color="0.5", linewidth=0.8)
    panels[0].ax.plot([], [], color="0.3", linestyle="--", label="bound D/α (per SCF colour)")
    label_panels(panels, "utility gap α", "")
    finish(figure, "FPRE: the critical password grid m′_crit against the utility gap α", caption, ncol=3)
    return figure
