"""Tests of mechsweep_analysis (stdlib unittest; the mechsweep binary comes from $MECHSWEEP).

    MECHSWEEP=build/mechsweep python3 -m unittest discover -s analysis/tests -t analysis
"""
