"""Where the programme stands on the ground: villages, enterprises, pairings and projects
at their coordinates, as the user may see them, for the map page; and the paired villages
alone for the public page. Boundaries are the deployment's own GeoJSON
(``CUNQI_MAP_GEOJSON``); without one the points stand on a blank map."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cunqi.pairing.models import Pairing
from cunqi.projects.models import Project
from cunqi.registry.models import Enterprise, Village
from cunqi.supervision.models import Card

# More points than a phone draws smoothly: the rest is left to a zone's or a town's map.
MOST_POINTS = 20_000


@dataclass(frozen=True)
class Point:
    longitude: float  # drawing coordinates, not figures: floats are exact enough
    latitude: float
    name: str
    url: str
    group: str = ""  # the legend entry it belongs to (its zone, or its worst card)
    size: float = 0.0  # a project's planned investment (10k yuan), a town's paired villages


@dataclass
class Layers:
    villages: list[Point] = field(default_factory=list)
    enterprises: list[Point] = field(default_factory=list)
    projects: list[Point] = field(default_factory=list)
    pairings: list[tuple[Point, Point]] = field(default_factory=list)
    left_out: int = 0  # points beyond MOST_POINTS


def _located(rows: QuerySet) -> QuerySet:
    return rows.filter(latitude__isnull=False, longitude__isnull=False)


def _point(row: Village | Enterprise, group: str = "", size: float = 0.0) -> Point:
    return Point(
        float(row.longitude), float(row.latitude), str(row), row.get_absolute_url(), group, size
    )


def worst_cards(village_ids: set[int]) -> dict[int, str]:
    """Each village's worst open card colour (red before yellow), by its projects' and its
    pairings' cards."""
    worst: dict[int, str] = {}
    cards = Card.objects.filter(status=Card.Status.OPEN).exclude(colour=Card.Colour.GREEN)
    through = Project.villages.through.objects
    by_project = defaultdict(set)
    for project, village in through.filter(village__in=village_ids).values_list(
        "project", "village"
    ):
        by_project[project].add(village)
    for project, village, colour in cards.filter(
        Q(project__in=by_project) | Q(pairing__village__in=village_ids)
    ).values_list("project", "pairing__village", "colour"):
        for place in by_project.get(project, {village} if village else set()):
            if worst.get(place) != Card.Colour.RED:
                worst[place] = colour
    return worst


# A village's band by the planned investment of the projects it takes part in (a project
# of several villages counts whole in each: the map shows where money goes, not shares).
INVESTMENT_BANDS = (
    ("large", Decimal(10_000_000)),
    ("medium", Decimal(1_000_000)),
    ("small", Decimal("0.01")),
)


def investment_band(total: Decimal) -> str:
    return next((band for band, floor in INVESTMENT_BANDS if total >= floor), "none")


def village_investments(user: AbstractBaseUser, village_ids: set[int]) -> dict[int, Decimal]:
    """The planned investment of the projects ``user`` may see, by village."""
    return dict(
        Project.objects.visible_to(user)
        .filter(villages__in=village_ids)
        .values_list("villages")
        .annotate(total=Sum("planned_investment"))
        .order_by()
    )


def layers_for(
    user: AbstractBaseUser,
    *,
    zone: int | None = None,
    town: int | None = None,
    colour: str = "zone",
) -> Layers:
    """What ``user`` may see, within ``zone`` or ``town``, coloured by zone, by card or by
    investment."""
    villages = _located(Village.objects.visible_to(user)).select_related("town__zone")
    if town:
        villages = villages.filter(town=town)
    elif zone:
        villages = villages.filter(town__zone=zone)
    total = villages.count()
    villages = list(villages.order_by("town__zone__sort_order", "town__name", "name")[:MOST_POINTS])
    ids = {village.pk for village in villages}
    cards = worst_cards(ids) if colour == "card" else {}
    invested = village_investments(user, ids) if colour == "investment" else {}
    layers = Layers()
    for village in villages:
        if colour == "card":
            group = cards.get(village.pk, "")
        elif colour == "investment":
            group = investment_band(invested.get(village.pk) or Decimal(0))
        else:
            group = str(village.town.zone)
        layers.villages.append(_point(village, group))
    pairings = (
        Pairing.objects.visible_to(user)
        .filter(status__in=Pairing.OPEN_STATUSES, village__in=ids)
        .select_related("village", "enterprise")
    )
    at = {village.pk: point for village, point in zip(villages, layers.villages, strict=True)}
    partners = {}
    for pairing in pairings:
        enterprise = pairing.enterprise
        if enterprise.latitude is None or enterprise.longitude is None:
            continue
        partners.setdefault(enterprise.pk, _point(enterprise))
        layers.pairings.append((at[pairing.village_id], partners[enterprise.pk]))
    layers.enterprises = list(partners.values())
    first_village = {}
    for project, village in (
        Project.villages.through.objects.filter(village__in=ids)
        .order_by("project", "village")
        .values_list("project", "village")
    ):
        first_village.setdefault(project, village)
    for project in Project.objects.visible_to(user).filter(pk__in=first_village):
        place = at[first_village[project.pk]]
        layers.projects.append(
            Point(
                place.longitude,
                place.latitude,
                project.name,
                project.get_absolute_url(),
                project.get_status_display(),
                float(project.planned_investment) / 10_000,
            )
        )
    layers.left_out = total - len(villages)
    return layers


