"""Figures of ``testdesign.evaluate`` (paper 003, multi-dimensional test design).

* ``value_by_angle``: the principal's value P(select a qualified agent) of
  each procedure against the wedge angle θ, one curve per cost scale η, with
  the first best dotted; rows are the settings. Under investment the
  simultaneous procedure with the criteria reaches the first best (Props 2,
  11); under manipulation every value rises with θ as the two requirements
  stop conflicting.
* ``procedures_by_angle``: the same values as a share of the first best,
  one curve per procedure, one panel per (setting, η): the paper's ranking.
  Under manipulation the fixed orders beat simultaneous testing for θ < 90°
  and tie beyond (Prop 1, Theorem 1); the random orders sit in between.
* ``violations_by_angle``: the mass of unqualified agents selected
  (``viol_mass``, symlog scale) per procedure. Under investment the
  undisclosed random order with q = ½ becomes feasible at θ = 30°, and fixed
  orders with unshifted tests stay infeasible below 90° (Theorem 3, spec
  §5.3's predictions).
* ``two_step_by_angle``: the mass of agents using two-step strategies
  (stay-and-project, zig-zag, refraction), which vanishes from θ = 90° on.
* ``designs_by_angle`` (only for stores that sweep ``design``): each of the
  paper's named designs as a share of the first best, one panel per design,
  one curve per procedure (Theorem 2's menu and the perfect tests reach the
  first best under manipulation).

Replications of a point (the same plotted axes, e.g. several type
distributions pooled by hand) are shown as a mean with a 95% band; other
swept parameters are fixed to one value, named in the title.
"""
from __future__ import annotations

from ._common import (FigureSet, categorical_styles, finish, fix_other_axes, label_panels, line_panels, mean_ci,
                      missing, note, present, sequential_styles, values)

EXPERIMENT = "testdesign.evaluate"
figures = FigureSet(EXPERIMENT)

ANGLE_LABEL = "wedge angle θ (degrees)"
#: The paper's critical angles (spec §5.1), marked on every angle axis.
CRITICAL_ANGLES = (30, 45, 60, 90)
PROCEDURES = ("simultaneous", "fixed_ab", "fixed_ba", "random_undisclosed", "random_disclosed")
PREFER = {"q": 0.5, "cost_model": "path_additive", "design": "stringent"}


def _procedure_styles(df):
    """One style per procedure, in the paper's order, so every figure colours a procedure alike."""
    levels = values(df, "procedure")
    ordered = [p for p in PROCEDURES if p in levels] + [p for p in levels if p not in PROCEDURES]
    return categorical_styles(ordered)


def _mark_infeasible(panels, y: str) -> None:
    """Crosses over the designs that select unqualified agents (``feasible`` = 0, P_I's constraint broken)."""
    if not panels or "feasible" not in panels[0].data:
        return
    for panel in panels:
        bad = panel.data[panel.data["feasible"] == 0]
        panel.ax.scatter(bad["angle_deg"], bad[y], marker="x", color="black", s=18, linewidths=0.8, zorder=3,
                         label="infeasible: selects unqualified agents")


def _critical_angles(panels) -> None:
    """Faint vertical lines at the paper's critical angles."""
    for panel in panels:
        for angle in CRITICAL_ANGLES:
            panel.ax.axvline(angle, color="0.6", linewidth=0.7, linestyle=":", zorder=0)


@figures.register("value_by_angle")
def value_by_angle(df):
    name = f"{EXPERIMENT}__value_by_angle"
    if missing(df, ["angle_deg", "value"], name):
        return None
    data, caption = fix_other_axes(df, ["angle_deg", "cost_scale", "setting", "procedure"], prefer=PREFER)
    styles = sequential_styles(values(data, "cost_scale"))
    figure, panels = line_panels(data, x="angle_deg", y="value", hue="cost_scale", rows="setting", cols="procedure",
                                 styles=styles, label=lambda eta: f"η = {eta:g}", panel_size=(2.9, 2.4))
    if present(data, ["first_best"]):
        for panel in panels:
            for eta in values(panel.data, "cost_scale"):
                subset = panel.data if eta is None else panel.data[panel.data["cost_scale"] == eta]
                stats = mean_ci(subset, ["angle_deg"], "first_best")
                panel.ax.plot(stats["angle_deg"], stats["mean"], linestyle=":", linewidth=1.2,
                              color=styles.get(eta, {}).get("color", "0.3"))
        panels[0].ax.plot([], [], linestyle=":", color="0.3", label="first best (dotted, colour of η)")
    else:
        note(name, "no values in column first_best; first-best reference skipped")
    _mark_infeasible(panels, "value")
    _critical_angles(panels)
    label_panels(panels, ANGLE_LABEL, "value = P(select qualified)")
    finish(figure, "Test design: value of each procedure against the angle θ, one curve per cost scale η", caption)
    return figure


