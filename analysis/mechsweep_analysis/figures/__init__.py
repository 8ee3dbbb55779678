"""One figure module per experiment, collected in :data:`FIGURES`.

``FIGURES[experiment](df, out_dir)`` draws every figure of that experiment
from a frame of :func:`mechsweep_analysis.load` and returns the PNG paths it
wrote (``<experiment>__<figure>.png``); ``only="<figure>"`` draws one.
``FIGURES[experiment].names`` lists the figures. Each module's docstring
says what its figures show and which result of the paper they reproduce.
"""
from . import (coalition_examples, coalition_patterns, delegation_market, fpre_continuity, fpre_obedience,
               persuasion_appendix, persuasion_market, synthetic_trivial, testdesign_evaluate, testdesign_optimal)
from ._common import FigureSet

FIGURES: dict[str, FigureSet] = {
    module.figures.experiment: module.figures
    for module in (testdesign_evaluate, testdesign_optimal, coalition_patterns, coalition_examples,
                   delegation_market, fpre_obedience, fpre_continuity, persuasion_market, persuasion_appendix,
                   synthetic_trivial)
}

__all__ = ["FIGURES", "FigureSet"]
