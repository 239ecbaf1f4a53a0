"""What can be exchanged as Excel: each kind's columns, natural key and lookups.

A kind names the model, the columns of its template (in order), the model fields that
identify a row across deployments (its natural key: a village's code, an enterprise's
USCC…), and how the natural keys in reference columns are found among the rows the
importing user may see. The engine (``importer``) does the rest the same way for all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.benefits.models import Employment, LandTransfer, Order
from cunqi.core.models import CooperationModel, Industry, ResourceKind
from cunqi.exchange import cells
from cunqi.exchange.cells import Column, choice
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Investment, Project
from cunqi.registry.models import (
    Enterprise,
    Household,
    Person,
    Resource,
    Town,
    Village,
    VillageGroup,
)
from cunqi.supervision.models import MonthlyReport


def _labels(model, name: str) -> dict[str, str]:
    """A choice field's labels in both languages and its codes, → code."""
    options = {}
    for value, label in model._meta.get_field(name).choices:
        options[str(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                options[str(label)] = value
    return options


def _choice_list(model, name: str) -> Callable[[], list[str]]:
    return lambda: [str(label) for _value, label in model._meta.get_field(name).choices]


def _reference_names(model, attribute: str = "name") -> Callable[[], list[str]]:
    return lambda: [str(getattr(item, attribute)) for item in model.objects.filter(is_active=True)]


@dataclass(frozen=True)
class Kind:
    code: str
    model: type
    title: object
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # model fields (after references are resolved) that identify a row
    # reference name → (user → {natural key text: pk}); the rows a user may refer to
    references: dict[str, Callable] = field(default_factory=dict)
    # model field a reference column fills (e.g. "village" for the village code column)
    # and, for export, the path to the natural key of the row it refers to
    exports: dict[str, str] = field(default_factory=dict)
    # columns that name a row together (a village and a household number), resolved to
    # it: (values, lookups) → [(column field, message)]; every rule of the row itself is
    # its door's
    check: Callable | None = None

    @property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    @property
    def fields(self) -> set[str]:
        return {column.field for column in self.columns}


def _visible_map(model, user, key: str) -> dict[str, int]:
    return {str(k): pk for k, pk in model.objects.visible_to(user).values_list(key, "pk")}


def _industries(user) -> dict[str, int]:
    found = {}
    for pk, code, zh, en in Industry.objects.values_list("pk", "code", "name_zh", "name_en"):
        found[code] = found[zh] = found[en] = pk
    return found


def _groups(user) -> dict[str, int]:
    return {
        f"{village}|{name}": pk
        for pk, village, name in VillageGroup.objects.visible_to(user).values_list(
            "pk", "village", "name"
        )
    }


def _household_check(values: dict, lookups: dict) -> list[tuple[str, str]]:
    name = values.pop("group_name", "")
    values["group_id"] = None
    if name and values.get("village_id"):
        values["group_id"] = lookups["group"].get(f"{values['village_id']}|{name}")
        if values["group_id"] is None:
            return [("group_name", str(_("No village group of that name in this village.")))]
    return []


VILLAGES = Kind(
    code="villages",
    model=Village,
    title=pgettext_lazy("exchange kind", "villages"),
    columns=(
        Column(
            "town", _("town"), cells.text(50), required=True, example="大柳塔镇", reference="town"
        ),
        Column("code", _("village code"), cells.text(12), required=True, example="610881100201"),
        Column("name", _("name"), cells.text(50), required=True, example="示例村"),
        Column("population", _("population"), cells.integer(0), example=1200),
        Column("household_count", _("households"), cells.integer(0), example=380),
    ),
    key=("code",),
    references={"town": lambda user: _visible_map(Town, user, "name")},
    exports={"town": "town__name"},
)

HOUSEHOLDS = Kind(
    code="households",
    model=Household,
    title=pgettext_lazy("exchange kind", "households"),
    columns=(
        Column(
            "village",
            _("village code"),
            cells.text(12),
            required=True,
            example="610881100201",
            reference="village",
        ),
        Column("group_name", _("village group"), cells.text(50), example="一组"),
        Column("number", _("household number"), cells.text(30), required=True, example="001"),
        Column("head_name", _("head of household"), cells.text(50), required=True, example="张三"),
        Column("members", _("members"), cells.integer(None), required=True, example=4),
    ),
    key=("village", "number"),
    references={
        "village": lambda user: _visible_map(Village, user, "code"),
        "group": _groups,
    },
    exports={"village": "village__code", "group_name": "group__name"},
    check=_household_check,
)

ENTERPRISES = Kind(
    code="enterprises",
    model=Enterprise,
    title=pgettext_lazy("exchange kind", "enterprises"),
    columns=(
        Column(
            "uscc",
            _("unified social credit code"),
            cells.text(18),
            required=True,
            example="91610881MA70000001",
        ),
        Column("name", _("name"), cells.text(100), required=True, example="示例农业有限公司"),
        Column(
            "ownership",
            _("ownership"),
            choice(_labels(Enterprise, "ownership")),
            required=True,
            example=lambda: Enterprise.Ownership.PRIVATE.label,
            choices=_choice_list(Enterprise, "ownership"),
        ),
        Column(
            "industry",
            _("industry"),
            cells.text(100),
            required=True,
            example=lambda: Industry.objects.first().name,
            reference="industry",
            choices=_reference_names(Industry),
        ),
        Column("village_capacity", _("villages it can take on"), cells.integer(1, 100), example=1),
        Column("address", _("address"), cells.text(200)),
        Column("contact_name", _("contact"), cells.text(50)),
        Column("contact_phone", _("contact phone"), cells.text(30)),
    ),
    key=("uscc",),
    references={"industry": _industries},
    exports={"industry": "industry__name_zh"},
)

INVESTMENTS = Kind(
    code="investments",
    model=Investment,
    title=pgettext_lazy("exchange kind", "investments"),
    columns=(
        Column(
            "project",
            _("project code"),
            cells.text(30),
            required=True,
            example="XM-0001",
            reference="project",
        ),
        Column("month", _("month"), cells.month, required=True, example="2026-03"),
        Column(
            "source",
            _("source"),
            choice(_labels(Investment, "source")),
            required=True,
            example=lambda: Investment.Source.ENTERPRISE.label,
            choices=_choice_list(Investment, "source"),
        ),
        Column("planned_amount", _("planned (yuan)"), cells.money(), example="500000.00"),
        Column("completed_amount", _("completed (yuan)"), cells.money(), example="320000.00"),
    ),
    key=("project", "month", "source"),
    references={"project": lambda user: _visible_map(Project, user, "code")},
    exports={"project": "project__code"},
)


PAIRINGS = Kind(
    code="pairings",
    model=Pairing,
    title=pgettext_lazy("exchange kind", "pairings"),
    columns=(
        Column(
            "village",
            _("village code"),
            cells.text(12),
            required=True,
            example="610881100201",
            reference="village",
        ),
        Column(
            "enterprise",
            _("unified social credit code"),
            cells.text(18),
            required=True,
            example="91610881MA70000001",
            reference="enterprise",
        ),
        Column("start_date", _("start"), cells.day, required=True, example="2024-03-01"),
        Column("end_date", _("end"), cells.day),
        Column(
            "status",
            _("status"),
            choice(_labels(Pairing, "status")),
            required=True,
            example=lambda: Pairing.Status.ACTIVE.label,
            choices=_choice_list(Pairing, "status"),
        ),
        Column("leader", _("city leader"), cells.text(50), reference="leader"),
        Column("note", _("note"), cells.text(1000)),
    ),
    key=("village", "enterprise"),
    references={
        "village": lambda user: _visible_map(Village, user, "code"),
        "enterprise": lambda user: _visible_map(Enterprise, user, "uscc"),
        "leader": lambda user: {
            name: pk
            for name, pk in Person.objects.filter(kind=Person.Kind.LEADER).values_list("name", "pk")
        },
    },
    exports={
        "village": "village__code",
        "enterprise": "enterprise__uscc",
        "leader": "leader__name",
    },
)


def _households(user) -> dict[str, int]:
    return {
        f"{village}|{number}": pk
        for pk, village, number in Household.objects.visible_to(user).values_list(
            "pk", "village", "number"
        )
    }


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
        "project": lambda user: _visible_map(Project, user, "code"),
        "village": lambda user: _visible_map(Village, user, "code"),
        "household": _households,
    },
    exports={
        "project": "project__code",
        "village_code": "household__village__code",
        "household_number": "household__number",
    },
    check=_employment_check,
)


