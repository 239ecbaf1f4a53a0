from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from cunqi.core.permissions import allows
from cunqi.core.views import (
    Action,
    ObjectActionView,
    ObjectView,
    ObjectViews,
    workbook_response,
)
from cunqi.pairing import filtersets, forms, selectors, services, tables
from cunqi.pairing.models import MatchingRun, Pairing, Recommendation


class PairingViews(ObjectViews):
    model = Pairing
    table = tables.PairingTable
    filterset = filtersets.PairingFilterSet
    form = forms.PairingForm
    select_related = ("village__town", "enterprise", "leader", "taskforce_contact")


class MatchingRunViews(ObjectViews):
    model = MatchingRun
    table = tables.MatchingRunTable
    filterset = filtersets.MatchingRunFilterSet
    form = forms.MatchingRunForm
    select_related = ("zone", "town", "started_by")
    detail_template = "pairing/matchingrun_detail.html"
    pages = frozenset({"add"})  # a run is a record: never edited or deleted

    @classmethod
    def links(cls, run: MatchingRun) -> list[tuple[str, str]]:
        if run.status != MatchingRun.Status.DONE:
            return []
        return [(_("Download .xlsx"), reverse("pairing:matchingrun_xlsx", args=[run.pk]))]

    @classmethod
    def extra_context(cls, run: MatchingRun, request: HttpRequest) -> dict:
        user = request.user
        # A province run recommends thousands: a page of them at a time, best first.
        page = Paginator(selectors.new_recommendations(run), selectors.RECOMMENDATIONS_PER_PAGE)
        page = page.get_page(request.GET.get("page"))
        existing = run.recommendations.filter(decision=Recommendation.Decision.EXISTING)
        return {
            "rows": selectors.recommendation_rows(page.object_list),
            "page": page,
            "existing_count": existing.count(),
            "can_decide": allows(user, "decide", Recommendation),
            "reject_form": forms.RejectForm(),
            "running": run.status in (MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING),
        }

    @classmethod
    def urls(cls) -> list:
        return [
            *super().urls(),
            path(
                "matchingrun/<id:pk>/progress/",
                MatchingRunProgressView.as_view(views=cls),
                name="matchingrun_progress",
            ),
            path(
                "matchingrun/<id:pk>/xlsx/",
                MatchingRunWorkbookView.as_view(views=cls),
                name="matchingrun_xlsx",
            ),
        ]


class MatchingRunProgressView(ObjectView):
    """The progress bar, polled by the run's page; reloads the page when the run ends."""

    action = "detail"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_visible(pk)
        response = render(request, "pairing/matchingrun_progress.html", {"object": run})
        if run.status in (MatchingRun.Status.DONE, MatchingRun.Status.FAILED):
            response["HX-Refresh"] = "true"
        return response


class MatchingRunWorkbookView(ObjectView):
    action = "export"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_visible(pk)
        return workbook_response(selectors.recommendations_xlsx(run), f"matching-run-{run.pk}.xlsx")


class RecommendationDecisionView(ObjectActionView):
    """Accept (a proposed pairing is created) or reject (with a reason) a recommendation."""

    actions = {
        "accept": Action(
            "decide",
            lambda recommendation, request: (
                _("Proposed pairing created: %(pairing)s.")
                % {"pairing": services.accept(recommendation, request.user)}
            ),
        ),
        "reject": Action(
            "decide",
            lambda recommendation, request: (
                services.reject(recommendation, request.user, request.POST.get("reason", ""))
                and _("Rejection recorded.")
            ),
        ),
    }

    def redirect_to(self, recommendation: Recommendation) -> str:
        page = selectors.page_of(recommendation)
        url = recommendation.run.get_absolute_url()
        return f"{url}?page={page}#recommendation-{recommendation.pk}"


class RecommendationViews(ObjectViews):
    model = Recommendation
    table = tables.RecommendationTable
    filterset = filtersets.RecommendationFilterSet
    pages = frozenset()
    action_view = RecommendationDecisionView
    select_related = ("village__town", "enterprise", "run__zone", "run__town", "pairing")
    detail_fields = (
        "run",
        "village",
        "enterprise",
        "score",
        "distance_km",
        "decision",
        "reason",
        "decided_by",
        "decided_at",
        "pairing",
    )
