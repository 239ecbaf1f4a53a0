from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem, Periodic, TemplatedDocument
from cunqi.core.roles import CITY_READERS, LOCAL_ROLES, PARTNERS, Role


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
                # The month's reports first: the cycle everything else here judges.
                "supervision.MonthlyReport",
                MenuItem(
                    "supervision.Card",
                    "supervision:card_board",
                    _("Card board"),
                    readers=CITY_READERS | {Role.TOWN},
                ),
                MenuItem(
                    "supervision.DemonstrationCriteria",
                    "supervision:demonstration",
                    _("Demonstration towns"),
                    readers=CITY_READERS | {Role.TOWN},
                ),
                MenuItem("supervision.Card", readers=CITY_READERS | PARTNERS),
                MenuItem("supervision.Bulletin", readers=CITY_READERS | {Role.TOWN}),
                MenuItem("supervision.QuarterlyReview", readers=CITY_READERS | {Role.TOWN}),
                "supervision.Nomination",
                MenuItem("supervision.Award", readers=CITY_READERS | LOCAL_ROLES),
                MenuItem("supervision.EvaluationScheme", readers=frozenset({Role.LEADER})),
                MenuItem("supervision.Meeting", readers=CITY_READERS | {Role.TOWN}),
                "supervision.ActionItem",
                MenuItem("supervision.Instruction", readers=CITY_READERS | {Role.TOWN}),
                MenuItem("supervision.RuleSetting", readers=frozenset()),
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
        "Instruction",
        "Bulletin",
        "DemonstrationCriteria",
        "EvaluationScheme",
        "QuarterlyReview",
        "Nomination",
        "Award",
    )
    cockpit_models = ("Award",)
