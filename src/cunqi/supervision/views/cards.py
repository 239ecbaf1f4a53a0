"""Card rules, cards and the board."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cunqi.core.permissions import allows
from cunqi.core.views import (
    Action,
    ObjectActionView,
    ObjectView,
    ObjectViews,
)
from cunqi.registry.models import Town
from cunqi.supervision import filtersets, forms, rules, services, tables
from cunqi.supervision.models import (
    Card,
    RuleSetting,
)
from cunqi.supervision.tasks import evaluate_cards


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
    # The colour, subject and reason read as one sentence above these.
    detail_fields = (
        "status",
        "town",
        "issued_on",
        "colour_changed_on",
        "evaluated_on",
        "plan",
        "deadline",
        "cleared_on",
        "cleared_by",
    )
    pages = frozenset({"edit"})  # cards are issued by the rules and never deleted
    action_view = CardClearView

    @classmethod
    def extra_context(cls, card: Card, request: HttpRequest) -> dict:
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
    colours = tuple(map(Card.Colour, rules.BY_URGENCY))

    def get(self, request: HttpRequest) -> HttpResponse:
        cards = Card.objects.visible_to(request.user).exclude(status=Card.Status.CLEARED)
        counts = {
            row["town"]: row
            for row in cards.values("town")
            .annotate(
                **{colour: Count("pk", filter=Q(colour=colour)) for colour in self.colours},
                resolved=Count("pk", filter=Q(status=Card.Status.RESOLVED)),
            )
            .order_by()
        }
        empty = dict.fromkeys((*self.colours, "resolved"), 0)
        zones: dict = {}
        towns = (
            Town.objects.visible_to(request.user)
            .select_related("zone")
            .order_by("zone__name", "name")
        )
        for town in towns:
            row = counts.get(town.pk, empty)
            zone = zones.setdefault(town.zone, {"zone": town.zone, "towns": [], **empty})
            zone["towns"].append(
                {
                    "town": town,
                    "url": self._url(town=town.pk),
                    "resolved": row["resolved"],
                    "colours": [
                        (colour, row[colour], self._url(town=town.pk, colour=colour))
                        for colour in self.colours
                    ],
                }
            )
            for name in empty:
                zone[name] += row[name]
        for zone in zones.values():
            zone["url"] = self._url(zone=zone["zone"].pk)
        if departments := counts.get(None):  # a department's overdue action items
            zones[None] = {
                "zone": _("City departments"),
                "towns": [],
                **{name: departments[name] for name in empty},
                "url": self._url(rule=RuleSetting.Rule.ACTIONS),
            }
        for zone in zones.values():
            zone["colours"] = [(colour, zone[colour]) for colour in self.colours]
        context = self.context(
            zones=list(zones.values()),
            totals=[
                (
                    colour,
                    Card.Colour(colour).label,
                    sum(zone[colour] for zone in zones.values()),
                    self._url(colour=colour),
                )
                for colour in self.colours
            ],
            can_evaluate=allows(request.user, "evaluate", Card),
            last_evaluated=cards.order_by("-evaluated_on")
            .values_list("evaluated_on", flat=True)
            .first(),
        )
        return render(request, "supervision/card_board.html", context)

    @staticmethod
    def _url(**query: object) -> str:
        return f"{reverse('supervision:card_list')}?{urlencode({'status': 'open', **query})}"
