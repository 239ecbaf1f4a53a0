from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cunqi.core import uscc

USCC_MESSAGES = {
    "length": _("A unified social credit code has exactly 18 characters."),
    "character": _(
        "A unified social credit code uses only digits and the capital letters "
        "A–Y except I, O, Z, S and V."
    ),
    "check": _("The check character (the 18th) does not match: please check the code."),
}


def validate_uscc(value: str) -> None:
    if reason := uscc.problem(value):
        raise ValidationError(USCC_MESSAGES[reason], code=f"uscc_{reason}")


def validate_first_of_month(value: date | None) -> None:
    if value is not None and value.day != 1:
        raise ValidationError(_("Give a month: the date must be the first day of the month."))
