"""Demonstration towns and their criteria, nominations and awards."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cunqi.core.doors import door
from cunqi.core.permissions import allows
from cunqi.core.views import (
    Action,
    ObjectActionView,
    ObjectView,
    ObjectViews,
)
from cunqi.registry.models import Town
from cunqi.supervision import filtersets, forms, services, tables
from cunqi.supervision.models import (
    Award,
    DemonstrationCriteria,
    Nomination,
)
from cunqi.supervision.selectors.recognition import demonstration_towns


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
            for item in demonstration_towns(towns)
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
            request,
            ngettext(
                "%(count)s town changed its demonstration status.",
                "%(count)s towns changed their demonstration status.",
                changed,
            )
            % {"count": changed},
        )
        return redirect("supervision:demonstration")


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
    def extra_context(cls, nomination: Nomination, request: HttpRequest) -> dict:
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
