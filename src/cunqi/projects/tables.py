import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cunqi.core.tables import MoneyColumn, ObjectTable
from cunqi.projects.models import (
    Approval,
    ApprovalDocument,
    Handover,
    HandoverAsset,
    Investment,
    Project,
    ProjectApplication,
)


class ProjectTable(ObjectTable):
    name = tables.Column(linkify=True)
    villages = tables.ManyToManyColumn(verbose_name=_("villages"))
    cooperation_models = tables.ManyToManyColumn(verbose_name=_("cooperation models"))
    planned_investment = MoneyColumn()
    is_demonstration = tables.BooleanColumn()

    class Meta(ObjectTable.Meta):
        model = Project
        fields = (
            "code",
            "name",
            "villages",
            "industry",
            "cooperation_models",
            "status",
            "planned_investment",
            "is_demonstration",
        )


class InvestmentTable(ObjectTable):
    project = tables.Column(linkify=True)
    month = tables.DateColumn(format="Y-m", linkify=True)
    planned_amount = MoneyColumn()
    completed_amount = MoneyColumn()
    reported = tables.BooleanColumn()

    class Meta(ObjectTable.Meta):
        model = Investment
        fields = ("project", "month", "source", "planned_amount", "completed_amount", "reported")


class ApprovalTable(ObjectTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    green_channel = tables.BooleanColumn()
    completed_on = tables.DateColumn()

    class Meta(ObjectTable.Meta):
        model = Approval
        fields = ("project", "green_channel", "applied_on", "completed_on")


class ApprovalDocumentTable(ObjectTable):
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())
    stage = tables.Column(accessor="kind__stage", verbose_name=_("approval stage"))
    approval = tables.Column(linkify=True)
    promised_on = tables.DateColumn()
    file_name = tables.Column(
        linkify=lambda record: (
            reverse("projects:approvaldocument_file", args=[record.pk]) if record.file else None
        )
    )

    class Meta(ObjectTable.Meta):
        model = ApprovalDocument
        fields = ("kind", "stage", "approval", "status", "promised_on", "responsible", "file_name")


class HandoverTable(ObjectTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    receiving_village = tables.Column(linkify=True)
    due_date = tables.DateColumn(format="Y-m-d")

    class Meta(ObjectTable.Meta):
        model = Handover
        fields = ("project", "receiving_village", "due_date", "status", "done_on")


class HandoverAssetTable(ObjectTable):
    name = tables.Column(linkify=lambda record: record.get_absolute_url())
    handover = tables.Column(linkify=True)
    value = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = HandoverAsset
        fields = ("name", "handover", "quantity", "value")


class ProjectApplicationTable(ObjectTable):
    name = tables.Column(linkify=True)
    pairing = tables.Column(linkify=True)
    investment_estimate = MoneyColumn()
    project = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ProjectApplication
        fields = (
            "library_code",
            "name",
            "pairing",
            "year",
            "status",
            "plan_year",
            "investment_estimate",
            "households_linked",
            "project",
        )
