from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cunqi.benefits.equity import shares_problem
from cunqi.benefits.models import EquityStructure, Stake


def share_message(problem: str, total) -> str:
    messages = {
        "empty": _("An equity structure needs at least one stake."),
        "range": _("Each share is more than 0% and at most 100%."),
        "sum": _("The shares must sum to exactly 100%% (now %(total)s%%).")
        % {"total": f"{total:.2f}"},
    }
    return messages[problem]


@transaction.atomic
def save_structure(structure: EquityStructure, stakes: Iterable[Stake]) -> EquityStructure:
    """Save ``structure`` with exactly ``stakes`` (unsaved), complete: all or nothing.

    The database refuses a complete structure whose stakes do not sum to 100%; this
    checks first, so the user gets a message instead of an error.
    """
    structure.validate_constraints()
    stakes = list(stakes)
    shares = [stake.share for stake in stakes]
    if problem := shares_problem(shares):
        raise ValidationError(share_message(problem, sum(shares)))
    if structure.pk:
        EquityStructure.objects.filter(pk=structure.pk).update(is_complete=False)
    structure.is_complete = False
    structure.save()
    structure.stakes.all().delete()
    for stake in stakes:
        stake.pk = None
        stake.structure = structure
        stake.save()
    EquityStructure.objects.filter(pk=structure.pk).update(is_complete=True)
    structure.is_complete = True
    return structure
