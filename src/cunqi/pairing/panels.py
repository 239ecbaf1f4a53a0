"""The pairings on the registry's pages."""

from django.utils.translation import gettext_lazy as _

from cunqi.core.panels import Panel, register
from cunqi.pairing.views import PairingViews

register(
    Panel("registry.Village", _("Pairings"), PairingViews, lambda v: v.pairings.all(), order=10),
    Panel("registry.Enterprise", _("Pairings"), PairingViews, lambda e: e.pairings.all(), order=10),
    Panel("registry.Person", _("Pairings led"), PairingViews, lambda p: p.led_pairings.all()),
)