MONTHLY_REPORTS = Kind(
    code="monthly_reports",
    model=MonthlyReport,
    title=pgettext_lazy("exchange kind", "monthly reports"),
    columns=(
        Column(
            "project",
            _("project code"),
            cells.text(30),
            required=True,
            example="XM-0001",
            reference="project",
        ),
        Column("month", _("month"), cells.month, required=True, example="2026-03"),
        Column(
            "investment_completed",
            _("investment completed this month (yuan)"),
            cells.money(),
            example="120000.00",
        ),
        Column("milestones", _("milestones reached"), cells.text(2000), example="大棚主体完工"),
        Column("jobs", _("villagers employed"), cells.integer(0), example=12),
        Column("wages", _("wages paid (yuan)"), cells.money(), example="38400.00"),
        Column("output_value", _("output value (yuan)"), cells.money(), example="0"),
        Column("sales", _("sales (yuan)"), cells.money(), example="0"),
        Column("problems", _("problems met"), cells.text(2000)),
    ),
    key=("project", "month"),
    references={"project": lambda user: _visible_map(Project, user, "code")},
    exports={"project": "project__code"},
)


def _reference_items(
    model, codes: tuple[str, ...] = ("code", "name_zh", "name_en"), **filters
) -> Callable:
    def build(user) -> dict[str, int]:
        found = {}
        for pk, *names in model.objects.filter(**filters).values_list("pk", *codes):
            for name in names:
                found[str(name)] = pk
        return found

    return build


