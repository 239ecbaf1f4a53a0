from django import forms

from cunqi.benefits.equity import shares_problem
from cunqi.benefits.models import (
    Distribution,
    Employment,
    EquityStructure,
    Handover,
    HandoverAsset,
    LandTransfer,
    Stake,
)
from cunqi.benefits.services import share_message
from cunqi.core.forms import MonthField, ScopedModelForm


class EquityStructureForm(ScopedModelForm):
    class Meta:
        model = EquityStructure
        fields = ("project", "valid_from", "villagers_rule", "note")


class StakeForm(ScopedModelForm):
    class Meta:
        model = Stake
        fields = ("holder", "village", "village_group", "enterprise", "share")


class BaseStakeFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
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


class HandoverForm(ScopedModelForm):
    class Meta:
        model = Handover
        fields = ("project", "receiving_village", "due_date", "status", "done_on", "note")


class HandoverAssetForm(ScopedModelForm):
    class Meta:
        model = HandoverAsset
        fields = ("handover", "name", "quantity", "value")
