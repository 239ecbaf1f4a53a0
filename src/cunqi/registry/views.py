from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.benefits import statements
from cunqi.core.views import ObjectViews, Section
from cunqi.pairing import views as pairing_views
from cunqi.projects import views as project_views
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
from cunqi.talent import views as talent_views


def _last_year() -> int:
    return timezone.localdate().year - 1


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

    @classmethod
    def figures(cls, village: Village) -> list[tuple[str, object]]:
        year = _last_year()
        computed = statements.village_collective_statement(village, year).total
        recorded = village.incomes.filter(year=year).values_list("amount", flat=True).first()
        return [
            (
                _("Collective income %(year)s from dividends and rents") % {"year": year},
                f"{computed:,.2f}",
            ),
            (
                _("Collective income %(year)s as recorded") % {"year": year},
                f"{recorded:,.2f}" if recorded else "—",
            ),
        ]

    @classmethod
    def links(cls, village: Village) -> list[tuple[str, str]]:
        year = _last_year()
        url = reverse("benefits:village_statement", args=[village.pk, year])
        return [(_("Collective statement %(year)s") % {"year": year}, url)]

    sections = (
        Section(
            _("Pairings"),
            lambda: pairing_views.PairingViews,
            lambda village: village.pairings.all(),
        ),
        Section(
            _("Projects"),
            lambda: project_views.ProjectViews,
            lambda village: village.projects.all(),
        ),
        Section(_("Resources"), lambda: ResourceViews, lambda village: village.resources.all()),
        Section(
            _("Collective income"),
            lambda: VillageIncomeViews,
            lambda village: village.incomes.all(),
        ),
        Section(
            _("Village groups"), lambda: VillageGroupViews, lambda village: village.groups.all()
        ),
        Section(
            _("Advisors"),
            lambda: talent_views.AdvisorViews,
            lambda village: village.advisors.all(),
            exclude=("village",),
        ),
        Section(
            _("Expert and advisor services"),
            lambda: talent_views.ServiceViews,
            lambda village: village.talent_services.all(),
            exclude=("village",),
        ),
        Section(
            _("Trainings"),
            lambda: talent_views.TrainingViews,
            lambda village: village.trainings.all(),
            exclude=("village",),
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

    @classmethod
    def links(cls, household: Household) -> list[tuple[str, str]]:
        return [
            (
                _("Statement %(year)s") % {"year": year},
                reverse("benefits:household_statement", args=[household.pk, year]),
            )
            for year in (_last_year(), _last_year() + 1)
        ]


class EnterpriseViews(ObjectViews):
    model = Enterprise
    table = tables.EnterpriseTable
    filterset = filtersets.EnterpriseFilterSet
    form = forms.EnterpriseForm
    select_related = ("industry",)
    sections = (
        Section(
            _("Pairings"),
            lambda: pairing_views.PairingViews,
            lambda enterprise: enterprise.pairings.all(),
        ),
        Section(
            _("Projects"),
            lambda: project_views.ProjectViews,
            lambda enterprise: enterprise.projects.all(),
        ),
        Section(
            _("Resources"), lambda: ResourceViews, lambda enterprise: enterprise.resources.all()
        ),
    )


class PersonViews(ObjectViews):
    model = Person
    table = tables.PersonTable
    filterset = filtersets.PersonFilterSet
    form = forms.PersonForm
    sections = (
        Section(
            _("Pairings led"),
            lambda: pairing_views.PairingViews,
            lambda person: person.led_pairings.all(),
        ),
    )


class ResourceViews(ObjectViews):
    model = Resource
    table = tables.ResourceTable
    filterset = filtersets.ResourceFilterSet
    form = forms.ResourceForm
    select_related = ("kind", "village", "enterprise")
