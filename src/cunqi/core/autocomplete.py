"""Choosing one row among hundreds of thousands: a select that renders only the chosen
options, with a search box that fetches matching ones from ``autocomplete``.

At national scale a town filter would otherwise render 33,000 <option>s (1.5 s a page).
"""

from functools import reduce
from operator import or_

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cunqi.core.ids import as_id
from cunqi.core.permissions import allows

LIMIT = 30


class SearchSelectMixin:
    template_name = "core/widgets/search_select.html"

    def __init__(self, *args: object, model: type[Model] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.model = model

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        # Render only the empty choice and what is chosen: never iterate the whole table.
        all_choices = self.choices
        chosen = [pk for item in self.format_value(value) if (pk := as_id(item)) is not None]
        limited = [all_choices.choice(row) for row in all_choices.queryset.filter(pk__in=chosen)]
        if all_choices.field.empty_label is not None:
            limited.insert(0, ("", all_choices.field.empty_label))
        self.choices = limited
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.choices = all_choices
        label = self.model._meta.label_lower
        context["widget"]["search_url"] = reverse("core:autocomplete", args=label.split("."))
        return context


class SearchSelect(SearchSelectMixin, forms.Select):
    pass


class SearchSelectMultiple(SearchSelectMixin, forms.SelectMultiple):
    pass


def use_search_select(field: forms.Field) -> None:
    """Give a choice field over a large, scoped model the searching widget."""
    queryset = getattr(field, "queryset", None)
    if queryset is None or getattr(queryset.model, "scope_paths", None) is None:
        return
    widget_class = (
        SearchSelectMultiple if isinstance(field.widget, forms.SelectMultiple) else SearchSelect
    )
    widget = widget_class(attrs=field.widget.attrs, model=queryset.model)
    widget.choices = field.widget.choices
    field.widget = widget


def autocomplete(request: HttpRequest, app_label: str, model_name: str) -> HttpResponse:
    """The options matching ``q`` among the rows the user may see (plus those chosen)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not hasattr(model, "autocomplete_fields"):
        raise Http404
    if not allows(request.user, "list", model):
        raise PermissionDenied
    rows = model.objects.visible_to(request.user)
    field = request.GET.get("field", "")
    words = request.GET.get(f"q-{field}", "").split()
    for word in words:
        rows = rows.filter(
            reduce(or_, (Q(**{f"{f}__icontains": word}) for f in model.autocomplete_fields))
        )
    chosen_ids = [pk for value in request.GET.getlist(field) if (pk := as_id(value)) is not None]
    chosen = list(model.objects.visible_to(request.user).filter(pk__in=chosen_ids))
    matches = [
        row for row in rows.order_by(*model.autocomplete_fields)[:LIMIT] if row not in chosen
    ]
    return render(
        request,
        "core/widgets/options.html",
        {"chosen": chosen, "matches": matches, "multiple": request.GET.get("multiple") == "1"},
    )
