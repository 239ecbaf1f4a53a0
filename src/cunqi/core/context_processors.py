from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cunqi.core.permissions import allows

# The menu: (label, [model labels]) groups, or a single named URL. A group's item may also
# be (label, URL name, the model label whose list permission it needs). Items the user's
# role may not list are left out.
MENU = (
    (_("Cockpit"), "dashboard:cockpit"),
    (_("Excel"), "exchange:index"),
    (
        _("Registry"),
        (
            "registry.Zone",
            "registry.Town",
            "registry.Village",
            "registry.VillageGroup",
            "registry.Household",
            "registry.VillageIncome",
            "registry.Enterprise",
            "registry.Person",
            "registry.Resource",
        ),
    ),
    (_("Pairings"), ("pairing.Pairing", "pairing.MatchingRun", "pairing.Recommendation")),
    (
        _("Projects"),
        (
            "projects.Project",
            "projects.Investment",
            "projects.Approval",
            "projects.ApprovalDocument",
        ),
    ),
    (
        _("Benefit linkage"),
        (
            "benefits.EquityStructure",
            "benefits.Distribution",
            "benefits.Employment",
            "benefits.LandTransfer",
            "benefits.RentPayment",
            "benefits.Order",
            "benefits.Handover",
        ),
    ),
    (
        _("Policy support"),
        (
            "funds.FundSource",
            "funds.FundBudget",
            "funds.Allocation",
            "funds.Disbursement",
            "funds.Policy",
            "talent.Expert",
            "talent.Advisor",
            "talent.Service",
            "talent.Training",
        ),
    ),
    (
        _("Supervision"),
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
    (
        _("Reference data"),
        (
            "core.Industry",
            "core.CooperationModel",
            "core.Dimension",
            "core.Department",
            "core.ResourceKind",
            "projects.ApprovalStage",
            "projects.DocumentKind",
        ),
    ),
)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, target in MENU:
        if isinstance(target, str):
            url = reverse(target)
            items.append({"label": label, "url": url, "active": request.path == url})
            continue
        children = []
        for item in target:
            if isinstance(item, tuple):
                child_label, url_name, model_label = item
            else:
                child_label, url_name, model_label = None, None, item
            model = apps.get_model(model_label)
            if allows(user, "list", model):
                url = reverse(url_name or model.url_name("list"))
                child_label = child_label or model._meta.verbose_name_plural.capitalize()
                children.append({"label": child_label, "url": url})
        if len(children) == 1:
            items.append({**children[0], "active": request.path.startswith(children[0]["url"])})
        elif children:
            active = any(request.path.startswith(child["url"]) for child in children)
            items.append({"label": label, "children": children, "active": active})
    return {"navigation": items}
