from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry


class TalentConfig(declarations.CunqiAppConfig):
    name = "cunqi.talent"
    label = "talent"
    verbose_name = _("Talent")
    menu = (
        MenuEntry(
            "support",
            _("Policy support"),
            60,
            ("talent.Expert", "talent.Advisor", "talent.Service", "talent.Training"),
        ),
    )
    audited = ("Expert", "Advisor", "Service", "Training")
