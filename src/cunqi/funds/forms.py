from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads
from cunqi.core.forms import ScopedModelForm
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource, Policy


class EditableChoicesForm(ScopedModelForm):
    """A department user may only put money into its own department's rows: the choice
    of budget or allocation offers only those it may write."""

    editable_choices: tuple[str, ...] = ()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in self.editable_choices:
            field = self.fields[name]
            field.queryset = field.queryset.model.objects.editable_by(self.user)


class FundSourceForm(ScopedModelForm):
    class Meta:
        model = FundSource
        fields = ("name", "kind", "level", "department", "requires_library", "description")


class FundBudgetForm(EditableChoicesForm):
    editable_choices = ("source",)

    class Meta:
        model = FundBudget
        fields = ("source", "year", "amount")


class AllocationForm(EditableChoicesForm):
    editable_choices = ("budget",)

    class Meta:
        model = Allocation
        fields = ("budget", "project", "amount", "allocated_on", "purpose")


class DisbursementForm(EditableChoicesForm):
    editable_choices = ("allocation",)

    class Meta:
        model = Disbursement
        fields = ("allocation", "amount", "paid_on", "voucher")


class PolicyForm(ScopedModelForm):
    class Meta:
        model = Policy
        fields = (
            "title",
            "issuer",
            "document_number",
            "issued_on",
            "valid_until",
            "supports",
            "fund_source",
            "industries",
            "cooperation_models",
            "zones",
            "min_investment",
            "demonstration_only",
            "file",
        )
        help_texts = {
            "file": _("Allowed: %(allowed)s") % {"allowed": uploads.allowed_extensions()},
            "industries": _("Leave empty for any."),
            "cooperation_models": _("Leave empty for any."),
            "zones": _("Leave empty for any."),
        }
