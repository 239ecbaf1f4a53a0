"""A village's advisors, the services it received and its trainings, on its page."""

from django.utils.translation import gettext_lazy as _

from cunqi.core.panels import Panel, register
from cunqi.talent.views import AdvisorViews, ServiceViews, TrainingViews

register(
    Panel(
        "registry.Village",
        _("Advisors"),
        AdvisorViews,
        lambda village: village.advisors.all(),
        exclude=("village",),
        order=30,
    ),
    Panel(
        "registry.Village",
        _("Expert and advisor services"),
        ServiceViews,
        lambda village: village.talent_services.all(),
        exclude=("village",),
        order=40,
    ),
    Panel(
        "registry.Village",
        _("Trainings"),
        TrainingViews,
        lambda village: village.trainings.all(),
        exclude=("village",),
        order=50,
    ),
)
