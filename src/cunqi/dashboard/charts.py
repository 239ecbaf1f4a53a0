"""ECharts options for the cockpit, built from plain figures (no database here)."""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from cunqi.core import ratios


def cumulative_investment(
    points: Sequence[tuple[date, Decimal]], url_for_month: Callable[[date], str]
) -> dict:
    """A line of cumulative completed investment in 万元, one point per month."""
    running = Decimal(0)
    data = []
    for month, amount in points:
        running += amount
        data.append({"value": float(ratios.in_wan(running)), "url": url_for_month(month)})
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 60, "right": 20, "top": 30, "bottom": 40},
        "xAxis": {"type": "category", "data": [f"{month:%Y-%m}" for month, _amount in points]},
        "yAxis": {"type": "value", "name": _("10k yuan")},
        "series": [
            {
                "type": "line",
                "name": _("Cumulative completed investment"),
                "areaStyle": {},
                "data": data,
            }
        ],
    }


def bars(items: Sequence[tuple[str, int, str]], series_name: str) -> dict:
    """Horizontal bars: (label, count, url) per item."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 10, "right": 30, "top": 10, "bottom": 10, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [label for label, _n, _url in items],
        },
        "series": [
            {
                "type": "bar",
                "name": series_name,
                "label": {"show": True, "position": "right"},
                "data": [{"value": n, "url": url} for _label, n, url in items],
            }
        ],
    }


def pie(items: Sequence[tuple[str, int, str]], series_name: str) -> dict:
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "name": series_name,
                # Above the legend, which takes three lines on a phone.
                "center": ["50%", "40%"],
                "radius": ["30%", "55%"],
                # Counts inside the ring; names in the legend, so narrow screens fit.
                "label": {"position": "inside", "formatter": "{c}", "color": "#fff"},
                "data": [{"name": label, "value": n, "url": url} for label, n, url in items],
            }
        ],
    }
