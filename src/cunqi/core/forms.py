from datetime import date

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from cunqi.core.autocomplete import use_search_select


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, entered as YYYY-MM and stored as its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value) -> date | None:
        parsed = super().to_python(value)
        return parsed.replace(day=1) if parsed else parsed


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


BIGGEST_ID = 2**63 - 1


def _storable(value) -> bool:
    try:
        return abs(int(str(value).strip())) <= BIGGEST_ID
    except ValueError:
        return True  # not a number at all: the field itself refuses it


def _storable_ids(data, names: list[str]):
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


class ScopedModelForm(forms.ModelForm):
    """A model form for ``user``: every choice of a related row is limited to what the
    user may see, so a posted id outside their scope is refused at its field."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.is_bound:
            self.data = _storable_ids(
                self.data,
                [
                    self.add_prefix(name)
                    for name, field in self.fields.items()
                    if isinstance(field, forms.ModelChoiceField)
                ],
            )
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)
            style_field(field)
            use_search_select(field)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
