"""Text as it takes room on a page or in a cell."""

import unicodedata


def display_width(text: str) -> int:
    """How wide ``text`` sets, in Latin characters: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
