from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem
from cunqi.core.roles import CITY_READERS, LOCAL_ROLES, TALENT_ROLES


class PairingConfig(declarations.CunqiAppConfig):
    name = "cunqi.pairing"
    label = "pairing"
    verbose_name = _("Pairings")
    menu = (
        MenuEntry(
            "pairing",
            _("Pairings"),
            30,
            (
                MenuItem("pairing.Pairing", readers=CITY_READERS | LOCAL_ROLES | TALENT_ROLES),
                # Matching is the task force's own work.
                MenuItem("pairing.MatchingRun", readers=frozenset()),
                MenuItem("pairing.Recommendation", readers=frozenset()),
            ),
        ),
    )
    # A run's progress moves constantly and says nothing.
    audited = ("Pairing", ("MatchingRun", {"exclude_fields": ["progress"]}), "Recommendation")
    cockpit_models = ("Pairing",)
