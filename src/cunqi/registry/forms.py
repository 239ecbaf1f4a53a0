from cunqi.core.forms import ScopedModelForm
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


class ZoneForm(ScopedModelForm):
    class Meta:
        model = Zone
        fields = ("name", "sort_order")


class TownForm(ScopedModelForm):
    class Meta:
        model = Town
        fields = ("zone", "name", "is_subdistrict", "is_demonstration")


class VillageForm(ScopedModelForm):
    class Meta:
        model = Village
        fields = ("town", "code", "name", "population", "household_count", "latitude", "longitude")


class VillageIncomeForm(ScopedModelForm):
    class Meta:
        model = VillageIncome
        fields = ("village", "year", "amount")


class VillageGroupForm(ScopedModelForm):
    class Meta:
        model = VillageGroup
        fields = ("village", "name")


class HouseholdForm(ScopedModelForm):
    def clean_status(self) -> str:
        # Left out (an older client, a form without it), a household is an ordinary one.
        return self.cleaned_data["status"] or Household.Status.ORDINARY

    class Meta:
        model = Household
        fields = (
            "village",
            "group",
            "number",
            "head_name",
            "members",
            "id_number",
            "phone",
            "bank_account",
            "status",
            "monitoring_category",
            "status_since",
        )


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = (
            "uscc",
            "name",
            "ownership",
            "industry",
            "village_capacity",
            "address",
            "contact_name",
            "contact_phone",
            "latitude",
            "longitude",
        )


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = ("name", "kind", "title", "organisation", "department", "phone")


class ResourceForm(ScopedModelForm):
    class Meta:
        model = Resource
        fields = ("village", "enterprise", "direction", "kind", "quantity", "unit", "note")
