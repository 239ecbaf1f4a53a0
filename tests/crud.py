"""The generic create / edit / delete checks every model's pages get (as NetBox's
``ViewTestCases``): a model's entry only declares its data; these helpers post it as any
role and report what the page answered and what the history recorded.

A write that a page accepts answers 302 and leaves exactly one history entry for the row
it wrote; one it refuses leaves the row as it was and no entry. The form data of an edit
is the row's own edit form as the task force sees it, with the declared change; a create
posts the same with the declared values that keep it unique.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse

from cunqi.core.views import REGISTRY


def form_data(row, user) -> dict:
    """What the edit page of ``row`` posts back unchanged, as ``user`` sees the form."""
    form = REGISTRY[type(row)].form(instance=row, user=user)
    data = {}
    for name in form.fields:
        bound = form[name]
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(value, FieldFile) or hasattr(value, "read"):
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
            continue
        if value is None:
            value = ""
        elif isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[name] = str(getattr(value, "pk", value))
    return data


def entries_for(model, pk) -> int:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_pk=str(pk),
    ).count()


@dataclass(frozen=True)
class Written:
    status: int
    entries: int  # history entries the write left for its row
    exists: bool  # whether the row is there afterwards
    errors: str = ""  # what the page said was wrong, when it refused the form


def _errors(response) -> str:
    form = (response.context or {}).get("form") if response.status_code == 400 else None
    return form.errors.as_text() if form is not None else ""


def _post_to_row(client: Client, row, action: str, data: dict | None = None) -> Written:
    model = type(row)
    before = entries_for(model, row.pk)
    response = client.post(reverse(model.url_name(action), args=[row.pk]), data or {})
    return Written(
        response.status_code,
        entries_for(model, row.pk) - before,
        model.objects.filter(pk=row.pk).exists(),
        _errors(response),
    )


def post_edit(client: Client, row, data: dict) -> Written:
    return _post_to_row(client, row, "edit", data)


def post_delete(client: Client, row) -> Written:
    return _post_to_row(client, row, "delete")


def post_create(client: Client, model, data: dict) -> Written:
    known = set(model.objects.values_list("pk", flat=True))
    response = client.post(reverse(model.url_name("add")), data)
    new = list(model.objects.exclude(pk__in=known))
    row = new[0] if len(new) == 1 else None
    return Written(
        response.status_code,
        entries_for(model, row.pk) if row else 0,
        row is not None,
        _errors(response),
    )
