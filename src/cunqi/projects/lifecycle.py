"""A project's status lifecycle: planned → approving → building → operating → handed over,
and stopped from any status that is not final."""

PLANNED = "planned"
APPROVING = "approving"
BUILDING = "building"
OPERATING = "operating"
HANDED_OVER = "handed_over"
STOPPED = "stopped"

ORDER = (PLANNED, APPROVING, BUILDING, OPERATING, HANDED_OVER)
FINAL = frozenset({HANDED_OVER, STOPPED})
# A project counts as landed (落地) once building has started.
LANDED = frozenset({BUILDING, OPERATING, HANDED_OVER})


def next_statuses(current: str) -> tuple[str, ...]:
    """The statuses a project in ``current`` may move to."""
    if current in FINAL:
        return ()
    following = ORDER[ORDER.index(current) + 1]
    return (following, STOPPED)


def can_move(current: str, target: str) -> bool:
    return target == current or target in next_statuses(current)
