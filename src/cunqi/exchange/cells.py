"""Reading one spreadsheet cell into a Python value, or a message saying what is wrong.

Pure (no database): a column's parser gets the raw cell value (whatever openpyxl gives:
str, int, float, datetime, bool or None) and returns the value or raises ``CellError``
with a message in the active language. Numbers that a spreadsheet stored as floats are
read back through their shortest decimal text, so 0.1 stays 0.10 and never 0.1000000001.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cunqi.core.xlsx import FORMULA_TRIGGERS


class CellError(ValueError):
    pass


Parser = Callable[[object], object]


def _text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and abs(raw) >= 1e15:
        # An identity or account number typed into a number cell: Excel kept 15 digits.
        raise CellError(
            _(
                "Excel stored this as a number and kept only 15 digits: format the cell as text and type it again."
            )
        )
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a code typed as a number: 610881 not 610881.0
    return str(raw).strip()


def text(max_length: int) -> Parser:
    def parse(raw: object) -> str:
        value = _text(raw)
        # Undo the export's neutralisation ('=…), so that an export re-imports unchanged.
        if value[:1] == "'" and value[1:2] and value[1] in FORMULA_TRIGGERS:
            value = value[1:]
        if len(value) > max_length:
            raise CellError(_("At most %(n)s characters.") % {"n": max_length})
        return value

    return parse


def integer(minimum: int | None = 0, maximum: int | None = None) -> Parser:
    def parse(raw: object) -> int | None:
        value = _text(raw)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if number != number.to_integral_value():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
        if minimum is not None and number < minimum:
            raise CellError(_("Must be at least %(n)s.") % {"n": minimum})
        if maximum is not None and number > maximum:
            raise CellError(_("Must be at most %(n)s.") % {"n": maximum})
        return int(number)

    return parse


def money(minimum: Decimal | None = Decimal(0)) -> Parser:
    """Yuan (or mu) with at most two decimal places; thousands separators allowed."""

    def parse(raw: object) -> Decimal | None:
        value = _text(repr(raw) if isinstance(raw, float) else raw).replace(",", "")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from None
        if not number.is_finite() or number != number.quantize(Decimal("0.01")):
            raise CellError(_("Use at most two decimal places."))
        if minimum is not None and number < minimum:
            raise CellError(_("Must not be below %(n)s.") % {"n": minimum})
        return number.quantize(Decimal("0.01"))

    return parse


def day(raw: object) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    value = _text(raw).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CellError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from None


def month(raw: object) -> date | None:
    if isinstance(raw, datetime | date):
        return day(raw).replace(day=1)
    value = _text(raw).replace("/", "-").replace(".", "-")
    if not value:
        return None
    try:
        year, number = value.split("-")[:2]
        return date(int(year), int(number), 1)
    except ValueError:
        raise CellError(_("“%(value)s” is not a month (YYYY-MM).") % {"value": value}) from None


YES = {"是", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "no", "n", "false", "0", ""}


def boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    value = _text(raw).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(_("Write 是 or 否 (yes or no)."))


def choice(options: Mapping[str, object]) -> Parser:
    """One of ``options`` (label or code → stored value), matched without case."""
    folded = {key.casefold(): value for key, value in options.items()}

    def parse(raw: object):
        value = _text(raw)
        if not value:
            return None
        try:
            return folded[value.casefold()]
        except KeyError:
            raise CellError(
                _("“%(value)s” is not one of the choices in the list.") % {"value": value}
            ) from None

    return parse


SEPARATORS = ("、", "，", ",", ";", "；")


def many(item: Parser) -> Parser:
    """Several values in one cell, separated by 、 or a comma (e.g. an enclave project's
    villages): a list, empty when the cell is."""

    def parse(raw: object) -> list:
        value = _text(raw)
        for separator in SEPARATORS[1:]:
            value = value.replace(separator, SEPARATORS[0])
        return [item(part) for part in value.split(SEPARATORS[0]) if part.strip()]

    return parse


@dataclass(frozen=True)
class Column:
    """One column of a template: its field, its header, how to read it and whether it
    must be filled; ``choices`` become the cell's dropdown list."""

    field: str
    header: object  # a lazy translated string
    parse: Parser
    required: bool = False
    example: object = ""
    choices: Callable[[], list[str]] | None = None  # dropdown values, computed when written
    reference: str | None = None  # a lookup name: the cell holds a natural key
    validators: tuple = field(default=())
