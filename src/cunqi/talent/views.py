from django.utils.translation import gettext_lazy as _

from cunqi.core.views import ObjectViews, Section
from cunqi.talent import filtersets, forms, tables
from cunqi.talent.models import Advisor, Expert, Service, Training


class ServiceViews(ObjectViews):
    model = Service
    table = tables.ServiceTable
    filterset = filtersets.ServiceFilterSet
    form = forms.ServiceForm
    select_related = ("village", "expert", "advisor")


class TrainingViews(ObjectViews):
    model = Training
    table = tables.TrainingTable
    filterset = filtersets.TrainingFilterSet
    form = forms.TrainingForm
    select_related = ("village", "expert")


class ExpertViews(ObjectViews):
    model = Expert
    table = tables.ExpertTable
    filterset = filtersets.ExpertFilterSet
    form = forms.ExpertForm
    sections = (
        Section(
            _("Services"), lambda: ServiceViews, lambda e: e.services.all(), exclude=("expert",)
        ),
    )


class AdvisorViews(ObjectViews):
    model = Advisor
    table = tables.AdvisorTable
    filterset = filtersets.AdvisorFilterSet
    form = forms.AdvisorForm
    select_related = ("village", "enterprise")
    sections = (
        Section(
            _("Services"), lambda: ServiceViews, lambda a: a.services.all(), exclude=("advisor",)
        ),
    )
