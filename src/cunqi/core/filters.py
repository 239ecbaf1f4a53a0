from collections.abc import Callable
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from cunqi.core.autocomplete import use_search_select
from cunqi.core.forms import storable_ids
from cunqi.core.personal import lookup


def visible(model: type[Model]) -> Callable[[HttpRequest], QuerySet]:
    """A filter's choices: the rows of ``model`` the requesting user may see."""

    def queryset(request: HttpRequest) -> QuerySet:
        return model.objects.visible_to(request.user if request else None)

    return queryset


class YearFilter(django_filters.NumberFilter):
    """A calendar year: whole, and within the years a date can hold (year 0 is none)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label", _("year"))
        super().__init__(*args, min_value=1, max_value=9999, **kwargs)


class AnyYesNoWidget(BooleanWidget):
    """A yes/no filter whose empty choice reads 'All' rather than 'Unknown'."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class SearchFilterSet(django_filters.FilterSet):
    """A filter set with a free-text ``q`` over ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    # Personal fields (sealed) a word finds a row by when it is the full value.
    lookup_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(label=_("Search"), method="search")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                reduce(
                    or_,
                    [
                        *(Q(**{f"{field}__icontains": word}) for field in self.search_fields),
                        *(lookup(queryset.model, field, word) for field in self.lookup_fields),
                    ],
                )
            )
        return queryset

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # An id no database holds (2^64) is an invalid choice, not a server error.
            self.data = storable_ids(
                self.data,
                [
                    name
                    for name, filter_ in self.filters.items()
                    if isinstance(filter_.field, forms.ModelChoiceField)
                ],
            )
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.BooleanFilter):
                filter_.field.widget = AnyYesNoWidget()
            widget = filter_.field.widget
            css = "form-select" if hasattr(widget, "choices") else "form-control"
            widget.attrs.setdefault(
                "class", f"{css} form-select-sm" if css == "form-select" else css
            )
            use_search_select(filter_.field)
