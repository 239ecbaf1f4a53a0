"""The projects on the registry's and the pairings' pages."""

from django.utils.translation import gettext_lazy as _

from cunqi.core.panels import Panel, register
from cunqi.projects.views import ProjectViews

register(
    Panel("registry.Village", _("Projects"), ProjectViews, lambda v: v.projects.all(), order=20),
    Panel("registry.Enterprise", _("Projects"), ProjectViews, lambda e: e.projects.all(), order=20),
    Panel(
        "pairing.Pairing",
        _("Projects of this pairing"),
        ProjectViews,
        lambda pairing: pairing.village.projects.filter(enterprises=pairing.enterprise_id),
    ),
)
