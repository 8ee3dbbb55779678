"""Figures of ``testdesign.optimal`` (paper 003: the best tests of every procedure, and the winner).

Each task optimises all five procedures at one (θ, η, setting, objective,
q); the procedures are columns (``objective_<procedure>``, ``met_<procedure>``).

* ``p1_by_angle``: under objective P_I (maximise the qualified mass
  selected, selecting no unqualified agent), each procedure's optimal value
  as a share of the first best against θ, with Theorem 2's cheap-talk menu
  (manipulation) dashed; one panel per (setting, η). Theorem 1: under
  manipulation the fixed orders beat simultaneous testing below 90°, and the
  menu reaches the first best; under investment simultaneous testing with
  the criteria reaches it (Props 2, 11).
* ``p2_by_angle``: under objective P_II (select every qualified agent,
  minimise the unqualified mass selected), each procedure's optimal
  unqualified mass against θ (Section 6.3; Lemma 15's design selects all of
  H).
* ``winner_map``: which procedure wins at each (θ, η), one panel per
  (setting, objective); procedures within 10⁻⁴ of the first best of the
  winner count as tied and the cell names all of them (fixed A→B and B→A
  tie on symmetric type distributions; every procedure ties from 90° on
  under manipulation).

Other swept parameters (q, the type distribution) are fixed to one value,
named in the title.
"""
from __future__ import annotations

import pandas as pd

from ._common import (FigureSet, categorical_styles, category_heatmap, distinct_colors, facets, finish, fix_other_axes,
                      label_panels, mean_ci, missing, note, plot_series, present)

EXPERIMENT = "testdesign.optimal"
figures = FigureSet(EXPERIMENT)

PROCEDURES = ("simultaneous", "fixed_ab", "fixed_ba", "random_undisclosed", "random_disclosed")
SHORT = {"simultaneous": "sim", "fixed_ab": "A→B", "fixed_ba": "B→A", "random_undisclosed": "rand-ND",
         "random_disclosed": "rand-DI"}
STYLES = categorical_styles(PROCEDURES)
ANGLE_LABEL = "wedge angle θ (degrees)"
CRITICAL_ANGLES = (30, 45, 60, 90)
PREFER = {"q": 0.5}
#: Objectives within this share of the first best of the best one are ties.
TIE_TOLERANCE = 1e-4


def _objective_rows(df, objective: str, name: str):
    """The rows of ``objective`` with other axes fixed, their caption and the procedures with columns (or None)."""
    if missing(df, ["angle_deg"], name):
        return None
    data = df[df["objective"] == objective] if "objective" in df else df
    if data.empty:
        note(name, f"the store has no task with objective {objective}; figure skipped")
        return None
    procedures = [p for p in PROCEDURES if present(data, [f"objective_{p}"])]
    if not procedures:
        note(name, "no objective_<procedure> columns; figure skipped")
        return None
    data, caption = fix_other_axes(data, ["angle_deg", "cost_scale", "setting"], prefer=PREFER)
    return data, caption, procedures


def _by_angle(data, procedures, column_of, ylabel):
    """Panels per (setting, η) with one curve per procedure of ``column_of(frame, procedure)`` against θ."""
    figure, panels = facets(data, "setting", "cost_scale", panel_size=(3.0, 2.5))
    for panel in panels:
        for procedure in procedures:
            frame = panel.data.assign(y=column_of(panel.data, procedure))
            if "met_" + procedure in frame:
                frame = frame[frame["met_" + procedure] == 1]
            plot_series(panel.ax, mean_ci(frame, ["angle_deg"], "y"), "angle_deg", label=procedure,
                        **STYLES[procedure])
        for angle in CRITICAL_ANGLES:
            panel.ax.axvline(angle, color="0.6", linewidth=0.7, linestyle=":", zorder=0)
    label_panels(panels, ANGLE_LABEL, ylabel)
    return figure, panels


