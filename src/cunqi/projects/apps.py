from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry


class ProjectsConfig(declarations.CunqiAppConfig):
    name = "cunqi.projects"
    label = "projects"
    verbose_name = _("Projects")
    menu = (
        MenuEntry(
            "projects",
            _("Projects"),
            40,
            (
                "projects.Project",
                "projects.Investment",
                "projects.Approval",
                "projects.ApprovalDocument",
                "projects.Handover",
            ),
        ),
        MenuEntry(
            "reference",
            _("Reference data"),
            90,
            ("projects.ApprovalStage", "projects.DocumentKind"),
        ),
    )
    audited = (
        ("Project", {"m2m_fields": {"villages", "enterprises", "cooperation_models"}}),
        "Investment",
        "ApprovalStage",
        "DocumentKind",
        "Approval",
        "ApprovalDocument",
        "Handover",
        "HandoverAsset",
    )
    cockpit_models = ("Project", "Investment")
