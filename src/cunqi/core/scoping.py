"""Who sees what: the one mechanism behind every list, page, form, export and API call.

A user's scope is one of: the whole programme, a town, a village, an enterprise, or a set
of villages (advisors and experts). Each scoped model names, in ``scope_paths``, the ORM
lookup from itself to the town, the village and the enterprise it belongs to;
``Model.objects.visible_to(user)`` filters by the path that fits the user's scope. A model
whose ``scope_paths`` is None (reference data) is seen whole by every signed-in user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Q

from cunqi.core import history
from cunqi.core.roles import Role


@dataclass(frozen=True)
class ScopePaths:
    """Lookups from a model to the scoping objects; a tuple means 'any of these'.

    ``None`` means a user of that kind of scope sees no row of the model.
    """

    town: str | tuple[str, ...] | None = None
    village: str | tuple[str, ...] | None = None
    enterprise: str | tuple[str, ...] | None = None

    def for_kind(self, kind: str) -> tuple[str, ...]:
        # Advisors and experts are scoped by the villages they serve.
        path = getattr(self, "village" if kind == "villages" else kind)
        if path is None:
            return ()
        return (path,) if isinstance(path, str) else path


@dataclass(frozen=True)
class UserScope:
    """What a user may see: ``everything``, or rows tied to ``ids`` of ``kind``."""

    kind: str  # "all", "none", "town", "village", "enterprise" or "villages"
    ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def everything(self) -> bool:
        return self.kind == "all"


NO_SCOPE = UserScope("none")
ALL_SCOPE = UserScope("all")


@cache
def _crosses_many(model: type[models.Model], path: str) -> bool:
    """Whether following ``path`` from ``model`` can reach several rows (needs a subquery)."""
    current = model
    for name in path.split("__"):
        if name == "pk":
            return False
        field_ = current._meta.get_field(name)
        if field_.many_to_many or field_.one_to_many:
            return True
        if not field_.is_relation:
            return False
        current = field_.related_model
    return False


def user_scope(user: AbstractBaseUser) -> UserScope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    return user.scope


class ScopedQuerySet(history.RecordedQuerySet):
    def visible_to(self, user: AbstractBaseUser) -> ScopedQuerySet:
        """The rows ``user`` may see; none for anonymous or inactive users."""
        return self._within(user, self.model.scope_paths)

    def editable_by(self, user: AbstractBaseUser) -> ScopedQuerySet:
        """The rows inside ``user``'s scope for writing.

        Usually the same as ``visible_to``; a model whose rows are seen more widely than
        they may be changed (a village sees its partner enterprise's resources, but only
        edits its own) names the narrower ``edit_scope_paths``, one that departments
        write names ``department_path``, and one that leaders write ``leader_path``.
        Whether the user's role may write the model at all is ``permissions.allows``.
        """
        rows = self._within(user, getattr(self.model, "edit_scope_paths", self.model.scope_paths))
        # Department users see the whole programme but write only their own department's
        # rows of a model that names the path to it (e.g. a fund source's allocations);
        # leaders likewise write only their own rows of a model naming ``leader_path`` (the
        # instructions they gave).
        role = getattr(user, "role", None)
        if role == Role.DEPARTMENT and (path := getattr(self.model, "department_path", None)):
            rows = rows.filter(**{path: user.department_id})
        if role == Role.LEADER and (path := getattr(self.model, "leader_path", None)):
            rows = rows.filter(**{path: user.person_id})
        return rows

    def _within(self, user: AbstractBaseUser, scope_paths: ScopePaths | None) -> ScopedQuerySet:
        scope = user_scope(user)
        if scope.kind == "none":
            return self.none()
        if scope.everything or scope_paths is None:
            return self
        paths = scope_paths.for_kind(scope.kind)
        if not paths or not scope.ids:
            return self.none()
        rows = self._filter_any(paths, scope.ids)
        # A model may show scoped users only some of its rows (e.g. published reviews).
        if (condition := getattr(self.model, "scoped_users_see_only", None)) is not None:
            rows = rows.filter(condition)
        return rows

    def _filter_any(self, paths: Iterable[str], ids: frozenset[int]) -> ScopedQuerySet:
        condition = Q()
        needs_subquery = False
        for path in paths:
            lookup = "pk__in" if path == "pk" else f"{path}__in"
            condition |= Q(**{lookup: ids})
            needs_subquery |= _crosses_many(self.model, path)
        if needs_subquery:
            # A subquery keeps one row per object without DISTINCT on the outer query.
            matching = self.model._base_manager.filter(condition).values("pk")
            return self.filter(pk__in=matching)
        return self.filter(condition)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass
