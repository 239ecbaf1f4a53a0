"""Request and response schemas, derived from each model and its page form, so that the
API documents exactly what the pages accept."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_filters import FilterSet
from ninja import Schema
from pydantic import BaseModel, ConfigDict, create_model

from cunqi.core.fields import HundredthsField
from cunqi.core.forms import MonthField
from cunqi.core.personal import LookupField, PersonalField


class ActionIn(BaseModel):
    """A workflow step's form fields (an opinion, a verdict, a year…), as its page posts
    them (a plain model: ninja's Schema drops fields it does not name)."""

    model_config = ConfigDict(extra="allow")


class ActionOut(Schema):
    detail: str
    id: int


class RevealIn(Schema):
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


class Error(Schema):
    """Every refusal: a message, and per field the messages for that field."""

    detail: str
    errors: dict[str, list[str]] = {}


def _model_type(field: models.Field) -> Any:
    if field.is_relation:
        return int
    if isinstance(field, HundredthsField | models.DecimalField):
        return Decimal
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField | models.AutoField):
        return int
    if isinstance(field, models.FloatField):  # scores and weights, never money
        return float
    if isinstance(field, models.DateTimeField):
        return datetime
    if isinstance(field, models.DateField):
        return date
    if isinstance(field, models.JSONField):
        return Any
    return str


def output_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a response shows: concrete fields except uploaded files' storage paths
    (their files are fetched from the pages, in scope) and the lookup hashes of personal
    values, and many-to-many as lists of ids. Personal values are answered masked."""
    return [
        field
        for field in (*model._meta.concrete_fields, *model._meta.many_to_many)
        if not isinstance(field, models.FileField | LookupField)
    ]


def output_schema(model: type[models.Model]) -> type[Schema]:
    definitions = {}
    for field in output_fields(model):
        if field.many_to_many:
            definitions[field.name] = (list[int], ...)
        else:
            kind = _model_type(field)
            definitions[field.name] = (Optional[kind] if field.null else kind, ...)  # noqa: UP045
    return create_model(f"{model.__name__}Out", __base__=Schema, **definitions)


def serialise(obj: models.Model, fields: list[models.Field]) -> dict:
    data = {}
    for field in fields:
        if field.many_to_many:
            data[field.name] = [related.pk for related in getattr(obj, field.name).all()]
        elif isinstance(field, PersonalField):
            data[field.name] = str(getattr(obj, field.attname))
        else:
            data[field.name] = getattr(obj, field.attname)
    return data


def _form_type(field: forms.Field) -> Any:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list[int]
    if isinstance(field, forms.ModelChoiceField):
        return int
    if isinstance(field, forms.BooleanField):
        return bool
    # Decimal and float form fields are integer fields' subclasses: ask for them first.
    if isinstance(field, forms.DecimalField):
        return Decimal
    if isinstance(field, forms.FloatField):
        return float
    if isinstance(field, forms.IntegerField):
        return int
    if isinstance(field, MonthField):
        return str  # YYYY-MM
    if isinstance(field, forms.DateTimeField):
        return datetime
    if isinstance(field, forms.DateField):
        return date
    return str


def upload_field(form_class: type[forms.BaseForm]) -> str | None:
    """The page form's upload field, sent as a multipart part named ``file``. A page's
    own extra uploads (a report's photos) are not the row's: the API attaches them as
    rows of their own."""
    stored = {field.name for field in form_class._meta.model._meta.get_fields()}
    names = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.FileField) and name in stored
    ]
    if names and names != ["file"]:
        raise ImproperlyConfigured(f"{form_class.__name__}: the API takes one upload, “file”.")
    return names[0] if names else None


def input_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The page form's fields, except the upload (a multipart part of its own)."""
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if not isinstance(field, forms.FileField)
    }


def input_schema(
    model: type[models.Model], form_class: type[forms.BaseForm], *, partial: bool
) -> type[Schema]:
    definitions = {}
    for name, field in input_fields(form_class).items():
        kind = _form_type(field)
        if field.required and not partial:
            definitions[name] = (kind, ...)
        else:
            definitions[name] = (Optional[kind], None)  # noqa: UP045
    suffix = "Update" if partial else "Create"
    return create_model(f"{model.__name__}{suffix}", __base__=Schema, **definitions)


def filter_schema(filterset_class: type[FilterSet]) -> type[Schema] | None:
    if filterset_class is None:
        return None
    definitions = {name: (Optional[str], None) for name in filterset_class.base_filters}  # noqa: UP045
    return create_model(f"{filterset_class.__name__}Query", __base__=Schema, **definitions)
