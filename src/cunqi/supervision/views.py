from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cunqi.core import xlsx
from cunqi.core.doors import door
from cunqi.core.forms import form_values
from cunqi.core.permissions import allows
from cunqi.core.scoping import user_scope
from cunqi.core.views import (
    Action,
    ObjectActionView,
    ObjectEditView,
    ObjectView,
    ObjectViews,
    Section,
)
from cunqi.registry.models import Town
from cunqi.supervision import bulletin as bulletin_documents
from cunqi.supervision import evaluation, filtersets, forms, services, tables
from cunqi.supervision.models import (
    ActionItem,
    Award,
    Bulletin,
    Card,
    DemonstrationCriteria,
    EvaluationScheme,
    Meeting,
    MonthlyReport,
    Nomination,
    QuarterlyReview,
    ReportAttachment,
    RuleSetting,
)
from cunqi.supervision.tasks import evaluate_cards


class ReportActionView(ObjectActionView):
    """Submit a report, or accept or return it with a comment."""

    actions = {
        "submit": Action(
            "submit", lambda report, request: services.submit_report(report, request.user)
        ),
        "accept": Action(
            "review",
            lambda report, request: services.review_report(report, request.user, accept=True),
        ),
        "return": Action(
            "review",
            lambda report, request: services.review_report(
                report, request.user, accept=False, comment=request.POST.get("comment", "")
            ),
        ),
    }


class ReportAttachmentViews(ObjectViews):
    model = ReportAttachment
    table = tables.ReportAttachmentTable
    filterset = filtersets.ReportAttachmentFilterSet
    form = forms.ReportAttachmentForm
    select_related = ("report__project", "report__pairing__village", "report__pairing__enterprise")
    pages = frozenset({"add", "delete"})
    file_field = "file"


class MonthlyReportViews(ObjectViews):
    model = MonthlyReport
    table = tables.MonthlyReportTable
    filterset = filtersets.MonthlyReportFilterSet
    form = forms.MonthlyReportForm
    select_related = (
        "project",
        "pairing__village",
        "pairing__enterprise",
        "submitted_by",
        "reviewed_by",
    )
    detail_template = "supervision/monthlyreport_detail.html"
    action_view = ReportActionView
    sections = (
        Section(
            gettext_lazy("Photos and attachments"),
            lambda: ReportAttachmentViews,
            lambda report: report.attachments.all(),
            exclude=("report",),
        ),
    )

    @classmethod
    def links(cls, report: MonthlyReport) -> list[tuple[str, str]]:
        if not door(MonthlyReport).may_change(report):
            return []
        url = f"{reverse('supervision:reportattachment_add')}?report={report.pk}"
        return [(_("Attach a photo or file"), url)]

    @classmethod
    def extra_context(cls, report: MonthlyReport, request) -> dict:
        user = request.user
        can_submit = door(MonthlyReport).may_change(report) and allows(
            user, "submit", MonthlyReport
        )
        can_review = report.status == MonthlyReport.Status.SUBMITTED and allows(
            user, "review", MonthlyReport
        )
        return {"can_submit": can_submit, "can_review": can_review}


class ActionItemViews(ObjectViews):
    model = ActionItem
    table = tables.ActionItemTable
    filterset = filtersets.ActionItemFilterSet
    form = forms.ActionItemForm
    select_related = ("meeting", "owner_town", "owner_department")


class MeetingViews(ObjectViews):
    model = Meeting
    table = tables.MeetingTable
    filterset = filtersets.MeetingFilterSet
    form = forms.MeetingForm
    prefetch_related = ("departments",)
    sections = (
        Section(
            gettext_lazy("Action items"),
            lambda: ActionItemViews,
            lambda meeting: meeting.action_items.all(),
            exclude=("meeting",),
        ),
    )

    @classmethod
    def links(cls, meeting: Meeting) -> list[tuple[str, str]]:
        return [
            (
                _("Add an action item"),
                f"{reverse('supervision:actionitem_add')}?meeting={meeting.pk}",
            )
        ]


class BulletinRequestView(ObjectEditView):
    """Ask for a month's bulletin (again): the task writes its three files."""

    def action_for(self, kwargs) -> str:
        return "generate"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"month": timezone.localdate().replace(day=1), "language": "zh-hans"}
        return self.render_form(forms.BulletinForm(initial=initial, user=request.user), None)


class BulletinFileView(ObjectView):
    action = "detail"

    def get(self, request: HttpRequest, pk: int, extension: str) -> HttpResponse:
        bulletin = self.get_visible(pk)
        if extension not in ("docx", "xlsx", "pdf") or not getattr(bulletin, extension):
            raise Http404
        return FileResponse(
            getattr(bulletin, extension).open("rb"),
            as_attachment=True,
            filename=bulletin_documents.file_name(bulletin.month, extension),
        )


