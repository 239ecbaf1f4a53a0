"""Villagers' personal information (PIPL §28, §51; 等保 level 3 8.1.4.8 and 8.1.4.11):
identity numbers, phone numbers and bank accounts.

Such a value is a ``Personal`` in Python, never a ``str``: it prints masked
(``610881********1234``) wherever it is shown — a template, a table, a form's input, an
export, an API answer, the change history — and gives its full text only to ``reveal``,
which a service calls after checking the reader's permission and recording their reason.
In the database it is sealed (``core.crypto``); a ``LookupField`` beside it holds its
keyed hash, so a row can still be found by the full value.

A form or a workbook that sends a value back as it was shown (masked) keeps the stored
value: the door (``core.doors``) resolves it against the row as stored, and refuses a
masked value that is not the row's own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.db.models.query_utils import DeferredAttribute
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from cunqi.core import crypto
from cunqi.core.permissions import allows
from cunqi.core.security import log_event

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.http import HttpRequest

MASK = "*"
ROTATE_BATCH = 500
REASON_MIN_LENGTH = 4

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"[1-9][0-9]{16}[0-9X]")
_PHONE_SHAPE = re.compile(r"\+?[0-9]{7,15}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_ACCOUNT_SHAPE = re.compile(r"[0-9]{12,30}")


def id_number_problem(text: str) -> str | None:
    """Why ``text`` is not a resident identity number (GB 11643-1999), or None."""
    if not _ID_SHAPE.fullmatch(text):
        return str(_("An identity number has 17 digits and a check digit or X."))
    total = sum(int(digit) * weight for digit, weight in zip(text, _ID_WEIGHTS, strict=False))
    if _ID_CHECK[total % 11] != text[-1]:
        return str(_("The check digit (the 18th) does not match: please check the number."))
    return None


def with_id_check(first17: str) -> str:
    """The identity number whose first 17 digits are ``first17`` (demo and test data)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK[total % 11]


def _phone_problem(text: str) -> str | None:
    if not _PHONE_SHAPE.fullmatch(text):
        return str(_("A phone number has 7 to 15 digits (a leading + for abroad)."))
    return None


def _account_problem(text: str) -> str | None:
    if not _ACCOUNT_SHAPE.fullmatch(text):
        return str(_("A bank account number has 12 to 30 digits."))
    return None


def _mask_id_number(text: str) -> str:
    return text[:6] + MASK * (len(text) - 10) + text[-4:]


def _mask_phone(text: str) -> str:
    if _MOBILE.fullmatch(text):
        return text[:3] + MASK * 4 + text[-4:]
    return MASK * (len(text) - 4) + text[-4:]


def _mask_account(text: str) -> str:
    return text[:4] + MASK * (len(text) - 8) + text[-4:]


@dataclass(frozen=True)
class Kind:
    name: str
    normalise: Callable[[str], str]
    problem: Callable[[str], str | None]
    mask: Callable[[str], str]


def _without_spaces(text: str) -> str:
    return re.sub(r"[\s-]", "", text)


KINDS = {
    "id_number": Kind("id_number", lambda t: t.strip().upper(), id_number_problem, _mask_id_number),
    "phone": Kind("phone", _without_spaces, _phone_problem, _mask_phone),
    "bank_account": Kind("bank_account", _without_spaces, _account_problem, _mask_account),
}


def is_masked(text: object) -> bool:
    return isinstance(text, str) and MASK in text


class Personal:
    """A personal value: masked when printed, its full text only through ``reveal``."""

    __slots__ = ("_clear", "_context", "_token", "kind")

    def __init__(self, kind: Kind, clear: str | None = None, *, token: str = "", context: str = ""):
        self.kind, self._clear, self._token, self._context = kind, clear, token, context

    def reveal(self) -> str:
        """The full value, for a service that has checked and recorded why it is read."""
        if self._clear is None:
            self._clear = crypto.open_sealed(self._token, self._context, crypto.keyring())
        return self._clear

    def __str__(self) -> str:
        return self.kind.mask(self.reveal())

    def __repr__(self) -> str:
        return f"<Personal {self.kind.name} {self}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Personal):
            return self.reveal() == other.reveal()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.reveal())

    def __bool__(self) -> bool:
        return True  # an empty value is stored as "", never as a Personal

    @property
    def sealed_with(self) -> str | None:
        """The id of the key the stored value is sealed with (None: not stored yet)."""
        return crypto.key_id_of(self._token) if self._token else None


