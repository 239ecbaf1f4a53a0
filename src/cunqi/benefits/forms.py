from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cunqi.benefits.equity import shares_problem
from cunqi.benefits.models import (
    Delivery,
    Distribution,
    Employment,
    EquityStructure,
    LandTransfer,
    Order,
    RentPayment,
    Stake,
    VillagerWeight,
)
from cunqi.benefits.services import share_message
from cunqi.core.forms import MonthField, ScopedModelForm, style_field
from cunqi.projects.models import Project
from cunqi.registry.models import Town, Village

if TYPE_CHECKING:
    from cunqi.accounts.models import User


class EquityStructureForm(ScopedModelForm):
    class Meta:
        model = EquityStructure
        fields = ("project", "valid_from", "villagers_rule", "note")


class StakeForm(ScopedModelForm):
    class Meta:
        model = Stake
        fields = ("holder", "village", "village_group", "enterprise", "share")


class BaseStakeFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict:
        return {**super().get_form_kwargs(index), "user": self.user}

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        shares = [
            form.cleaned_data["share"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if problem := shares_problem(shares):
            raise forms.ValidationError(share_message(problem, sum(shares)))


StakeFormSet = forms.inlineformset_factory(
    EquityStructure, Stake, form=StakeForm, formset=BaseStakeFormSet, extra=4, can_delete=True
)


class DistributionForm(ScopedModelForm):
    class Meta:
        model = Distribution
        fields = ("project", "year", "profit")


class EmploymentForm(ScopedModelForm):
    start_month = MonthField(label=Employment._meta.get_field("start_month").verbose_name)
    end_month = MonthField(
        label=Employment._meta.get_field("end_month").verbose_name, required=False
    )

    class Meta:
        model = Employment
        fields = (
            "project",
            "household",
            "worker_name",
            "role",
            "monthly_wage",
            "start_month",
            "end_month",
        )


class LandTransferForm(ScopedModelForm):
    class Meta:
        model = LandTransfer
        fields = (
            "project",
            "village",
            "household",
            "kind",
            "area",
            "rent_per_mu",
            "escalation_percent",
            "escalation_every_years",
            "start_date",
            "end_date",
        )


class VillagerWeightForm(ScopedModelForm):
    class Meta:
        model = VillagerWeight
        fields = ("structure", "household", "weight")


class RentPaymentForm(ScopedModelForm):
    class Meta:
        model = RentPayment
        fields = ("transfer", "lease_year", "paid_on", "amount", "note")


class ProjectionForm(forms.Form):
    """Assumptions for a projection and up to three structures to compare (percentages
    for the village collective, village group, enterprise and villagers)."""

    annual_profit = forms.DecimalField(
        label=_("expected annual profit (yuan)"), min_value=0, decimal_places=2
    )
    growth_percent = forms.DecimalField(
        label=_("yearly growth (%)"), initial=0, min_value=-50, max_value=100
    )
    discount_percent = forms.DecimalField(
        label=_("discount rate (%)"), initial=4, min_value=0, max_value=50
    )
    income_years = forms.IntegerField(label=_("income period (years)"), min_value=1, max_value=50)
    years_after = forms.IntegerField(
        label=_("years after the handover"), initial=5, min_value=0, max_value=50
    )

    STRUCTURES = 3

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        holders = (
            _("village collective"),
            _("village group"),
            _("enterprise"),
            _("villagers' pool"),
        )
        for number in range(1, self.STRUCTURES + 1):
            for index, holder in enumerate(holders):
                self.fields[f"s{number}_{index}"] = forms.DecimalField(
                    label=f"{number} · {holder}",
                    required=False,
                    min_value=0,
                    max_value=100,
                    decimal_places=2,
                )
        for field in self.fields.values():
            style_field(field)

    def structures(self) -> list[tuple[int, list[Decimal]]]:
        """The filled-in structures, numbered; each must sum to 100%."""
        filled = []
        for number in range(1, self.STRUCTURES + 1):
            shares = [self.cleaned_data.get(f"s{number}_{index}") for index in range(4)]
            if all(share is None for share in shares):
                continue
            shares = [share or Decimal(0) for share in shares]
            if problem := shares_problem([share for share in shares if share] or shares):
                self.add_error(f"s{number}_0", share_message(problem, sum(shares)))
            filled.append((number, shares))
        return filled


class OrderForm(ScopedModelForm):
    class Meta:
        model = Order
        fields = (
            "enterprise",
            "project",
            "product",
            "quantity",
            "unit",
            "unit_price",
            "season_start",
            "season_end",
        )


class DeliveryForm(ScopedModelForm):
    class Meta:
        model = Delivery
        fields = ("order", "village", "household", "delivered_on", "quantity", "amount_paid")


class LinkageForm(forms.Form):
    """Which year and which households' linkage: the city's (all the user sees), a town's,
    a village's or one project's."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
    town = forms.ModelChoiceField(Town.objects.none(), label=_("town"), required=False)
    village = forms.ModelChoiceField(Village.objects.none(), label=_("village"), required=False)
    project = forms.ModelChoiceField(Project.objects.none(), label=_("project"), required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.visible_to(user)
        self.fields["village"].queryset = Village.objects.visible_to(user)
        self.fields["project"].queryset = Project.objects.visible_to(user)
        for field in self.fields.values():
            style_field(field)

    def narrow(self, households: QuerySet) -> tuple[QuerySet, QuerySet | None]:
        """``households`` within the chosen town or village, and the chosen project."""
        data = self.cleaned_data
        if data["town"]:
            households = households.filter(village__town=data["town"])
        if data["village"]:
            households = households.filter(village=data["village"])
        project = data["project"]
        return households, Project.objects.filter(pk=project.pk) if project else None