@figures.register("procedures_by_angle")
def procedures_by_angle(df):
    name = f"{EXPERIMENT}__procedures_by_angle"
    if missing(df, ["angle_deg", "ratio"], name):
        return None
    data, caption = fix_other_axes(df, ["angle_deg", "cost_scale", "setting", "procedure"], prefer=PREFER)
    figure, panels = line_panels(data, x="angle_deg", y="ratio", hue="procedure", rows="setting", cols="cost_scale",
                                 styles=_procedure_styles(data), panel_size=(3.0, 2.5), sharey="row")
    _mark_infeasible(panels, "ratio")
    _critical_angles(panels)
    label_panels(panels, ANGLE_LABEL, "value / first best")
    finish(figure, "Test design: procedures compared (share of the first best) against θ", caption,
           legend_title="procedure", order=PROCEDURES)
    return figure


@figures.register("violations_by_angle")
def violations_by_angle(df):
    name = f"{EXPERIMENT}__violations_by_angle"
    if missing(df, ["angle_deg", "viol_mass"], name):
        return None
    data, caption = fix_other_axes(df, ["angle_deg", "cost_scale", "setting", "procedure"], prefer=PREFER)
    figure, panels = line_panels(data, x="angle_deg", y="viol_mass", hue="procedure", rows="setting",
                                 cols="cost_scale", styles=_procedure_styles(data), panel_size=(3.0, 2.5))
    for panel in panels:
        panel.ax.set_yscale("symlog", linthresh=1e-6)
    _critical_angles(panels)
    label_panels(panels, ANGLE_LABEL, "P(select unqualified)")
    finish(figure, "Test design: mass of unqualified agents selected (0 = feasible) against θ", caption,
           legend_title="procedure", order=PROCEDURES)
    return figure


@figures.register("two_step_by_angle")
def two_step_by_angle(df):
    name = f"{EXPERIMENT}__two_step_by_angle"
    if missing(df, ["angle_deg", "share_two_step"], name):
        return None
    data, caption = fix_other_axes(df, ["angle_deg", "setting", "procedure"], prefer={**PREFER, "cost_scale": 1.0})
    figure, panels = line_panels(data, x="angle_deg", y="share_two_step", hue="procedure", cols="setting",
                                 styles=_procedure_styles(data))
    _critical_angles(panels)
    label_panels(panels, ANGLE_LABEL, "mass using two-step strategies")
    finish(figure, "Test design: mass using two-step strategies (stay-and-project, zig-zag, refraction) against θ",
           caption, legend_title="procedure", order=PROCEDURES)
    return figure


@figures.register("designs_by_angle")
def designs_by_angle(df):
    name = f"{EXPERIMENT}__designs_by_angle"
    if missing(df, ["angle_deg", "ratio", "design"], name):
        return None
    if df["design"].nunique() < 2:
        note(name, "the store does not sweep 'design'; figure skipped")
        return None
    data, caption = fix_other_axes(df, ["angle_deg", "design", "procedure"],
                                   prefer={**PREFER, "cost_scale": 1.0, "setting": "manipulation"})
    figure, panels = line_panels(data, x="angle_deg", y="ratio", hue="procedure", cols="design",
                                 styles=_procedure_styles(data), panel_size=(3.0, 2.4))
    _mark_infeasible(panels, "ratio")
    _critical_angles(panels)
    label_panels(panels, ANGLE_LABEL, "value / first best")
    finish(figure, "Test design: the paper's named designs against θ", caption, legend_title="procedure",
           order=PROCEDURES)
    return figure
