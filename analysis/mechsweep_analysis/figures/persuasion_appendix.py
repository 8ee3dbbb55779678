"""Figures of ``persuasion.appendix`` (paper 004, Appendices A–C).

* ``appendix_a``: Appendix A's market (n + 1 agents, select one): the
  designed HIGH/LOW signal's max-min utility against no revelation and full
  revelation, and its gain over no revelation (the ``ratio`` column) against
  n, with the paper's order √n. The gain grows like √n (≈ 0.32·√n here:
  Θ(√n) in utility units) while full revelation starves agent 0.
* ``appendix_b``: Appendix B's β* against n with the paper's lower bound
  n/(1 + n²/M): β* grows linearly, just below n.
* ``appendix_c``: C1's best α against the number of groups, and C2's
  saturation check (gap, vertex cut off, new vertices inside) as text.

A figure is skipped, with a note, when the store holds no task of its
appendix.
"""
from __future__ import annotations

import numpy as np

from ._common import (FigureSet, categorical_styles, finish, label_panels, mean_ci, missing, named_panels, note,
                      plot_series, present)

EXPERIMENT = "persuasion.appendix"
figures = FigureSet(EXPERIMENT)

POLICIES = {"nr": "no revelation", "fr": "full revelation", "designed": "designed HIGH/LOW signal"}
STYLES = categorical_styles(list(POLICIES))


def _appendix(df, appendix: str, name: str):
    """The tasks of ``appendix``, or None (after a note) when there are none."""
    if missing(df, ["appendix", "n"], name):
        return None
    data = df[df["appendix"] == appendix]
    if data.empty:
        note(name, f"no tasks of appendix {appendix}; figure skipped")
        return None
    return data


@figures.register("appendix_a")
def appendix_a(df):
    name = f"{EXPERIMENT}__appendix_a"
    data = _appendix(df, "a", name)
    if data is None:
        return None
    policies = [p for p in POLICIES if len(present(data, [f"{p}_agent0", f"{p}_other"])) == 2]
    if not policies:
        note(name, "no per-policy utility columns (<policy>_agent0, <policy>_other); figure skipped")
        return None
    data = data.assign(**{f"{p}_maxmin": np.minimum(data[f"{p}_agent0"], data[f"{p}_other"]) for p in policies})
    welfare = [p for p in policies if present(data, [f"{p}_welfare"])]
    gain = bool(present(data, ["ratio"]))
    titles = ["max-min utility"] + (["welfare Σ U"] if welfare else []) + (
        ["gain of the designed signal over NR"] if gain else [])
    figure, panels = named_panels(data, titles, panel_size=(3.4, 2.8))
    by_title = {panel.title: panel.ax for panel in panels}
    for policy in policies:
        plot_series(by_title["max-min utility"], mean_ci(data, ["n"], f"{policy}_maxmin"), "n",
                    label=POLICIES[policy], **STYLES[policy])
        if policy in welfare:
            plot_series(by_title["welfare Σ U"], mean_ci(data, ["n"], f"{policy}_welfare"), "n", **STYLES[policy])
    if gain:
        ax = by_title["gain of the designed signal over NR"]
        plot_series(ax, mean_ci(data, ["n"], "ratio"), "n", label="measured gain", color="black")
        largest = data.loc[data["n"].idxmax()]
        slope = largest["ratio"] / np.sqrt(largest["n"])
        n = np.sort(data["n"].unique()).astype(float)
        ax.plot(n, slope * np.sqrt(n), color="0.5", linestyle="--", label=f"{slope:.2f}·√n (through the largest n)")
    for panel in panels:
        panel.ax.set_xscale("log")
        panel.ax.set_yscale("log")
    label_panels(panels, "n", "")
    finish(figure, "Appendix A: the designed HIGH/LOW signal against no and full revelation")
    return figure


@figures.register("appendix_b")
def appendix_b(df):
    name = f"{EXPERIMENT}__appendix_b"
    data = _appendix(df, "b", name)
    if data is None or missing(data, ["ratio"], name):
        return None
    figure, panels = named_panels(data, ["β* against n"], panel_size=(4.6, 3.4))
    ax = panels[0].ax
    plot_series(ax, mean_ci(data, ["n"], "ratio"), "n", label="β* (measured)", color="black")
    if "paper_bound" in data:
        plot_series(ax, mean_ci(data, ["n"], "paper_bound"), "n", label="paper's bound n/(1 + n²/M)",
                    color="#c8553d", linestyle="--")
    n = np.sort(data["n"].unique()).astype(float)
    ax.plot(n, n, color="0.5", linestyle=":", label="β* = n")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    label_panels(panels, "n", "β*")
    finish(figure, "Appendix B: β* against n, with the paper's lower bound")
    return figure


@figures.register("appendix_c")
def appendix_c(df):
    name = f"{EXPERIMENT}__appendix_c"
    if missing(df, ["appendix", "ratio"], name):
        return None
    c1, c2 = df[df["appendix"] == "c1"], df[df["appendix"] == "c2"]
    if c1.empty and c2.empty:
        note(name, "no tasks of appendix c1 or c2; figure skipped")
        return None
    titles = (["C1: best α against the number of groups"] if len(c1) else []) + (
        ["C2: saturation check"] if len(c2) else [])
    figure, panels = named_panels(df, titles, panel_size=(4.0, 3.0), sharex=False)
    if len(c1):
        plot_series(panels[0].ax, mean_ci(c1, ["n"], "ratio"), "n", color="black")
        panels[0].ax.set_xticks(sorted(c1["n"].unique()))
        label_panels(panels[:1], "groups n", "best α")
    if len(c2):
        ax = panels[-1].ax
        row = c2.iloc[0]
        lines = [f"max |saturation − g| = {row['ratio']:.3g}"]
        for column, text in (("certified", "vertices of B(g) are the permutations of (1, 0.9, 0.6)"),
                             ("vertex_cut_off", "the cut removes the vertex (1, 0.6, 0.9)"),
                             ("new_vertices_inside", "the new vertices lie inside")):
            if column in c2:
                lines.append(f"{'yes' if row[column] == 1 else 'no '}  {text}")
        ax.text(0.02, 0.5, "\n".join(lines), transform=ax.transAxes, va="center", fontsize=8, family="monospace")
        ax.set_axis_off()
        ax.set_title(titles[-1], fontsize=9)
    finish(figure, "Appendix C: the grouped example C1 and the saturation check C2")
    return figure
