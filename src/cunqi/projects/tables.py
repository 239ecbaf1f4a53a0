import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cunqi.core.tables import MoneyColumn, ObjectTable
from cunqi.projects.models import Investment, Project


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

    class Meta(ObjectTable.Meta):
        model = Investment
        fields = ("project", "month", "source", "planned_amount", "completed_amount")
