"""A land lease's rent, year by year (no database).

Rent is area × rent per mu for each lease year, raised by ``escalation_percent`` every
``every_years`` years (compounding), and prorated by days for a final part year; each
year's amount is rounded to the fen, half up.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


@dataclass(frozen=True)
class RentYear:
    number: int  # 1 for the first lease year
    start: date
    end: date  # exclusive
    amount: Decimal


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def lease_years(start: date, end: date) -> Decimal:
    """The lease's length in years (whole years plus a day fraction of the last)."""
    whole = 0
    while _add_years(start, whole + 1) <= end:
        whole += 1
    tail_start = _add_years(start, whole)
    if tail_start == end:
        return Decimal(whole)
    tail_days = (end - tail_start).days
    year_days = (_add_years(tail_start, 1) - tail_start).days
    return Decimal(whole) + Decimal(tail_days) / Decimal(year_days)


def schedule(
    area: Decimal,
    rent_per_mu: Decimal,
    start: date,
    end: date,
    escalation_percent: Decimal = Decimal(0),
    every_years: int = 0,
) -> list[RentYear]:
    """The rent due for each lease year from ``start`` to ``end`` (exclusive)."""
    years = []
    number = 0
    while (year_start := _add_years(start, number)) < end:
        full_end = _add_years(start, number + 1)
        year_end = min(full_end, end)
        steps = number // every_years if every_years else 0
        annual = area * rent_per_mu * (1 + escalation_percent / 100) ** steps
        share = Decimal((year_end - year_start).days) / Decimal((full_end - year_start).days)
        years.append(
            RentYear(
                number + 1, year_start, year_end, (annual * share).quantize(FEN, ROUND_HALF_UP)
            )
        )
        number += 1
    return years


def starting_in(years: list[RentYear], calendar_year: int) -> list[RentYear]:
    """The lease years counted as a calendar year's rent: those that start in it."""
    return [year for year in years if year.start.year == calendar_year]