def public_towns() -> list[tuple[str, str, float, float, int]]:
    """For the public page: each town with paired villages, its zone, the middle of those
    villages and their count (no village is named, no card, no figure but the count)."""
    places = defaultdict(list)
    for town, zone, latitude, longitude in (
        _located(Village.objects.filter(pairings__status=Pairing.Status.ACTIVE))
        .distinct()
        .values_list("town__name", "town__zone__name", "latitude", "longitude")
    ):
        places[(town, zone)].append((float(longitude), float(latitude)))
    return [
        (
            town,
            zone,
            sum(x for x, _y in points) / len(points),
            sum(y for _x, y in points) / len(points),
            len(points),
        )
        for (town, zone), points in sorted(places.items())
    ]


def public_layers(towns: list[tuple[str, str, float, float, int]]) -> Layers:
    """The public map of ``towns`` (as ``public_towns`` gives them), named in the reader's
    language."""
    return Layers(
        villages=[
            Point(
                longitude,
                latitude,
                ngettext(
                    "%(town)s: %(count)s paired village",
                    "%(town)s: %(count)s paired villages",
                    count,
                )
                % {"town": town, "count": count},
                "",  # no link: a town's page is for signed-in users
                zone,
                count,
            )
            for town, zone, longitude, latitude, count in towns
        ]
    )


CARD_COLOURS = {Card.Colour.RED: "#d63939", Card.Colour.YELLOW: "#f59f00", "": "#2fb344"}
BAND_COLOURS = {"large": "#5f3dc4", "medium": "#9775fa", "small": "#d0bfff", "none": "#adb5bd"}


def _legend(colour: str) -> dict[str, tuple[str, str]]:
    """Each fixed group's legend name and colour (zones take ECharts' own colours)."""
    if colour == "card":
        return {
            Card.Colour.RED: (_("red card"), CARD_COLOURS[Card.Colour.RED]),
            Card.Colour.YELLOW: (_("yellow card"), CARD_COLOURS[Card.Colour.YELLOW]),
            "": (_("no open card"), CARD_COLOURS[""]),
        }
    if colour == "investment":
        return {
            "large": (_("projects of 10 million yuan or more"), BAND_COLOURS["large"]),
            "medium": (_("projects of 1 to 10 million yuan"), BAND_COLOURS["medium"]),
            "small": (_("projects under 1 million yuan"), BAND_COLOURS["small"]),
            "none": (_("no project"), BAND_COLOURS["none"]),
        }
    return {}


def option(layers: Layers, *, boundaries: bool, colour: str = "zone") -> dict:
    """The map's ECharts option (pure: no database). Without the deployment's boundaries
    the view is the points' extent on a blank map."""
    legend = _legend(colour)
    by_group: dict[str, list[Point]] = defaultdict(list)
    for point in layers.villages:
        by_group[point.group].append(point)

    def data(points: list[Point]) -> list[dict]:
        return [{"name": p.name, "value": [p.longitude, p.latitude], "url": p.url} for p in points]

    def counted(points: list[Point]) -> list[dict]:
        # A town's point on the public map grows with its paired villages.
        return [
            {**item, "symbolSize": round(6 + 4 * point.size**0.5, 1)} if point.size else item
            for item, point in zip(data(points), points, strict=True)
        ]

    series = []
    # Fixed groups in their legend's order (worst card, largest investment first).
    order = list(legend)
    for group, points in sorted(
        by_group.items(), key=lambda item: order.index(item[0]) if item[0] in order else 0
    ):
        entry = {
            "type": "scatter",
            "coordinateSystem": "geo",
            "name": legend[group][0] if group in legend else group or _("Villages"),
            "symbolSize": 8,
            "data": counted(points),
        }
        if group in legend:
            entry["itemStyle"] = {"color": legend[group][1]}
        series.append(entry)
    if layers.pairings:
        series.append(
            {
                "type": "lines",
                "coordinateSystem": "geo",
                "name": _("Pairings"),
                "lineStyle": {"opacity": 0.35, "width": 1},
                "data": [
                    {"coords": [[a.longitude, a.latitude], [b.longitude, b.latitude]]}
                    for a, b in layers.pairings
                ],
            }
        )
    if layers.enterprises:
        series.append(
            {
                "type": "scatter",
                "coordinateSystem": "geo",
                "name": _("Enterprises"),
                "symbol": "diamond",
                "symbolSize": 10,
                "itemStyle": {"color": "#066fd1"},
                "data": data(layers.enterprises),
            }
        )
    if layers.projects:
        most = max(point.size for point in layers.projects) or 1
        series.append(
            {
                "type": "scatter",
                "coordinateSystem": "geo",
                "name": _("Projects by planned investment"),
                "itemStyle": {"color": "#ae3ec9", "opacity": 0.6},
                "data": [
                    {**item, "symbolSize": round(6 + 24 * (point.size / most) ** 0.5, 1)}
                    for item, point in zip(data(layers.projects), layers.projects, strict=True)
                ],
            }
        )
    geo = {"map": "cunqi", "roam": True, "itemStyle": {"areaColor": "#f6f8fb"}}
    points = [*layers.villages, *layers.enterprises]
    if not boundaries and points:
        west, east = min(p.longitude for p in points), max(p.longitude for p in points)
        south, north = min(p.latitude for p in points), max(p.latitude for p in points)
        margin = max(east - west, north - south, 0.01) * 0.05
        geo["boundingCoords"] = [[west - margin, north + margin], [east + margin, south - margin]]
    return {
        "tooltip": {"trigger": "item"},
        "legend": {
            "type": "scroll",
            "bottom": 0,
            # Projects stand where their villages do: shown when asked for.
            "selected": {str(_("Projects by planned investment")): False},
        },
        "geo": geo,
        "series": series,
    }
