import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cunqi.core.tables import MoneyColumn, ObjectTable
from cunqi.registry.models import (
    Enterprise,
    Household,
    Person,
    Resource,
    Town,
    Village,
    VillageGroup,
    VillageIncome,
    Zone,
)


class ZoneTable(ObjectTable):
    name = tables.Column(linkify=True)
    town_count = tables.Column(verbose_name=_("towns"), orderable=False, accessor="towns__count")

    class Meta(ObjectTable.Meta):
        model = Zone
        fields = ("name", "sort_order")


class TownTable(ObjectTable):
    name = tables.Column(linkify=True)
    zone = tables.Column(linkify=True)
    is_demonstration = tables.BooleanColumn()

    class Meta(ObjectTable.Meta):
        model = Town
        fields = ("name", "zone", "is_subdistrict", "is_demonstration")


class VillageTable(ObjectTable):
    name = tables.Column(linkify=True)
    town = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Village
        fields = ("name", "code", "town", "population", "household_count")


class VillageIncomeTable(ObjectTable):
    village = tables.Column(linkify=True)
    year = tables.Column(linkify=True)
    amount = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = VillageIncome
        fields = ("village", "year", "amount")


class VillageGroupTable(ObjectTable):
    name = tables.Column(linkify=True)
    village = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = VillageGroup
        fields = ("name", "village")


class HouseholdTable(ObjectTable):
    number = tables.Column(linkify=True)
    id_number = tables.Column(orderable=False)  # sealed: its order says nothing
    village = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Household
        fields = ("number", "head_name", "id_number", "members", "status", "village", "group")


class EnterpriseTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Enterprise
        fields = ("name", "uscc", "ownership", "industry", "village_capacity")


class PersonTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Person
        fields = ("name", "kind", "title", "organisation")


class ResourceTable(ObjectTable):
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())
    owner = tables.Column(
        verbose_name=_("owner"),
        orderable=False,
        linkify=lambda record: record.owner.get_absolute_url(),
    )

    class Meta(ObjectTable.Meta):
        model = Resource
        fields = ("kind", "owner", "direction", "quantity", "unit", "note")
