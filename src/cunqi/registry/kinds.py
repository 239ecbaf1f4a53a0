"""The registry's Excel kinds: villages, households, enterprises, resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.core.models import Industry, ResourceKind
from cunqi.core.personal import with_id_check
from cunqi.exchange import cells
from cunqi.exchange.cells import Column, choice
from cunqi.exchange.kinds import (
    Kind,
    choice_list,
    industries,
    labels,
    reference_items,
    reference_names,
    register,
    visible_map,
)
from cunqi.registry.models import Enterprise, Household, Resource, Town, Village, VillageGroup

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def _groups(user: User) -> dict[str, int]:
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


def households(user: User) -> dict[str, int]:
    """The households the user may see, by "village pk|household number"."""
    return {
        f"{village}|{number}": pk
        for pk, village, number in Household.objects.visible_to(user).values_list(
            "pk", "village", "number"
        )
    }


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
    references={"town": lambda user: visible_map(Town, user, "name")},
    exports={"town": "town__name"},
    order=10,
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
        # Exported masked; a masked cell imported back keeps the stored value.
        Column(
            "id_number",
            _("head's identity number"),
            cells.text(18),
            example=with_id_check("61088119800101001"),
        ),
        Column("phone", _("phone"), cells.text(20), example="13800138000"),
        Column("bank_account", _("bank account"), cells.text(30), example="6222020200112233445"),
        Column(
            "status",
            _("status"),
            choice(labels(Household, "status")),
            example=lambda: Household.Status.LIFTED.label,
            choices=choice_list(Household, "status"),
        ),
        Column(
            "monitoring_category",
            _("monitoring category"),
            choice(labels(Household, "monitoring_category")),
            example="",
            choices=choice_list(Household, "monitoring_category"),
        ),
        Column("status_since", _("status since"), cells.day, example="2021-06-30"),
    ),
    key=("village", "number"),
    references={
        "village": lambda user: visible_map(Village, user, "code"),
        "group": _groups,
    },
    exports={"village": "village__code", "group_name": "group__name"},
    check=_household_check,
    order=20,
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
            example="91610881MA70000002",
        ),
        Column("name", _("name"), cells.text(100), required=True, example="示例农业有限公司"),
        Column(
            "ownership",
            _("ownership"),
            choice(labels(Enterprise, "ownership")),
            required=True,
            example=lambda: Enterprise.Ownership.PRIVATE.label,
            choices=choice_list(Enterprise, "ownership"),
        ),
        Column(
            "industry",
            _("industry"),
            cells.text(100),
            required=True,
            example=lambda: Industry.objects.first().name,
            reference="industry",
            choices=reference_names(Industry),
        ),
        Column("village_capacity", _("villages it can take on"), cells.integer(1, 100), example=1),
        Column("address", _("address"), cells.text(200)),
        Column("contact_name", _("contact"), cells.text(50)),
        Column("contact_phone", _("contact phone"), cells.text(30)),
    ),
    key=("uscc",),
    references={"industry": industries},
    exports={"industry": "industry__name_zh"},
    order=30,
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
            choice(labels(Resource, "direction")),
            required=True,
            example=lambda: Resource.Direction.OFFERS.label,
            choices=choice_list(Resource, "direction"),
        ),
        Column(
            "kind",
            _("kind"),
            cells.text(100),
            required=True,
            example=lambda: ResourceKind.objects.filter(category="land").first().name,
            reference="resource_kind",
            choices=reference_names(ResourceKind),
        ),
        Column("quantity", _("quantity"), cells.money(), required=True, example="1000.00"),
        Column("unit", _("unit"), cells.text(20), example="亩"),
        Column("note", _("note"), cells.text(200), example="撂荒地"),
    ),
    # A village may offer two specialty products of one kind: the note names each.
    key=("kind", "direction", "village", "enterprise", "note"),
    references={
        "village": lambda user: visible_map(Village, user, "code"),
        "enterprise": lambda user: visible_map(Enterprise, user, "uscc"),
        "resource_kind": reference_items(ResourceKind),
    },
    exports={
        "village": "village__code",
        "enterprise": "enterprise__uscc",
        "kind": "kind__name_zh",
    },
    order=40,
)

register(VILLAGES, HOUSEHOLDS, ENTERPRISES, RESOURCES)
