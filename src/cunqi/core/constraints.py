"""A model's check constraints evaluated in Python, for rows checked many at a time.

Django validates a ``CheckConstraint`` by asking the database (one query per row and
constraint). The bulk form of a door checks thousands of rows at once, so the simple
conditions the platform's models use (comparisons, ``isnull``, ``F()`` of another field,
AND/OR/NOT) are evaluated here on the row's own values, with the constraint's own
message; a condition this does not understand is left to Django's query.
"""

from __future__ import annotations

import operator

from django.db.models import F, Model, Q

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class Unknown(Exception):
    """The condition uses something this evaluator does not know."""


def _value(row: Model, name: str) -> object:
    field = row._meta.get_field(name)
    return getattr(row, field.attname)


def _lookup(row: Model, key: str, expected: object) -> bool | None:
    """``key=expected`` on ``row``; None when a compared value is NULL (SQL's unknown)."""
    name, _sep, lookup = key.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        raise Unknown(key)  # a lookup across a relation
    value = _value(row, name)
    if lookup == "isnull":
        return (value is None) == bool(expected)
    if isinstance(expected, F):
        expected = _value(row, expected.name)
    elif hasattr(expected, "resolve_expression"):
        raise Unknown(key)
    if lookup not in _COMPARE:
        raise Unknown(key)
    if value is None or expected is None:
        return None
    return _COMPARE[lookup](value, expected)


def _holds(row: Model, condition: Q | tuple) -> bool | None:
    """Three-valued, as SQL evaluates it: True, False or None (unknown)."""
    if isinstance(condition, Q):
        results = [_holds(row, child) for child in condition.children]
        if condition.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        if condition.negated:
            result = None if result is None else not result
        return result
    if isinstance(condition, tuple) and len(condition) == 2:
        return _lookup(row, *condition)
    raise Unknown(condition)


def satisfies(row: Model, condition: Q) -> bool:
    """Whether the database would accept ``row`` under ``condition`` (a check passes unless
    it is false; unknown passes). Raises ``Unknown`` for what it cannot evaluate."""
    return _holds(row, condition) is not False
