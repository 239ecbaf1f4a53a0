"""What each app declares of itself, so that adding a model means editing its own app:
its menu entries, the models whose every change is recorded, those whose writes
change the cockpit's figures, its periodic jobs and the Word files an office may template. The site assembles them (``core.context_processors``,
the history, the dashboard); a test checks that every model with pages is in every list
that must name it.

An app's ``AppConfig`` subclasses ``declarations.CunqiAppConfig`` (through the module:
an apps.py holding two AppConfig classes would leave Django unsure which is the app's)
and sets the attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import AppConfig, apps

from cunqi.core.roles import CITY_READERS, Role


@dataclass(frozen=True)
class MenuItem:
    """A page of a menu group: ``model``'s list, or the page ``url`` names (which needs
    ``model``'s list permission). Each role is shown only what its work uses: the task
    force everything, any other role the models it may write and those naming it among
    their ``readers``."""

    model: str
    url: str | None = None
    label: object = None
    readers: frozenset[str] = CITY_READERS

    def shown_to(self, role: str) -> bool:
        if role == Role.TASKFORCE or role in self.readers:
            return True
        policy = apps.get_model(self.model).edit_policy
        writers = {*policy.create, *policy.edit, *policy.delete}
        return role in writers.union(*policy.actions.values())


@dataclass(frozen=True)
class MenuEntry:
    """An app's part of the site's menu. Apps that add to the same ``group`` share one
    drop-down (ordered by ``order``, then by app); ``items`` are ``MenuItem``s or model
    labels (their list page, for the roles ``MenuItem`` reads by default). An entry with
    ``url`` is a single link, shown to ``roles``."""

    group: str
    label: object
    order: int
    items: tuple[MenuItem | str, ...] = ()
    url: str | None = None
    roles: frozenset[str] = frozenset(Role)

    def shown_to(self, role: str) -> bool:
        return role == Role.TASKFORCE or role in self.roles

    def menu_items(self) -> list[MenuItem]:
        return [item if isinstance(item, MenuItem) else MenuItem(item) for item in self.items]


@dataclass(frozen=True)
class Periodic:
    """A task the scheduler enqueues on a schedule (``cunqi scheduler``)."""

    task: str  # the dotted path of a django-tasks task that takes no argument
    crontab: str  # when, as cron writes it, in the site's time zone
    why: str = ""


@dataclass(frozen=True)
class TemplatedDocument:
    """A Word file an office may write in its own template (``core.DocumentTemplate``):
    ``layout`` is the dotted path of its ``core.wordtemplates.Layout``."""

    kind: str
    label: object
    layout: str


class CunqiAppConfig(AppConfig):
    menu: tuple[MenuEntry, ...] = ()
    # The Word files the app writes that an office may lay out in its own template.
    documents: tuple[TemplatedDocument, ...] = ()
    # The app's periodic jobs (card evaluation, reminders…), run without cron.
    periodic: tuple[Periodic, ...] = ()
    # Models (by name) whose every create, update and delete is recorded, with the
    # options django-auditlog takes (fields left out, many-to-many fields recorded).
    audited: tuple[str | tuple[str, dict], ...] = ()
    # Models (by name) whose writes change the whole programme's cockpit.
    cockpit_models: tuple[str, ...] = ()

    def ready(self) -> None:
        from auditlog.registry import auditlog

        for entry in self.audited:
            name, options = (entry, {}) if isinstance(entry, str) else entry
            auditlog.register(self.get_model(name), **options)


def cunqi_apps() -> list[CunqiAppConfig]:
    return [app for app in apps.get_app_configs() if isinstance(app, CunqiAppConfig)]


def periodic() -> list[Periodic]:
    return [job for app in cunqi_apps() for job in app.periodic]


def templated_documents() -> dict[str, TemplatedDocument]:
    return {document.kind: document for app in cunqi_apps() for document in app.documents}


def menu() -> list[MenuEntry]:
    """Every app's menu entries, merged by group in the groups' order."""
    groups: dict[str, MenuEntry] = {}
    for app in cunqi_apps():
        for entry in app.menu:
            if entry.group in groups:
                known = groups[entry.group]
                groups[entry.group] = MenuEntry(
                    known.group,
                    known.label,
                    min(known.order, entry.order),
                    (*known.items, *entry.items),
                    known.url,
                    known.roles,
                )
            else:
                groups[entry.group] = entry
    return sorted(groups.values(), key=lambda entry: entry.order)


def cockpit_models() -> list[str]:
    return [f"{app.label}.{name}" for app in cunqi_apps() for name in app.cockpit_models]
