from django.utils.translation import gettext_lazy as _

from cunqi.core.views import ObjectViews, Section
from cunqi.registry import filtersets, forms, tables
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


class ZoneViews(ObjectViews):
    model = Zone
    table = tables.ZoneTable
    filterset = filtersets.ZoneFilterSet
    form = forms.ZoneForm
    prefetch_related = ("towns",)
    sections = (Section(_("Towns"), lambda: TownViews, lambda zone: zone.towns.all()),)


class TownViews(ObjectViews):
    model = Town
    table = tables.TownTable
    filterset = filtersets.TownFilterSet
    form = forms.TownForm
    select_related = ("zone",)
    sections = (Section(_("Villages"), lambda: VillageViews, lambda town: town.villages.all()),)


class VillageViews(ObjectViews):
    model = Village
    table = tables.VillageTable
    filterset = filtersets.VillageFilterSet
    form = forms.VillageForm
    select_related = ("town",)

    sections = (
        Section(_("Resources"), lambda: ResourceViews, lambda village: village.resources.all()),
        Section(
            _("Collective income"),
            lambda: VillageIncomeViews,
            lambda village: village.incomes.all(),
        ),
        Section(
            _("Village groups"), lambda: VillageGroupViews, lambda village: village.groups.all()
        ),
    )


class VillageIncomeViews(ObjectViews):
    model = VillageIncome
    table = tables.VillageIncomeTable
    filterset = filtersets.VillageIncomeFilterSet
    form = forms.VillageIncomeForm
    select_related = ("village",)


class VillageGroupViews(ObjectViews):
    model = VillageGroup
    table = tables.VillageGroupTable
    filterset = filtersets.VillageGroupFilterSet
    form = forms.VillageGroupForm
    select_related = ("village",)
    sections = (
        Section(_("Households"), lambda: HouseholdViews, lambda group: group.households.all()),
    )


class HouseholdViews(ObjectViews):
    model = Household
    table = tables.HouseholdTable
    filterset = filtersets.HouseholdFilterSet
    form = forms.HouseholdForm
    select_related = ("village", "group__village")


class EnterpriseViews(ObjectViews):
    model = Enterprise
    table = tables.EnterpriseTable
    filterset = filtersets.EnterpriseFilterSet
    form = forms.EnterpriseForm
    select_related = ("industry",)
    sections = (
        Section(
            _("Resources"), lambda: ResourceViews, lambda enterprise: enterprise.resources.all()
        ),
    )


class PersonViews(ObjectViews):
    model = Person
    table = tables.PersonTable
    filterset = filtersets.PersonFilterSet
    form = forms.PersonForm


class ResourceViews(ObjectViews):
    model = Resource
    table = tables.ResourceTable
    filterset = filtersets.ResourceFilterSet
    form = forms.ResourceForm
    select_related = ("kind", "village", "enterprise")
