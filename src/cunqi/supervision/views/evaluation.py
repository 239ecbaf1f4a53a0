"""The annual evaluation: schemes and their indicators, ranked results and their export."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cunqi.core import xlsx
from cunqi.core.doors import door
from cunqi.core.forms import form_values
from cunqi.core.scoping import user_scope
from cunqi.core.views import (
    ObjectEditView,
    ObjectView,
    ObjectViews,
)
from cunqi.supervision import bulletin as bulletin_documents
from cunqi.supervision import evaluation, filtersets, forms, services, tables
from cunqi.supervision.models import (
    EvaluationScheme,
)
from cunqi.supervision.selectors import evaluation as evaluation_selectors

if TYPE_CHECKING:
    from cunqi.accounts.models import User


class EvaluationSchemeEditView(ObjectEditView):
    """The scheme and its weighted indicators on one page, saved together."""

    template = "core/object_edit_rows.html"

    def render_form(
        self, form: BaseForm, obj: EvaluationScheme | None, status: int = 200, **extra: object
    ) -> HttpResponse:
        return super().render_form(
            form,
            obj,
            status,
            rows_title=_("Indicators"),
            rows_help=_("Each indicator scores out of 100; the weights must sum to exactly 100%."),
            rows_column=4,
            **extra,
        )

    def _indicators(self, obj: EvaluationScheme | None, data: QueryDict | None = None):
        initial = None
        if obj is None:
            initial = [
                {"code": code, "weight": weight}
                for code, weight in services.DEFAULT_WEIGHTS.items()
            ]
        formset = forms.IndicatorFormSet(data, instance=obj or EvaluationScheme(), initial=initial)
        if obj is None:
            formset.extra = len(initial)
        return formset

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(instance=obj, user=request.user)
        return self.render_form(form, obj, rows=self._indicators(obj))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(request.POST, instance=obj, user=request.user)
        indicators = self._indicators(obj, request.POST)
        if form.is_valid() and indicators.is_valid():
            rows = [
                item.save(commit=False)
                for item in indicators.forms
                if item.cleaned_data and not item.cleaned_data.get("DELETE")
            ]
            response = self.save_through_door(
                form,
                lambda: door(EvaluationScheme).save(
                    request.user, obj, {**form_values(form), "indicators": rows}
                ),
            )
            if response:
                return response
        return self.render_form(form, obj, rows=indicators, status=400)


RESULTS_PER_PAGE = 100


class EvaluationSchemeViews(ObjectViews):
    model = EvaluationScheme
    table = tables.EvaluationSchemeTable
    filterset = filtersets.EvaluationSchemeFilterSet
    form = forms.EvaluationSchemeForm
    edit_view = EvaluationSchemeEditView
    prefetch_related = ("indicators",)
    detail_template = "supervision/evaluationscheme_detail.html"

    @classmethod
    def extra_context(cls, scheme: EvaluationScheme, request: HttpRequest) -> dict:
        context = evaluation_context(scheme, evaluation_level(request), request.user)
        # A city ranks a thousand towns: the page shows them a page at a time (the
        # exports hold them all).
        page = Paginator(context["results"], RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        return {**context, "results": page.object_list, "page": page}

    @classmethod
    def urls(cls) -> list:
        return [
            *super().urls(),
            path(
                "evaluationscheme/<id:pk>/export/<str:extension>/",
                EvaluationExportView.as_view(views=cls),
                name="evaluationscheme_file",
            ),
        ]


EVALUATION_LEVELS = {
    "town": gettext_lazy("Towns"),
    "pairing": gettext_lazy("Pairings"),
    "enterprise": gettext_lazy("Enterprises"),
}


def _where(subject: Model, level: str) -> str:
    """What places a ranked subject: a town's zone, a pairing's town."""
    if level == "town":
        return str(subject.zone)
    if level == "pairing":
        return str(subject.village.town)
    return ""


def evaluation_context(scheme: EvaluationScheme, level: str, user: User) -> dict:
    """The ranked towns (and zones), pairings or enterprises, with the columns that
    explain each total. Everyone is ranked against the whole field, but a user is shown
    only the rows in their scope (and the zones' ranking only if they see the city)."""
    indicators = list(scheme.indicators.all())
    base = {"indicators": indicators, "level": level, "levels": EVALUATION_LEVELS.items()}
    try:
        results = evaluation_selectors.evaluate(scheme, level)
    except evaluation.WeightsDoNotSum as error:
        return {
            **base,
            "results": [],
            "zones": [],
            "problem": _("The weights must sum to exactly 100%% (now %(total)s%%).")
            % {"total": f"{error.total:.2f}"},
        }
    zones: dict = {}
    if level == "town":
        for result in results:
            zones.setdefault(result.subject.zone, []).append(result.total)
    zone_rows = sorted(
        ((zone, sum(totals) / len(totals)) for zone, totals in zones.items()),
        key=lambda row: -row[1],
    )
    ranked = len(results)
    if not user_scope(user).everything:
        zone_rows = []
        if results:
            model = type(results[0].subject)
            seen = set(
                model.objects.visible_to(user)
                .filter(pk__in=[result.subject.pk for result in results])
                .values_list("pk", flat=True)
            )
            results = [result for result in results if result.subject.pk in seen]
    return {
        **base,
        "ranked": ranked,
        "results": [
            (result, _where(result.subject, level), [result.parts[i.code] for i in indicators])
            for result in results
        ],
        "zones": [(zone, total.quantize(Decimal("0.01"))) for zone, total in zone_rows],
    }


def evaluation_level(request: HttpRequest) -> str:
    level = request.GET.get("level", "town")
    return level if level in EVALUATION_LEVELS else "town"


class EvaluationExportView(ObjectView):
    """The ranking as Excel or Word, with each indicator's score out of 100."""

    action = "export"
    formats = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }

    def get(self, request: HttpRequest, pk: int, extension: str) -> HttpResponse:
        scheme = self.get_visible(pk)
        if extension not in self.formats:
            raise Http404
        level = evaluation_level(request)
        context = evaluation_context(scheme, level, request.user)
        header = [
            _("rank"),
            str(EVALUATION_LEVELS[level]),
            _("where"),
            _("total"),
            _("grade"),
            *(
                f"{indicator.get_code_display()} ({indicator.weight}%)"
                for indicator in context["indicators"]
            ),
        ]
        rows = [
            [
                result.rank,
                result.subject,
                where,
                result.total,
                result.grade,
                *(part.score for part in parts),
            ]
            for result, where, parts in context["results"]
        ]
        title = f"{scheme} · {EVALUATION_LEVELS[level]}"
        if extension == "xlsx":
            content = xlsx.write_rows(title, header, rows)
        else:
            content = bulletin_documents.table_docx(title, header, rows, timezone.localdate())
        response = HttpResponse(content, content_type=self.formats[extension])
        response["Content-Disposition"] = (
            f'attachment; filename="evaluation-{scheme.year}-{level}.{extension}"'
        )
        return response
