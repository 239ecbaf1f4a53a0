"""Evaluation schemes: saved with exactly their indicators, whose weights sum to 100%."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cunqi.core.doors import Door, door, register
from cunqi.supervision import evaluation
from cunqi.supervision.models import (
    EvaluationIndicator,
    EvaluationScheme,
)

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@register
class EvaluationSchemeDoor(Door):
    """A scheme is saved with exactly its indicators (``values["indicators"]``, unsaved),
    whose weights sum to 100%; without them a change keeps the ones it had."""

    model = EvaluationScheme
    extra_inputs = frozenset({"indicators"})

    def check(
        self, row: EvaluationScheme, related: dict, user: User, *, previous: EvaluationScheme | None
    ) -> None:
        if "indicators" not in related:
            if previous is None:
                raise ValidationError(_("A scheme needs its indicators."))
            related["indicators"] = [
                EvaluationIndicator(code=i.code, weight=i.weight)
                for i in EvaluationIndicator.objects.filter(scheme=row.pk)
            ]
        indicators = related["indicators"]
        try:
            evaluation.check_weights(
                [evaluation.Indicator(i.code, "rate", i.weight) for i in indicators]
            )
        except evaluation.WeightsDoNotSum as error:
            raise ValidationError(
                _("The weights must sum to exactly 100%% (now %(total)s%%).")
                % {"total": f"{error.total:.2f}"}
            ) from None

    def write(
        self, row: EvaluationScheme, related: dict, user: User, *, previous: EvaluationScheme | None
    ) -> EvaluationScheme:
        row.save()
        row.indicators.all().delete()
        EvaluationIndicator.objects.bulk_create(
            EvaluationIndicator(scheme=row, code=i.code, weight=i.weight)
            for i in related["indicators"]
        )
        return row


DEFAULT_WEIGHTS = {
    "investment_rate": 25,
    "pairing_coverage": 10,
    "leader_coverage": 5,
    "projects_per_village": 15,
    "collective_income": 15,
    "jobs_per_village": 10,
    "reports_on_time": 10,
    "cards": 10,
}


def save_scheme(
    scheme: EvaluationScheme, indicators: Iterable[Mapping], user: User
) -> EvaluationScheme:
    """Save a scheme with exactly ``indicators`` (unsaved), through its door."""
    return door(EvaluationScheme).save_instance(user, scheme, indicators=list(indicators))
