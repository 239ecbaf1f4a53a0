from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem
from cunqi.core.roles import CITY_READERS, LOCAL_ROLES, Role


class FundsConfig(declarations.CunqiAppConfig):
    name = "cunqi.funds"
    label = "funds"
    verbose_name = _("Funds and policies")
    menu = (
        MenuEntry(
            "support",
            _("Policy support"),
            60,
            (
                MenuItem("funds.FundSource", readers=frozenset({Role.LEADER})),
                MenuItem("funds.FundBudget", readers=frozenset({Role.LEADER})),
                MenuItem("funds.Allocation", readers=frozenset({Role.LEADER, Role.TOWN})),
                MenuItem("funds.Disbursement", readers=frozenset({Role.LEADER, Role.TOWN})),
                MenuItem("funds.Policy", readers=CITY_READERS | LOCAL_ROLES),
            ),
        ),
    )
    audited = (
        "FundSource",
        "FundBudget",
        "Allocation",
        "Disbursement",
        ("Policy", {"m2m_fields": {"industries", "cooperation_models", "zones"}}),
    )
