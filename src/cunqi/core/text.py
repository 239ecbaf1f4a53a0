"""Text as it takes room on a page or in a cell."""

import unicodedata
from datetime import date

from django.utils.formats import date_format


def display_width(text: str) -> int:
    """How wide ``text`` sets, in Latin characters: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def month_name(month: date | str) -> str:
    """A month (its first day, or "2026-10" as stored in a message's figures) as the reader's
    language writes it: 2026年10月, October 2026."""
    if isinstance(month, str):
        month = date.fromisoformat(f"{month}-01")
    return date_format(month, "YEAR_MONTH_FORMAT")
