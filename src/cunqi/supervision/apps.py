from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, Periodic, TemplatedDocument


class SupervisionConfig(declarations.CunqiAppConfig):
    name = "cunqi.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    periodic = (
        # Daily: a month's cards come the day after its reports were due, whatever day
        # the task force sets, and an unchanged evaluation changes nothing.
        Periodic("cunqi.supervision.tasks.evaluate_cards", "0 6 * * *", "evaluate the card rules"),
        Periodic("cunqi.supervision.tasks.notify_due", "0 7 * * *", "remind of what comes due"),
    )
    documents = (
        TemplatedDocument("bulletin", _("monthly bulletin"), "cunqi.supervision.bulletin.LAYOUT"),
    )
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
