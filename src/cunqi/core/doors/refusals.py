"""Why a write was refused, per row and field, in the reader's language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Refusal:
    """Why one row of ``save_many`` was refused: its index in the rows given, the field
    (None for the whole row) and the message in the reader's language."""

    index: int
    field: str | None
    message: str


def refusals_of(index: int, error: ValidationError) -> list[Refusal]:
    if hasattr(error, "error_dict"):
        return [
            Refusal(index, None if name == NON_FIELD_ERRORS else name, message)
            for name, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [Refusal(index, None, message) for message in error.messages]


def merge_into(errors: dict, error: ValidationError) -> None:
    for name, messages in (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    ).items():
        errors.setdefault(name, []).extend(messages)


def role_refusal(action: str) -> str:
    if action == "create":
        return _("Your role may change rows here but not add them.")
    return _("Your role may add rows here but not change them.")


def error_lists(error: ValidationError) -> dict[str | None, list[str]]:
    """A ValidationError as {field or None: [messages]}."""
    grouped: dict[str | None, list[str]] = defaultdict(list)
    for refusal in refusals_of(0, error):
        grouped[refusal.field].append(refusal.message)
    return dict(grouped)
