"""The pages of the reference data; every reference kind shares one table, filter and form."""

import django_tables2 as tables
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core.declarations import templated_documents
from cunqi.core.filters import SearchFilterSet
from cunqi.core.forms import ScopedModelForm
from cunqi.core.models import (
    CalendarDay,
    CooperationModel,
    Department,
    Dimension,
    DocumentTemplate,
    Industry,
    ReferenceItem,
    ResourceKind,
)
from cunqi.core.tables import ObjectTable
from cunqi.core.views import ObjectView, ObjectViews
from cunqi.core.wordtemplates import builtin
from cunqi.core.workdays import years_to_enter


def reference_views(reference_model: type[ReferenceItem]) -> type[ObjectViews]:
    extra = reference_model.extra_fields

    class Table(ObjectTable):
        code = tables.Column(linkify=True)

        class Meta(ObjectTable.Meta):
            model = reference_model
            fields = ("code", "name_zh", "name_en", *extra, "sort_order", "is_active")

    class Filters(SearchFilterSet):
        search_fields = ("code", "name_zh", "name_en")

        class Meta:
            model = reference_model
            fields = ("is_active",)

    class Form(ScopedModelForm):
        class Meta:
            model = reference_model
            fields = ("code", "name_zh", "name_en", *extra, "sort_order", "is_active")

    return type(
        f"{reference_model.__name__}Views",
        (ObjectViews,),
        {"model": reference_model, "table": Table, "filterset": Filters, "form": Form},
    )


REFERENCE_MODELS = (Industry, CooperationModel, Dimension, Department, ResourceKind)


class CalendarDayTable(ObjectTable):
    day = tables.DateColumn(format="Y-m-d", linkify=True)

    class Meta(ObjectTable.Meta):
        model = CalendarDay
        fields = ("day", "working", "name")


class CalendarDayFilters(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = CalendarDay
        fields = ("working",)


class CalendarDayForm(ScopedModelForm):
    class Meta:
        model = CalendarDay
        fields = ("day", "working", "name")


class CalendarDayViews(ObjectViews):
    model = CalendarDay
    table = CalendarDayTable
    filterset = CalendarDayFilters
    form = CalendarDayForm

    @classmethod
    def list_warnings(cls) -> list[str]:
        return [
            _(
                "No holidays of %(year)s are entered: its time limits count Monday to Friday "
                "only. Add the year's holidays and make-up working days as the State Council "
                "announces them."
            )
            % {"year": year}
            for year in years_to_enter(timezone.localdate())
        ]


class DocumentTemplateTable(ObjectTable):
    document = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = DocumentTemplate
        fields = ("document", "language", "file_name", "note", "updated_at")


class DocumentTemplateForm(ScopedModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ("document", "language", "file", "note")


class DocumentTemplateViews(ObjectViews):
    model = DocumentTemplate
    table = DocumentTemplateTable
    form = DocumentTemplateForm
    file_field = "file"
    detail_fields = ("document", "language", "file_name", "note")

    @classmethod
    def links(cls, template: DocumentTemplate) -> list[tuple[str, str]]:
        return [(_("Download"), reverse("core:documenttemplate_file", args=[template.pk]))]

    @classmethod
    def list_links(cls) -> list[tuple[str, str]]:
        return [
            (
                _("Built-in template: %(document)s") % {"document": document.label},
                reverse("core:documenttemplate_builtin", args=[kind]),
            )
            for kind, document in templated_documents().items()
        ]

    @classmethod
    def urls(cls) -> list:
        return [
            path(
                "documenttemplate/builtin/<slug:kind>/",
                BuiltinTemplateView.as_view(views=cls),
                name="documenttemplate_builtin",
            ),
            *super().urls(),
        ]


class BuiltinTemplateView(ObjectView):
    """The built-in template of a document, for an office to start its own from."""

    action = "list"

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in templated_documents():
            raise Http404
        response = HttpResponse(
            builtin(kind),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.docx"'
        return response


def urlpatterns() -> list:
    patterns = CalendarDayViews.urls() + DocumentTemplateViews.urls()
    for model in REFERENCE_MODELS:
        patterns += reference_views(model).urls()
    return patterns
