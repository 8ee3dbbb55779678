"""Post-processing of mechsweep stores: load them into pandas, plot the papers' comparisons.

    from mechsweep_analysis import load
    df = load("quick.h5")                 # done tasks: parameters, results, task bookkeeping
    df.groupby(["procedure", "angle_deg"])["value"].mean()

``python3 -m mechsweep_analysis.plot STORE`` writes the experiment's figures
(see ``mechsweep_analysis.figures``).
"""
from .store import StoreError, list_aggregates, load, load_aggregate, runs

__all__ = ["StoreError", "load", "load_aggregate", "list_aggregates", "runs"]
