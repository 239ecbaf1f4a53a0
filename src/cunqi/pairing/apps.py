from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry


class PairingConfig(declarations.CunqiAppConfig):
    name = "cunqi.pairing"
    label = "pairing"
    verbose_name = _("Pairings")
    menu = (
        MenuEntry(
            "pairing",
            _("Pairings"),
            30,
            ("pairing.Pairing", "pairing.MatchingRun", "pairing.Recommendation"),
        ),
    )
    # A run's progress moves constantly and says nothing.
    audited = ("Pairing", ("MatchingRun", {"exclude_fields": ["progress"]}), "Recommendation")
    cockpit_models = ("Pairing",)
