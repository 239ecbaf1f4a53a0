from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry


class SupervisionConfig(declarations.CunqiAppConfig):
    name = "cunqi.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    menu = (
        MenuEntry(
            "supervision",
            _("Supervision"),
            70,
            (
                (_("Card board"), "supervision:card_board", "supervision.Card"),
                (
                    _("Demonstration towns"),
                    "supervision:demonstration",
                    "supervision.DemonstrationCriteria",
                ),
                "supervision.Card",
                "supervision.Bulletin",
                "supervision.QuarterlyReview",
                "supervision.Nomination",
                "supervision.Award",
                "supervision.EvaluationScheme",
                "supervision.MonthlyReport",
                "supervision.Meeting",
                "supervision.ActionItem",
                "supervision.RuleSetting",
            ),
        ),
    )
    audited = (
        "MonthlyReport",
        "ReportAttachment",
        "RuleSetting",
        # A card's evaluation date moves with every evaluation and says nothing.
        ("Card", {"exclude_fields": ["evaluated_on"]}),
        "Meeting",
        "ActionItem",
        "Bulletin",
        "DemonstrationCriteria",
        "EvaluationScheme",
        "QuarterlyReview",
        "Nomination",
        "Award",
    )
    cockpit_models = ("Award",)
