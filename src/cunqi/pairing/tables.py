from decimal import Decimal

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cunqi.core.tables import ObjectTable
from cunqi.pairing.models import MatchingRun, Pairing, Recommendation


class PairingTable(ObjectTable):
    village = tables.Column(linkify=lambda record: record.get_absolute_url())
    town = tables.Column(accessor="village__town", verbose_name=_("town"))
    enterprise = tables.Column(linkify=True)
    leader = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Pairing
        fields = ("village", "town", "enterprise", "leader", "start_date", "status")


class MatchingRunTable(ObjectTable):
    id = tables.Column(verbose_name="#", linkify=lambda record: record.get_absolute_url())
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("started"))
    scope = tables.Column(verbose_name=_("scope"), accessor="pk", orderable=False)

    class Meta(ObjectTable.Meta):
        model = MatchingRun
        fields = (
            "id",
            "created_at",
            "scope",
            "status",
            "villages",
            "candidates",
            "objective",
            "current_objective",
            "started_by",
        )

    def render_scope(self, record: Recommendation) -> str:
        return str(record.town or record.zone or _("whole city"))

    def render_objective(self, value: Decimal | None) -> str:
        return f"{value:.3f}"

    def render_current_objective(self, value: Decimal | None) -> str:
        return f"{value:.3f}"


class RecommendationTable(ObjectTable):
    village = tables.Column(linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(linkify=True)
    run = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Recommendation
        fields = ("village", "enterprise", "score", "distance_km", "decision", "run")

    def render_score(self, value: Decimal | None) -> str:
        return f"{value:.3f}"

    def render_distance_km(self, value: Decimal | None) -> str:
        return f"{value:.1f}"
