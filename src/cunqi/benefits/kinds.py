"""Benefit linkage's Excel kinds: employment, land transfers, orders."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.benefits.models import Employment, LandTransfer, Order
from cunqi.core.models import ResourceKind
from cunqi.exchange import cells
from cunqi.exchange.cells import Column
from cunqi.exchange.kinds import (
    Kind,
    reference_items,
    register,
    visible_map,
)
from cunqi.projects.models import Project
from cunqi.registry.kinds import households
from cunqi.registry.models import Enterprise, Village


def _employment_check(values: dict, lookups: dict) -> list[tuple[str, str]]:
    village = values.pop("village_code", "")
    number = values.pop("household_number", "")
    values["household_id"] = lookups["household"].get(f"{lookups['village'].get(village)}|{number}")
    if values["household_id"] is None:
        return [("household_number", str(_("No household with that number in that village.")))]
    return []


EMPLOYMENT = Kind(
    code="employment",
    model=Employment,
    title=pgettext_lazy("exchange kind", "employment"),
    columns=(
        Column(
            "project",
            _("project code"),
            cells.text(30),
            required=True,
            example="XM-0001",
            reference="project",
        ),
        Column(
            "village_code", _("village code"), cells.text(12), required=True, example="610881100201"
        ),
        Column(
            "household_number", _("household number"), cells.text(30), required=True, example="001"
        ),
        Column("worker_name", _("worker"), cells.text(50), required=True, example="张三"),
        Column("role", _("work"), cells.text(100), example="大棚管护"),
        Column(
            "monthly_wage",
            _("monthly wage (yuan)"),
            cells.money(Decimal("0.01")),
            required=True,
            example="3200.00",
        ),
        Column("start_month", _("from month"), cells.month, required=True, example="2026-03"),
        Column("end_month", _("to month"), cells.month),
    ),
    key=("project", "household", "start_month"),
    references={
        "project": lambda user: visible_map(Project, user, "code"),
        "village": lambda user: visible_map(Village, user, "code"),
        "household": households,
    },
    exports={
        "project": "project__code",
        "village_code": "household__village__code",
        "household_number": "household__number",
    },
    check=_employment_check,
    order=80,
)


def _land_transfer_check(values: dict, lookups: dict) -> list[tuple[str, str]]:
    number = values.pop("household_number", "")
    values["household_id"] = None
    if number and values.get("village_id"):
        values["household_id"] = lookups["household"].get(f"{values['village_id']}|{number}")
        if values["household_id"] is None:
            return [("household_number", str(_("No household with that number in that village.")))]
    return []


LAND_TRANSFERS = Kind(
    code="land_transfers",
    model=LandTransfer,
    title=pgettext_lazy("exchange kind", "land transfers"),
    columns=(
        Column(
            "project",
            _("project code"),
            cells.text(30),
            required=True,
            example="XM-0001",
            reference="project",
        ),
        Column(
            "village",
            _("village code"),
            cells.text(12),
            required=True,
            example="610881100201",
            reference="village",
        ),
        Column("household_number", _("household number"), cells.text(30)),
        Column(
            "kind",
            _("land kind"),
            cells.text(100),
            required=True,
            example=lambda: ResourceKind.objects.filter(category="land").first().name,
            reference="land_kind",
            choices=lambda: [
                kind.name for kind in ResourceKind.objects.filter(category="land", is_active=True)
            ],
        ),
        Column("area", _("area (mu)"), cells.money(), required=True, example="100.00"),
        Column(
            "rent_per_mu",
            _("rent per mu per year (yuan)"),
            cells.money(),
            required=True,
            example="200.00",
        ),
        Column("escalation_percent", _("rent rise (%)"), cells.money(), example="5.00"),
        Column("escalation_every_years", _("rises every (years)"), cells.integer(0, 50), example=5),
        Column("start_date", _("start"), cells.day, required=True, example="2026-03-01"),
        Column("end_date", _("end"), cells.day, required=True, example="2036-03-01"),
    ),
    key=("project", "village", "household", "kind", "start_date"),
    references={
        "project": lambda user: visible_map(Project, user, "code"),
        "village": lambda user: visible_map(Village, user, "code"),
        "household": households,
        "land_kind": reference_items(ResourceKind, category=ResourceKind.Category.LAND),
    },
    exports={
        "project": "project__code",
        "village": "village__code",
        "household_number": "household__number",
        "kind": "kind__name_zh",
    },
    check=_land_transfer_check,
    order=100,
)


ORDERS = Kind(
    code="orders",
    model=Order,
    title=pgettext_lazy("exchange kind", "orders"),
    columns=(
        Column(
            "enterprise",
            _("unified social credit code"),
            cells.text(18),
            required=True,
            example="91610881MA70000002",
            reference="enterprise",
        ),
        Column("project", _("project code"), cells.text(30), reference="project"),
        Column("product", _("product"), cells.text(100), required=True, example="红枣"),
        Column("quantity", _("quantity ordered"), cells.money(), required=True, example="300.00"),
        Column("unit", _("unit"), cells.text(20), required=True, example="吨"),
        Column(
            "unit_price",
            _("price per unit (yuan)"),
            cells.money(),
            required=True,
            example="9000.00",
        ),
        Column("season_start", _("season from"), cells.day, required=True, example="2026-09-01"),
        Column("season_end", _("season to"), cells.day, required=True, example="2026-12-31"),
    ),
    key=("enterprise", "product", "season_start"),
    references={
        "enterprise": lambda user: visible_map(Enterprise, user, "uscc"),
        "project": lambda user: visible_map(Project, user, "code"),
    },
    exports={"enterprise": "enterprise__uscc", "project": "project__code"},
    order=110,
)

register(EMPLOYMENT, LAND_TRANSFERS, ORDERS)
