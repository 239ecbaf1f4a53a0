from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem
from cunqi.core.roles import CITY_READERS, LOCAL_ROLES, PARTNERS, TALENT_ROLES, Role


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
                MenuItem(
                    "projects.ProjectApplication", readers=CITY_READERS | LOCAL_ROLES | TALENT_ROLES
                ),
                MenuItem("projects.Project", readers=CITY_READERS | LOCAL_ROLES | TALENT_ROLES),
                MenuItem("projects.Investment", readers=CITY_READERS | PARTNERS),
                MenuItem("projects.Approval", readers=CITY_READERS | PARTNERS),
                MenuItem("projects.ApprovalDocument", readers=frozenset({Role.DEPARTMENT})),
                MenuItem("projects.Handover", readers=CITY_READERS | {Role.VILLAGE}),
            ),
        ),
        MenuEntry(
            "reference",
            _("Reference data"),
            90,
            (
                MenuItem("projects.ApprovalStage", readers=frozenset()),
                MenuItem("projects.DocumentKind", readers=frozenset()),
            ),
        ),
    )
    audited = (
        ("ProjectApplication", {"m2m_fields": {"cooperation_models"}}),
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
