"""Which towns qualify as demonstration towns (示范镇), by criteria the task force sets.

Pure: the facts of each village in, the verdict and its reasons out. By default a town
qualifies when every one of its villages is in an active pairing and has at least one
operating project.
"""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class VillageFacts:
    name: str
    paired: bool  # in an active pairing
    projects: int  # projects counted by the criteria (operating, or also being built)


@dataclass(frozen=True)
class Verdict:
    qualifies: bool
    shortfalls: list[tuple[str, str]]  # (village, "unpaired" or "projects")


def town_verdict(
    villages: Sequence[VillageFacts], every_village_paired: bool = True, min_projects: int = 1
) -> Verdict:
    if not villages:
        return Verdict(False, [])
    shortfalls = []
    for village in villages:
        if every_village_paired and not village.paired:
            shortfalls.append((village.name, "unpaired"))
        if village.projects < min_projects:
            shortfalls.append((village.name, "projects"))
    return Verdict(not shortfalls, shortfalls)