class MaskedInput(str):
    """A value sent back as it was shown (masked): the door keeps the stored one."""


class _PersonalAttribute(DeferredAttribute):
    """What is set on the row becomes a ``Personal`` at once, so a row built in code
    prints masked before it was ever saved."""

    def __set__(self, instance: models.Model, value: object) -> None:
        instance.__dict__[self.field.attname] = self.field.wrap(value)


class PersonalField(models.TextField):
    """A sealed personal value of one ``kind`` (``KINDS``); blank is kept as ""."""

    descriptor_class = _PersonalAttribute

    def __init__(self, *args: object, kind: str = "", **kwargs: object) -> None:
        self.kind = KINDS[kind]
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        # Blank in the database too: loaders that insert raw rows leave it out.
        kwargs.setdefault("db_default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind.name
        for key, value in (("blank", True), ("default", ""), ("db_default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def wrap(self, value: object) -> object:
        if value is None or value == "" or isinstance(value, Personal | MaskedInput):
            return "" if value is None else value
        text = self.kind.normalise(str(value))
        if is_masked(text):
            return MaskedInput(str(value).strip())
        return Personal(self.kind, text)

    def to_python(self, value: object) -> object:
        return self.wrap(value)

    def from_db_value(self, value: str | None, expression: object, connection: object) -> object:
        if value:  # opened when first needed: a list that does not show it never opens it
            return Personal(self.kind, token=value, context=self.context)
        return ""

    def get_prep_value(self, value: object) -> object:
        value = self.wrap(value)
        if isinstance(value, MaskedInput):
            raise ValueError(f"{self.context}: a masked value cannot be stored")
        if isinstance(value, Personal):
            return crypto.seal(value.reveal(), self.context, crypto.keyring())
        return value

    def validate(self, value: object, model_instance: models.Model) -> None:
        super().validate(value, model_instance)
        if isinstance(value, Personal) and (problem := self.kind.problem(value.reveal())):
            raise ValidationError(problem, code=f"invalid_{self.kind.name}")

    def value_to_string(self, obj: models.Model) -> str:
        return str(self.value_from_object(obj))

    def formfield(self, **kwargs: object) -> forms.Field:
        return forms.CharField(
            label=capfirst(self.verbose_name),
            help_text=format_lazy(
                "{} {}",
                self.help_text,
                _("Shown masked: leave it to keep what is stored, or type the full value."),
            ),
            required=not self.blank,
            max_length=40,
            widget=forms.TextInput(attrs={"data-personal": "", "autocomplete": "off"}),
            **kwargs,
        )

    def get_lookup(self, lookup_name: str):
        # The column holds sealed text (a new nonce each time): comparing it with a value
        # says nothing. Rows are found by the LookupField beside it; only "is it blank"
        # can be asked of the column itself.
        if lookup_name == "exact":
            return _BlankOnly
        if lookup_name != "isnull":
            raise TypeError(f"{self.context} is sealed: filter by its lookup hash")
        return super().get_lookup(lookup_name)


class _BlankOnly(Exact):
    def get_prep_lookup(self) -> object:
        if self.rhs != "":
            raise TypeError("a sealed column can only be compared with blank")
        return self.rhs


class LookupField(models.CharField):
    """The keyed hash of the personal field ``source`` of the same row ("" when blank),
    kept up to date whenever the row is saved, so ``lookup(model, source, text)`` finds
    the row by the full value."""

    def __init__(self, *args: object, source: str = "", **kwargs: object) -> None:
        self.source = source
        kwargs.update(
            max_length=64, blank=True, default="", db_default="", editable=False, db_index=True
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "blank", "default", "db_default", "editable", "db_index"):
            kwargs.pop(key, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def hash_of(self, row: models.Model) -> str:
        value = getattr(row, self.source)
        return (
            crypto.lookup_hash(value.reveal(), crypto.keyring())
            if isinstance(value, Personal)
            else ""
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.hash_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def personal_fields(model: type[models.Model]) -> list[PersonalField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, PersonalField)]


def refresh_lookups(row: models.Model) -> None:
    """Bring the row's lookup hashes in line with its personal values (a bulk update does
    not run ``pre_save``)."""
    for field in row._meta.concrete_fields:
        if isinstance(field, LookupField):
            field.pre_save(row, add=False)


def lookup(model: type[models.Model], source: str, text: str) -> models.Q:
    """The condition that finds rows whose ``source`` is ``text`` in full."""
    field = next(
        f for f in model._meta.concrete_fields if isinstance(f, LookupField) and f.source == source
    )
    kind = model._meta.get_field(source).kind
    return models.Q(**{field.name: crypto.lookup_hash(kind.normalise(text), crypto.keyring())})


def keep_masked(row: models.Model, previous: models.Model | None) -> dict[str, list[str]]:
    """Resolve values sent back masked: each becomes the stored value it shows; a masked
    value that is not the stored one's is an error (a full value must be typed)."""
    errors = {}
    for field in personal_fields(type(row)):
        value = getattr(row, field.attname)
        if not isinstance(value, MaskedInput):
            continue
        stored = getattr(previous, field.attname) if previous is not None else ""
        if isinstance(stored, Personal) and str(stored) == value:
            setattr(row, field.attname, stored)
        else:
            errors[field.name] = [
                _("Type “%(field)s” in full: a masked value only keeps what is stored.")
                % {"field": field.verbose_name}
            ]
    return errors


def may_reveal(user: AbstractBaseUser, model: type[models.Model]) -> bool:
    """Whether ``user``'s role may read ``model``'s personal values in full (with a reason)."""
    return (
        bool(personal_fields(model))
        and "reveal" in model.edit_policy.actions
        and allows(user, "reveal", model)
    )


def reveal(
    user: AbstractBaseUser,
    row: models.Model,
    field_name: str,
    reason: str,
    request: HttpRequest | None = None,
) -> str:
    """The full value of ``row``'s personal field for ``user``, who states why ("break
    the glass"): allowed only to the roles the model's ``reveal`` action names, always
    recorded in the audit trail with the reason. The caller has checked ``row`` is in the
    user's scope."""
    model = type(row)
    if field_name not in {field.name for field in personal_fields(model)}:
        raise ValidationError({"field": [_("There is no such personal field.")]})
    if not may_reveal(user, model):
        raise PermissionDenied(_("Your role may not see personal data in full."))
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Say why you need the full value (at least %(n)d characters).")
                    % {"n": REASON_MIN_LENGTH}
                ]
            }
        )
    value = getattr(row, field_name)
    log_event(
        "read.reveal",
        request,
        user=user,
        model=model._meta.label,
        pk=row.pk,
        field=field_name,
        reason=reason[:200],
    )
    return value.reveal() if isinstance(value, Personal) else ""


def sealed_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if personal_fields(model)]


