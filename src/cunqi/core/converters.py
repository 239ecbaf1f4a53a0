"""Path converters for ids and years that no database or calendar refuses: a URL with an
id beyond 64 bits or a year outside the programme's answers 404, not a server error."""


class IdConverter:
    """A row's id: up to 18 digits, always below 2^63."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


class YearConverter:
    """A year of the programme's calendar (2000–2100, as the models' years)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not 2000 <= year <= 2100:
            raise ValueError("year outside the programme's calendar")
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"
