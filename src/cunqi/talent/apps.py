from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem
from cunqi.core.roles import CITY_READERS, PARTNERS, TALENT_ROLES, Role


class TalentConfig(declarations.CunqiAppConfig):
    name = "cunqi.talent"
    label = "talent"
    verbose_name = _("Talent")
    menu = (
        MenuEntry(
            "support",
            _("Policy support"),
            60,
            (
                MenuItem("talent.Expert", readers=CITY_READERS | {Role.TOWN} | TALENT_ROLES),
                MenuItem("talent.Advisor", readers=CITY_READERS | TALENT_ROLES),
                MenuItem("talent.Service", readers=CITY_READERS | PARTNERS),
                MenuItem("talent.Training", readers=CITY_READERS | {Role.ENTERPRISE}),
            ),
        ),
    )
    audited = ("Expert", "Advisor", "Service", "Training")