def key_census() -> Counter[str]:
    """How many stored personal values each key id seals (one column read at a time)."""
    census: Counter[str] = Counter()
    for model in sealed_models():
        for field in personal_fields(model):
            for token in (
                model._base_manager.exclude(**{field.attname: ""})
                .values_list(Cast(field.attname, models.TextField()), flat=True)
                .iterator(chunk_size=ROTATE_BATCH)
            ):
                census[crypto.key_id_of(token)] += 1
    return census


def rotate(batch: int = ROTATE_BATCH) -> Counter[str]:
    """Seal every stored personal value under the current key and hash it with the
    current lookup key, a batch of rows per transaction (readers are never stopped); the
    old keys must still be configured. Returns the rows rewritten per model. No history
    entry: the values are unchanged."""
    ring = crypto.keyring()
    rewritten: Counter[str] = Counter()
    for model in sealed_models():
        fields = personal_fields(model)
        lookups = [f for f in model._meta.concrete_fields if isinstance(f, LookupField)]
        names = [f.attname for f in (*fields, *lookups)]
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    model._base_manager.select_for_update()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .only("pk", *names)[:batch]
                )
                if not rows:
                    break
                last = rows[-1].pk
                stale = [row for row in rows if _stale(row, fields, lookups, ring)]
                for row in stale:
                    for field in fields:  # a value read from the database is re-sealed
                        value = getattr(row, field.attname)
                        if isinstance(value, Personal):
                            setattr(row, field.attname, Personal(field.kind, value.reveal()))
                    refresh_lookups(row)
                if stale:
                    model._base_manager.bulk_update(stale, names)
                    rewritten[model._meta.label] += len(stale)
    return rewritten


def _stale(
    row: models.Model, fields: list[PersonalField], lookups: list[LookupField], ring: crypto.Keyring
) -> bool:
    for field in fields:
        value = getattr(row, field.attname)
        if isinstance(value, Personal) and value.sealed_with != ring.current:
            return True
    return any(getattr(row, field.attname) != field.hash_of(row) for field in lookups)
