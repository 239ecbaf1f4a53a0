from datetime import date

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cunqi.core.autocomplete import use_search_select
from cunqi.core.doors import door
from cunqi.core.ids import BIGGEST_ID


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, entered as YYYY-MM and stored as its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value: object) -> date | None:
        parsed = super().to_python(value)
        return parsed.replace(day=1) if parsed else parsed


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos taken with the phone's camera, chosen at once; each is checked
    by the door of the row it is kept in."""

    widget = PhotosInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png", "capture": "environment"})

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(upload, initial) for upload in files]


def style_field(field: forms.Field) -> None:
    """Give a widget the CSS kit's classes (and dates a date picker)."""
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    if isinstance(widget, forms.DateInput) and not isinstance(widget, MonthInput):
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"


def _storable(value: object) -> bool:
    try:
        return abs(int(str(value).strip())) <= BIGGEST_ID
    except ValueError:
        return True  # not a number at all: the field itself refuses it


def storable_ids(data: QueryDict | dict, names: list[str]) -> QueryDict | dict:
    """The posted data with ids no database can hold replaced by a value the field refuses
    as an invalid choice; looked up as they are, SQLite raises OverflowError and
    PostgreSQL an out-of-range error, which would be a server error."""
    data = data.copy()
    for name in names:
        posted = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        values = list(posted) if isinstance(posted, list | tuple) else [posted]
        if all(value is None or _storable(value) for value in values):
            continue
        values = [value if _storable(value) else "-" for value in values]
        if hasattr(data, "setlist"):
            data.setlist(name, values)
        else:
            data[name] = values if isinstance(posted, list | tuple) else values[0]
    return data


def form_values(form: forms.ModelForm) -> dict:
    """What a valid model form says of its row, for the row's door: the model fields it
    shows and the user may change (a read-only field says nothing)."""
    names = {field.name for field in form._meta.model._meta.get_fields()}
    return {
        name: form.cleaned_data[name]
        for name, field in form.fields.items()
        if name in names and name in form.cleaned_data and not field.disabled
    }


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a door's refusal on the form: each message at its field when the form shows
    it (a hidden field is not shown), else above the form, named by the field's label."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, messages in error.message_dict.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            form.add_error(name, messages)
        elif name == NON_FIELD_ERRORS or model is None:
            form.add_error(None, messages)
        else:
            label = _label(model, name)
            form.add_error(None, [f"{label}: {message}" for message in messages])


def _label(model: type[Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class ScopedModelForm(forms.ModelForm):
    """A model form for ``user``: every choice of a related row is limited to what the
    user may see, so a posted id outside their scope is refused at its field; a field
    the user's role may not set is shown read-only."""

    def __init__(self, *args: object, user: AbstractBaseUser, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        closed = [
            name for name in door(self._meta.model).closed_fields(user) if name in self.fields
        ]
        for name in closed:
            # Shown read-only; a value posted anyway reaches the door, which refuses it.
            self.fields[name].widget.attrs["disabled"] = True
        if self.is_bound and closed:
            self.data = self._unchanged_when_omitted(closed)
        self.broken_text: list[str] = []
        if self.is_bound:
            self.data = storable_ids(
                self.data,
                [
                    self.add_prefix(name)
                    for name, field in self.fields.items()
                    if isinstance(field, forms.ModelChoiceField)
                ],
            )
            self.data = self._without_broken_text()
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                visible = queryset.visible_to(user)
                # A row's current link to a row the user cannot see stays as it is (an
                # enterprise keeps the household of its own employee's row); they may
                # not pick another hidden one.
                if (current := self._current_link(name, field)) is not None:
                    visible = visible | queryset.filter(pk=current)
                field.queryset = visible
            style_field(field)
            use_search_select(field)

    def _current_link(self, name: str, field: forms.Field) -> int | None:
        if self.instance.pk is None or isinstance(field, forms.ModelMultipleChoiceField):
            return None
        try:
            attname = self._meta.model._meta.get_field(name).attname
        except FieldDoesNotExist:  # a form field that is not the model's
            return None
        return getattr(self.instance, attname, None)

    def _unchanged_when_omitted(self, names: list[str]):
        """The posted data with each read-only field the browser left out (a disabled
        input is never sent) set to its current value."""
        data = self.data.copy()
        for name in names:
            key = self.add_prefix(name)
            if key in data:
                continue
            field = self.fields[name]
            value = field.prepare_value(self.get_initial_for_field(field, name))
            if isinstance(value, bool):
                data[key] = "true" if value else "false"
            elif isinstance(value, list | tuple) and hasattr(data, "setlist"):
                data.setlist(key, [str(getattr(item, "pk", item)) for item in value])
            elif value is not None:
                data[key] = str(value)
        return data

    def _without_broken_text(self):
        """The posted data with text that is not Unicode (a lone surrogate, which a JSON
        escape can carry and no database encoding takes) blanked, its field remembered:
        it is refused before any query sees it."""
        data = self.data
        for name in self.fields:
            key = self.add_prefix(name)
            values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
            if any(isinstance(value, str) and not _encodable(value) for value in values):
                data = data.copy() if data is self.data else data
                data[key] = ""
                self.broken_text.append(name)
        return data

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.broken_text:
            self.errors.pop(name, None)
            self.add_error(name, _("This text holds a character that is not valid text."))
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
