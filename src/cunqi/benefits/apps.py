from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem
from cunqi.core.roles import CITY_READERS, PARTNERS, Role


class BenefitsConfig(declarations.CunqiAppConfig):
    name = "cunqi.benefits"
    label = "benefits"
    verbose_name = _("Benefit linkage")
    menu = (
        MenuEntry(
            "benefits",
            _("Benefit linkage"),
            50,
            (
                MenuItem("benefits.EquityStructure", readers=CITY_READERS | PARTNERS),
                MenuItem("benefits.Distribution", readers=CITY_READERS | PARTNERS),
                MenuItem("benefits.Employment", readers=CITY_READERS | {Role.VILLAGE}),
                MenuItem("benefits.LandTransfer", readers=CITY_READERS | {Role.ENTERPRISE}),
                MenuItem("benefits.RentPayment", readers=CITY_READERS | {Role.ENTERPRISE}),
                MenuItem("benefits.Order", readers=CITY_READERS | {Role.VILLAGE}),
            ),
        ),
    )
    audited = (
        # A structure's "complete" is the lock the sum of its stakes sets (their history
        # shows it).
        ("EquityStructure", {"exclude_fields": ["is_complete"]}),
        "Stake",
        "VillagerWeight",
        "Distribution",
        "Employment",
        "LandTransfer",
        "RentPayment",
        "Order",
        "Delivery",
    )
    cockpit_models = ("Distribution", "LandTransfer", "Employment", "Delivery")

    def ready(self) -> None:
        super().ready()
        from cunqi.benefits import reconcile
        from cunqi.core import backup

        backup.register_restore_check(
            "the journal's reconciliation",
            lambda: [str(problem) for problem in reconcile.problems()],
        )