@figures.register("p1_by_angle")
def p1_by_angle(df):
    name = f"{EXPERIMENT}__p1_by_angle"
    selected = _objective_rows(df, "p1", name)
    if selected is None or missing(df, ["first_best"], name):
        return None
    data, caption, procedures = selected
    figure, panels = _by_angle(data, procedures, lambda frame, p: frame[f"objective_{p}"] / frame["first_best"],
                               "optimal value / first best")
    if present(data, ["menu_value"]):
        for panel in panels:
            stats = mean_ci(panel.data.assign(y=panel.data["menu_value"] / panel.data["first_best"]),
                            ["angle_deg"], "y")
            if len(stats):
                plot_series(panel.ax, stats, "angle_deg", label="Theorem 2's cheap-talk menu", color="black",
                            linestyle="--", marker="none")
    finish(figure, "Optimal tests (P_I): each procedure's best value against θ (constraint met only)", caption,
           legend_title="procedure", order=PROCEDURES)
    return figure


@figures.register("p2_by_angle")
def p2_by_angle(df):
    name = f"{EXPERIMENT}__p2_by_angle"
    selected = _objective_rows(df, "p2", name)
    if selected is None:
        return None
    data, caption, procedures = selected
    figure, panels = _by_angle(data, procedures, lambda frame, p: frame[f"objective_{p}"],
                               "unqualified mass selected")
    for panel in panels:
        panel.ax.set_yscale("symlog", linthresh=1e-4)
        panel.ax.set_ylim(bottom=0)
    finish(figure, "Optimal tests (P_II): each procedure's least unqualified mass against θ (constraint met only)",
           caption, legend_title="procedure", order=PROCEDURES)
    return figure


def _winners(frame: pd.DataFrame, procedures, maximise: bool) -> pd.Series:
    """Per row, the procedures whose objective (constraint met) is within the tie tolerance of the best."""
    objectives = pd.DataFrame({p: frame[f"objective_{p}"].where(frame.get(f"met_{p}", 1) == 1) for p in procedures})
    best = objectives.max(axis=1) if maximise else objectives.min(axis=1)
    tolerance = TIE_TOLERANCE * frame["first_best"] if "first_best" in frame else TIE_TOLERANCE
    ties = objectives.sub(best, axis=0).abs().le(tolerance, axis=0)
    labels = ties.apply(lambda row: " = ".join(SHORT[p] for p in procedures if row[p]), axis=1)
    return labels.where(best.notna(), "none meets its constraint")


@figures.register("winner_map")
def winner_map(df):
    name = f"{EXPERIMENT}__winner_map"
    if missing(df, ["angle_deg", "cost_scale"], name):
        return None
    procedures = [p for p in PROCEDURES if present(df, [f"objective_{p}"])]
    if not procedures:
        note(name, "no objective_<procedure> columns; figure skipped")
        return None
    data, caption = fix_other_axes(df, ["angle_deg", "cost_scale", "setting", "objective"], prefer=PREFER)
    if "objective" not in data:
        data = data.assign(objective="p1")
    data = data.assign(winners=pd.concat([_winners(group, procedures, maximise=objective != "p2")
                                          for objective, group in data.groupby("objective")]))
    labels = sorted(data["winners"].unique(), key=lambda label: (label.count("="), label))
    colors = dict(zip(labels, distinct_colors(len(labels))))
    figure, panels = facets(data, "objective", "setting", panel_size=(4.6, 2.6), sharex=False, sharey=False)
    for panel in panels:
        table = panel.data.pivot_table(index="cost_scale", columns="angle_deg", values="winners", aggfunc="first")
        category_heatmap(panel.ax, table, colors)
        panel.ax.invert_yaxis()
    label_panels(panels, ANGLE_LABEL, "cost scale η")
    for panel in panels:
        panel.ax.grid(False)
    finish(figure, "Optimal tests: the winning procedure at each (θ, η) (ties named together)", caption, ncol=3,
           order=labels)
    return figure

