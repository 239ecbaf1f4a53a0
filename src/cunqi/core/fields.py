"""Money is Decimal yuan with two places; area is mu (亩) with two places (DESIGN §2).

Both are stored as whole hundredths (fen, 0.01 mu) in a 64-bit integer column. SQLite keeps
a decimal column as a binary float and sums it in floating point, so 7.7亿 of monthly
investments summed to 769,999,999.999999 there; integers sum exactly on every database.
In Python the value is always a ``Decimal`` with exactly two places.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core import exceptions
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")
HUNDREDTH = Decimal("0.01")


class HundredthsField(models.BigIntegerField):
    """A Decimal with two places, stored as an integer count of hundredths."""

    description = _("Decimal number with two places")
    default_error_messages = {
        "invalid": _("“%(value)s” must be a number with at most two decimal places."),
    }

    def from_db_value(
        self, value: int | None, expression: object, connection: object
    ) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-2)

    def to_python(self, value: object) -> Decimal | None:
        if value is None:
            return None
        try:
            number = Decimal(str(value).strip())
            if not number.is_finite() or number != number.quantize(HUNDREDTH):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        return number.quantize(HUNDREDTH)

    def get_prep_value(self, value: object) -> object:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return int(self.to_python(value).scaleb(2))

    def formfield(self, **kwargs: object) -> forms.Field:
        return models.Field.formfield(
            self,
            **{"form_class": forms.DecimalField, "max_digits": 17, "decimal_places": 2, **kwargs},
        )


class MoneyField(HundredthsField):
    """Yuan, exact to the fen."""


class AreaField(HundredthsField):
    """Mu (亩), exact to 0.01 mu."""


non_negative = MinValueValidator(ZERO)


class UsccField(models.CharField):
    """A unified social credit code, kept as written on the licence: trimmed, capitals."""

    def to_python(self, value: object) -> str | None:
        value = super().to_python(value)
        return value.strip().upper() if isinstance(value, str) else value