class BulletinViews(ObjectViews):
    model = Bulletin
    table = tables.BulletinTable
    filterset = filtersets.BulletinFilterSet
    form = forms.BulletinForm
    edit_view = BulletinRequestView
    pages = frozenset({"add"})
    detail_template = "supervision/bulletin_detail.html"
    detail_fields = ("month", "language", "status", "message", "generated_at")

    @classmethod
    def extra_context(cls, bulletin: Bulletin, request) -> dict:
        user = request.user
        return {"can_generate": allows(user, "generate", Bulletin)}

    @classmethod
    def urls(cls) -> list:
        return [
            *super().urls(),
            path(
                "bulletin/<id:pk>/<str:extension>/",
                BulletinFileView.as_view(views=cls),
                name="bulletin_file",
            ),
        ]


class DemonstrationCriteriaViews(ObjectViews):
    model = DemonstrationCriteria
    table = tables.DemonstrationCriteriaTable
    form = forms.DemonstrationCriteriaForm
    pages = frozenset({"edit"})

    @classmethod
    def urls(cls) -> list:
        return [
            *super().urls(),
            path("demonstration/", DemonstrationTownsView.as_view(views=cls), name="demonstration"),
        ]


class DemonstrationTownsView(ObjectView):
    """Each town judged by the criteria; the task force names those that qualify."""

    action = "list"

    def get(self, request: HttpRequest) -> HttpResponse:
        towns = list(
            Town.objects.visible_to(request.user)
            .select_related("zone")
            .order_by("zone__name", "name")
        )
        shortfall_texts = {
            "unpaired": _("%(village)s is in no active pairing"),
            "projects": _("%(village)s has too few projects"),
        }
        rows = [
            (
                item,
                [
                    shortfall_texts[code] % {"village": name}
                    for name, code in item.verdict.shortfalls
                ],
            )
            for item in services.demonstration_towns(towns)
        ]
        return render(
            request,
            "supervision/demonstration.html",
            self.context(
                towns=rows,
                criteria=DemonstrationCriteria.current(),
                can_name=allows(request.user, "name_towns", DemonstrationCriteria),
                can_edit=allows(request.user, "edit", DemonstrationCriteria),
            ),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if not allows(request.user, "name_towns", DemonstrationCriteria):
            raise PermissionDenied
        changed = services.name_demonstration_towns(list(Town.objects.all()))
        messages.success(
            request, _("%(count)s towns changed their demonstration status.") % {"count": changed}
        )
        return redirect("supervision:demonstration")


class EvaluationSchemeEditView(ObjectEditView):
    """The scheme and its weighted indicators on one page, saved together."""

    template = "core/object_edit_rows.html"

    def render_form(self, form, obj, status: int = 200, **extra) -> HttpResponse:
        return super().render_form(
            form,
            obj,
            status,
            rows_title=_("Indicators"),
            rows_help=_("Each indicator scores out of 100; the weights must sum to exactly 100%."),
            rows_column=4,
            **extra,
        )

    def _indicators(self, obj, data=None):
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


class EvaluationSchemeViews(ObjectViews):
    model = EvaluationScheme
    table = tables.EvaluationSchemeTable
    filterset = filtersets.EvaluationSchemeFilterSet
    form = forms.EvaluationSchemeForm
    edit_view = EvaluationSchemeEditView
    prefetch_related = ("indicators",)
    detail_template = "supervision/evaluationscheme_detail.html"

    @classmethod
    def extra_context(cls, scheme: EvaluationScheme, request) -> dict:
        return evaluation_context(scheme, evaluation_level(request), request.user)

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


def _where(subject, level: str) -> str:
    """What places a ranked subject: a town's zone, a pairing's town."""
    if level == "town":
        return str(subject.zone)
    if level == "pairing":
        return str(subject.village.town)
    return ""


def evaluation_context(scheme: EvaluationScheme, level: str, user) -> dict:
    """The ranked towns (and zones), pairings or enterprises, with the columns that
    explain each total. Everyone is ranked against the whole field, but a user is shown
    only the rows in their scope (and the zones' ranking only if they see the city)."""
    indicators = list(scheme.indicators.all())
    base = {"indicators": indicators, "level": level, "levels": EVALUATION_LEVELS.items()}
    try:
        results = services.evaluate(scheme, level)
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
            content = bulletin_documents.table_docx(title, header, rows)
        response = HttpResponse(content, content_type=self.formats[extension])
        response["Content-Disposition"] = (
            f'attachment; filename="evaluation-{scheme.year}-{level}.{extension}"'
        )
        return response


class QuarterlyReviewViews(ObjectViews):
    model = QuarterlyReview
    table = tables.QuarterlyReviewTable
    filterset = filtersets.QuarterlyReviewFilterSet
    form = forms.QuarterlyReviewForm
    select_related = ("zone", "town", "pairing__village", "pairing__enterprise")

    @classmethod
    def figures(cls, review: QuarterlyReview) -> list[tuple[str, object]]:
        return [(_("total"), f"{review.total} / 100")]


class NominationDecisionView(ObjectActionView):
    actions = {
        decision: Action(
            "decide",
            lambda nomination, request, approve=approve: services.decide_nomination(
                nomination, request.user, approve=approve, note=request.POST.get("note", "")
            ),
        )
        for decision, approve in (("approve", True), ("decline", False))
    }


class NominationViews(ObjectViews):
    model = Nomination
    table = tables.NominationTable
    filterset = filtersets.NominationFilterSet
    form = forms.NominationForm
    select_related = ("village", "project", "enterprise")
    detail_template = "supervision/nomination_detail.html"
    action_view = NominationDecisionView

    @classmethod
    def extra_context(cls, nomination: Nomination, request) -> dict:
        user = request.user
        return {
            "can_decide": door(Nomination).may_change(nomination)
            and allows(user, "decide", Nomination)
        }


class AwardViews(ObjectViews):
    model = Award
    table = tables.AwardTable
    filterset = filtersets.AwardFilterSet
    form = forms.AwardForm
    select_related = ("town", "enterprise")


class RuleSettingViews(ObjectViews):
    model = RuleSetting
    table = tables.RuleSettingTable
    filterset = filtersets.RuleSettingFilterSet
    form = forms.RuleSettingForm


class CardClearView(ObjectActionView):
    actions = {
        "clear": Action(
            "clear",
            lambda card, request: (
                services.clear_card(card, request.user) and _("The card is cleared.")
            ),
        )
    }


class CardEvaluateView(ObjectView):
    """Evaluate every rule now (queued as a task, as the monthly run is)."""

    http_method_names = ["post"]
    action = "evaluate"

    def post(self, request: HttpRequest) -> HttpResponse:
        evaluate_cards.enqueue()
        messages.success(request, _("The rules are being evaluated; the board updates when done."))
        return redirect("supervision:card_board")


class CardViews(ObjectViews):
    model = Card
    table = tables.CardTable
    filterset = filtersets.CardFilterSet
    form = forms.CardForm
    select_related = (
        "project",
        "pairing__village",
        "pairing__enterprise",
        "action_item",
        "town",
        "cleared_by",
    )
    detail_template = "supervision/card_detail.html"
    pages = frozenset({"edit"})  # cards are issued by the rules and never deleted
    action_view = CardClearView

    @classmethod
    def figures(cls, card: Card) -> list[tuple[str, object]]:
        return [(_("reason"), card.reason_text)]

    @classmethod
    def extra_context(cls, card: Card, request) -> dict:
        user = request.user
        return {"can_clear": card.status == Card.Status.RESOLVED and allows(user, "clear", Card)}

    @classmethod
    def urls(cls) -> list:
        return [
            path("card/board/", CardBoardView.as_view(views=cls), name="card_board"),
            path("card/evaluate/", CardEvaluateView.as_view(views=cls), name="card_evaluate"),
            *super().urls(),
        ]


class CardBoardView(ObjectView):
    """Open cards by zone and town and colour; each figure opens the cards it counts."""

    action = "list"

    def get(self, request: HttpRequest) -> HttpResponse:
        cards = Card.objects.visible_to(request.user).exclude(status=Card.Status.CLEARED)
        counts = {
            row["town"]: row
            for row in cards.values("town")
            .annotate(
                red=Count("pk", filter=Q(colour=Card.Colour.RED)),
                yellow=Count("pk", filter=Q(colour=Card.Colour.YELLOW)),
                resolved=Count("pk", filter=Q(status=Card.Status.RESOLVED)),
            )
            .order_by()
        }
        zones: dict = {}
        towns = (
            Town.objects.visible_to(request.user)
            .select_related("zone")
            .order_by("zone__name", "name")
        )
        for town in towns:
            row = counts.get(town.pk, {"red": 0, "yellow": 0, "resolved": 0})
            zone = zones.setdefault(
                town.zone, {"zone": town.zone, "towns": [], "red": 0, "yellow": 0}
            )
            zone["towns"].append(
                {
                    **row,
                    "town": town,
                    "url": self._url(town=town.pk),
                    "red_url": self._url(town=town.pk, colour=Card.Colour.RED),
                    "yellow_url": self._url(town=town.pk, colour=Card.Colour.YELLOW),
                }
            )
            zone["red"] += row["red"]
            zone["yellow"] += row["yellow"]
        for zone in zones.values():
            zone["url"] = self._url(zone=zone["zone"].pk)
        if departments := counts.get(None):  # a department's overdue action items
            zones[None] = {
                "zone": _("City departments"),
                "towns": [],
                "red": departments["red"],
                "yellow": departments["yellow"],
                "url": self._url(rule=RuleSetting.Rule.ACTIONS),
            }
        context = self.context(
            zones=list(zones.values()),
            red=sum(z["red"] for z in zones.values()),
            yellow=sum(z["yellow"] for z in zones.values()),
            red_url=self._url(colour=Card.Colour.RED),
            yellow_url=self._url(colour=Card.Colour.YELLOW),
            can_evaluate=allows(request.user, "evaluate", Card),
            last_evaluated=cards.order_by("-evaluated_on")
            .values_list("evaluated_on", flat=True)
            .first(),
        )
        return render(request, "supervision/card_board.html", context)

    @staticmethod
    def _url(**query) -> str:
        return f"{reverse('supervision:card_list')}?{urlencode({'status': 'open', **query})}"
