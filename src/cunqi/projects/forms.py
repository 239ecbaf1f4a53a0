from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads
from cunqi.core.forms import MonthField, ScopedModelForm
from cunqi.projects import lifecycle
from cunqi.projects.models import (
    Approval,
    ApprovalDocument,
    Handover,
    HandoverAsset,
    Investment,
    Project,
    ProjectApplication,
)


class ProjectForm(ScopedModelForm):
    class Meta:
        model = Project
        fields = (
            "code",
            "name",
            "villages",
            "enterprises",
            "cooperation_models",
            "industry",
            "is_demonstration",
            "status",
            "planned_investment",
            "start_date",
            "income_years",
            "handover_date",
            "description",
        )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the moves the lifecycle allows; the model refuses any other.
        current = self.instance.status if self.instance.pk else lifecycle.PLANNED
        allowed = {current, *lifecycle.next_statuses(current)} if self.instance.pk else {current}
        field = self.fields["status"]
        field.choices = [(value, label) for value, label in field.choices if value in allowed]


class InvestmentForm(ScopedModelForm):
    month = MonthField(label=Investment._meta.get_field("month").verbose_name)

    class Meta:
        model = Investment
        fields = ("project", "month", "source", "planned_amount", "completed_amount")


class ApprovalForm(ScopedModelForm):
    """Open a case; the service adds the steps and the checklist."""

    class Meta:
        model = Approval
        fields = ("project", "green_channel", "applied_on")


class DocumentUploadForm(ScopedModelForm):
    """Supply a document: the file is checked before anything is kept."""

    class Meta:
        model = ApprovalDocument
        fields = ("file",)
        help_texts = {"file": _("Allowed: %(allowed)s") % {"allowed": uploads.allowed_extensions()}}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True


class HandoverForm(ScopedModelForm):
    class Meta:
        model = Handover
        fields = ("project", "receiving_village", "due_date", "status", "done_on", "note")


class HandoverAssetForm(ScopedModelForm):
    class Meta:
        model = HandoverAsset
        fields = ("handover", "name", "quantity", "value")


class ProjectApplicationForm(ScopedModelForm):
    """An application for the project library, with the meeting's record; the steps that
    follow (submit, reviews, plan) are the detail page's."""

    class Meta:
        model = ProjectApplication
        fields = (
            "pairing",
            "year",
            "name",
            "content",
            "location",
            "industry",
            "cooperation_models",
            "investment_estimate",
            "from_higher_level",
            "from_department",
            "from_enterprise",
            "from_village",
            "from_other",
            "linkage",
            "households_linked",
            "poor_households_linked",
            "performance_targets",
            "meeting_on",
            "board_posted_on",
            "file",
        )
        help_texts = {"file": _("Allowed: %(allowed)s") % {"allowed": uploads.allowed_extensions()}}
