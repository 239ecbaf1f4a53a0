from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry


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
                "funds.FundSource",
                "funds.FundBudget",
                "funds.Allocation",
                "funds.Disbursement",
                "funds.Policy",
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
