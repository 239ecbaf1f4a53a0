"""Row ids as users send them: whatever arrives (a word, a fraction, 2^64, a superscript
digit), only an id some database can hold is ever looked up."""

BIGGEST_ID = 2**63 - 1


def as_id(value: object) -> int | None:
    """``value`` as a row id (1 … 2^63 − 1), or None."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= BIGGEST_ID else None
