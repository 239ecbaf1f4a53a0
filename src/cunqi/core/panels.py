"""What an app adds to another app's detail pages: composition runs downward.

A village's page shows its pairings, projects, advisors and statements, but the registry
knows nothing of those apps: each of them registers, in its own ``panels.py``, a
``Panel`` for the model whose page it adds to (by label, as NetBox's template
extensions do). A panel brings a table of the app's own rows (shown as that model's own
list shows them, limited to what the user may see), figures, or links; the detail page
assembles them after its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db.models import Model
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Panel:
    """One app's addition to the page of ``model`` (an "app_label.Model" label)."""

    model: str
    title: object = ""
    # A table of related rows: their ObjectViews, and obj → queryset before scoping.
    views: Callable[[], type] | type | None = None
    rows: Callable | None = None
    exclude: tuple[str, ...] = ()  # columns that would only repeat the page's row
    # obj → [(label, value)] shown with the page's figures; obj → [(label, url)] as buttons.
    figures: Callable | None = None
    links: Callable | None = None
    # The step the links lead to, as (action, "app_label.Model"): shown only to users
    # whose role may take it.
    links_for: tuple[str, str] | None = None
    order: int = 100

    def related_views(self) -> type:
        return self.views if isinstance(self.views, type) else self.views()


_PANELS: dict[str, list[Panel]] = defaultdict(list)


def register(*panels: Panel) -> None:
    for panel in panels:
        _PANELS[panel.model].append(panel)
        _PANELS[panel.model].sort(key=lambda item: item.order)


@cache
def _discover() -> None:
    autodiscover_modules("panels")


def panels_for(model: type[Model]) -> list[Panel]:
    """The panels other apps (and the model's own) registered for ``model``'s page."""
    _discover()
    return list(_PANELS.get(model._meta.label, ()))
