"""The unified social credit code (统一社会信用代码, GB 32100-2015).

Eighteen characters from a 31-letter alphabet (no I, O, Z, S, V); the last one is a check
character computed from the first seventeen with the standard's weights.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(body: str) -> str:
    """The check character for the first seventeen characters of a code."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, or None when it is: 'length', 'character' or 'check'."""
    if len(code) != LENGTH:
        return "length"
    if any(char not in ALPHABET for char in code):
        return "character"
    if check_character(code[:-1]) != code[-1]:
        return "check"
    return None
