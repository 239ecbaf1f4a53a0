"""Recommending village–enterprise pairings (pure: numpy, scipy and OR-Tools, no Django).

``scoring`` turns villages' and enterprises' resources, industries and places into scored
candidate pairs without ever building a villages × enterprises matrix; ``assign`` picks
the exact best set of pairs under capacities; ``scoring.explain`` says why.
"""

from cunqi.matching.assign import Assignment, assign

__all__ = ["Assignment", "assign"]