PROJECTS = Kind(
    code="projects",
    model=Project,
    title=pgettext_lazy("exchange kind", "projects"),
    columns=(
        Column("code", _("project code"), cells.text(30), required=True, example="XM-0001"),
        Column("name", _("name"), cells.text(100), required=True, example="示例大棚蔬菜项目"),
        Column(
            "villages",
            _("village codes"),
            cells.many(cells.text(12)),
            required=True,
            example="610881100201、610881100202",
            reference="village",
        ),
        Column(
            "enterprises",
            _("enterprise USCCs"),
            cells.many(cells.text(18)),
            example="91610881MA70000001",
            reference="enterprise",
        ),
        Column(
            "cooperation_models",
            _("cooperation models"),
            cells.many(cells.text(100)),
            example=lambda: CooperationModel.objects.first().name,
            reference="model",
        ),
        Column(
            "industry",
            _("industry"),
            cells.text(100),
            required=True,
            example=lambda: Industry.objects.first().name,
            reference="industry",
            choices=_reference_names(Industry),
        ),
        Column(
            "is_demonstration", _("demonstration project (示范项目)"), cells.boolean, example="否"
        ),
        Column(
            "status",
            _("status"),
            choice(_labels(Project, "status")),
            required=True,
            example=lambda: Project.Status.BUILDING.label,
            choices=_choice_list(Project, "status"),
        ),
        Column(
            "planned_investment",
            _("planned investment (yuan)"),
            cells.money(),
            required=True,
            example="5000000.00",
        ),
        Column("start_date", _("start"), cells.day, example="2026-03-01"),
        Column("income_years", _("income period (years)"), cells.integer(1, 50), example=15),
        Column("handover_date", _("handover date"), cells.day),
        Column("description", _("description"), cells.text(4000)),
    ),
    key=("code",),
    references={
        "village": lambda user: _visible_map(Village, user, "code"),
        "enterprise": lambda user: _visible_map(Enterprise, user, "uscc"),
        "model": _reference_items(CooperationModel),
        "industry": _industries,
    },
    exports={
        "villages": "villages__code",
        "enterprises": "enterprises__uscc",
        "cooperation_models": "cooperation_models__name_zh",
        "industry": "industry__name_zh",
    },
)


RESOURCES = Kind(
    code="resources",
    model=Resource,
    title=pgettext_lazy("exchange kind", "resources"),
    columns=(
        Column(
            "village",
            _("village code"),
            cells.text(12),
            example="610881100201",
            reference="village",
        ),
        Column(
            "enterprise",
            _("unified social credit code"),
            cells.text(18),
            reference="enterprise",
        ),
        Column(
            "direction",
            _("direction"),
            choice(_labels(Resource, "direction")),
            required=True,
            example=lambda: Resource.Direction.OFFERS.label,
            choices=_choice_list(Resource, "direction"),
        ),
        Column(
            "kind",
            _("kind"),
            cells.text(100),
            required=True,
            example=lambda: ResourceKind.objects.filter(category="land").first().name,
            reference="resource_kind",
            choices=_reference_names(ResourceKind),
        ),
        Column("quantity", _("quantity"), cells.money(), required=True, example="1000.00"),
        Column("unit", _("unit"), cells.text(20), example="亩"),
        Column("note", _("note"), cells.text(200), example="撂荒地"),
    ),
    # A village may offer two specialty products of one kind: the note names each.
    key=("kind", "direction", "village", "enterprise", "note"),
    references={
        "village": lambda user: _visible_map(Village, user, "code"),
        "enterprise": lambda user: _visible_map(Enterprise, user, "uscc"),
        "resource_kind": _reference_items(ResourceKind),
    },
    exports={
        "village": "village__code",
        "enterprise": "enterprise__uscc",
        "kind": "kind__name_zh",
    },
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
        "project": lambda user: _visible_map(Project, user, "code"),
        "village": lambda user: _visible_map(Village, user, "code"),
        "household": _households,
        "land_kind": _reference_items(ResourceKind, category=ResourceKind.Category.LAND),
    },
    exports={
        "project": "project__code",
        "village": "village__code",
        "household_number": "household__number",
        "kind": "kind__name_zh",
    },
    check=_land_transfer_check,
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
            example="91610881MA70000001",
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
        "enterprise": lambda user: _visible_map(Enterprise, user, "uscc"),
        "project": lambda user: _visible_map(Project, user, "code"),
    },
    exports={"enterprise": "enterprise__uscc", "project": "project__code"},
)

KINDS = {
    kind.code: kind
    for kind in (
        VILLAGES,
        HOUSEHOLDS,
        ENTERPRISES,
        RESOURCES,
        PAIRINGS,
        PROJECTS,
        INVESTMENTS,
        EMPLOYMENT,
        MONTHLY_REPORTS,
        LAND_TRANSFERS,
        ORDERS,
    )
}
