from django.utils.translation import gettext_lazy as _

from cunqi.core.views import ObjectViews, Section
from cunqi.pairing import filtersets, forms, tables
from cunqi.pairing.models import Pairing
from cunqi.projects import views as project_views


class PairingViews(ObjectViews):
    model = Pairing
    table = tables.PairingTable
    filterset = filtersets.PairingFilterSet
    form = forms.PairingForm
    select_related = ("village__town", "enterprise", "leader", "taskforce_contact")
    sections = (
        Section(
            _("Projects of this pairing"),
            lambda: project_views.ProjectViews,
            lambda pairing: pairing.village.projects.filter(enterprises=pairing.enterprise_id),
        ),
    )
