"""What can be exchanged as Excel: each kind's columns, natural key and lookups.

A kind names the model, the columns of its template (in order), the model fields that
identify a row across deployments (its natural key: a village's code, an enterprise's
USCC…), and how the natural keys in reference columns are found among the rows the
importing user may see. The engine (``importer``) does the rest the same way for all.

Each app declares its own kinds in its ``kinds.py`` (``register``); ``KINDS`` holds them
all, in the order they import (villages before their households…).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.module_loading import autodiscover_modules

from cunqi.core.models import Industry
from cunqi.exchange.cells import Column

if TYPE_CHECKING:
    from django.db.models import Model

    from cunqi.accounts.models import User


def labels(model: type[Model], name: str) -> dict[str, str]:
    """A choice field's labels in both languages and its codes, → code."""
    options = {}
    for value, label in model._meta.get_field(name).choices:
        options[str(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                options[str(label)] = value
    return options


def choice_list(model: type[Model], name: str) -> Callable[[], list[str]]:
    return lambda: [str(label) for _value, label in model._meta.get_field(name).choices]


def reference_names(model: type[Model], attribute: str = "name") -> Callable[[], list[str]]:
    return lambda: [str(getattr(item, attribute)) for item in model.objects.filter(is_active=True)]


@dataclass(frozen=True)
class Kind:
    code: str
    model: type
    title: object
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # model fields (after references are resolved) that identify a row
    # reference name → (user → {natural key text: pk}); the rows a user may refer to
    references: dict[str, Callable] = field(default_factory=dict)
    # model field a reference column fills (e.g. "village" for the village code column)
    # and, for export, the path to the natural key of the row it refers to
    exports: dict[str, str] = field(default_factory=dict)
    # columns that name a row together (a village and a household number), resolved to
    # it: (values, lookups) → [(column field, message)]; every rule of the row itself is
    # its door's
    check: Callable | None = None
    # where the kind comes among all (a row's references are imported before it)
    order: int = 100

    @property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    @property
    def fields(self) -> set[str]:
        return {column.field for column in self.columns}


def visible_map(model: type[Model], user: User, key: str) -> dict[str, int]:
    return {str(k): pk for k, pk in model.objects.visible_to(user).values_list(key, "pk")}


def industries(user: User) -> dict[str, int]:
    found = {}
    for pk, code, zh, en in Industry.objects.values_list("pk", "code", "name_zh", "name_en"):
        found[code] = found[zh] = found[en] = pk
    return found


def reference_items(
    model: type[Model], codes: tuple[str, ...] = ("code", "name_zh", "name_en"), **filters: object
) -> Callable:
    def build(user: User) -> dict[str, int]:
        found = {}
        for pk, *names in model.objects.filter(**filters).values_list("pk", *codes):
            for name in names:
                found[str(name)] = pk
        return found

    return build


_DECLARED: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        _DECLARED[kind.code] = kind


@cache
def _discover() -> None:
    autodiscover_modules("kinds")


class _Kinds(Mapping):
    """Every declared kind by code, in import order."""

    def _all(self) -> dict[str, Kind]:
        _discover()
        return dict(sorted(_DECLARED.items(), key=lambda item: item[1].order))

    def __getitem__(self, code: str) -> Kind:
        return self._all()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


KINDS = _Kinds()
