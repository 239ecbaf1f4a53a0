from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TASKFORCE = "taskforce", _("Task force")
    LEADER = "leader", _("City leader")
    DEPARTMENT = "department", _("Department")
    TOWN = "town", _("Town officer")
    VILLAGE = "village", _("Village cadre")
    ENTERPRISE = "enterprise", _("Enterprise contact")
    ADVISOR = "advisor", _("Advisor")
    EXPERT = "expert", _("Expert")
    # The three administrators of protection level 3 (三权分立, cunqi.accounts.administrators):
    # none sees or changes the programme's data.
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


# Roles whose scope is the whole programme (DESIGN §1).
CITY_WIDE_ROLES = frozenset({Role.TASKFORCE, Role.LEADER, Role.DEPARTMENT})

# Roles that read most of the programme for their work, beside the task force, without
# writing it: the menu shows them a model's pages unless it names its own readers.
CITY_READERS = frozenset({Role.LEADER, Role.DEPARTMENT})
# Roles that work in one place (a town, a village, an enterprise) or for the villages
# they serve.
LOCAL_ROLES = frozenset({Role.TOWN, Role.VILLAGE, Role.ENTERPRISE})
TALENT_ROLES = frozenset({Role.ADVISOR, Role.EXPERT})
ADMINISTRATORS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# The two sides of a pairing.
PARTNERS = frozenset({Role.VILLAGE, Role.ENTERPRISE})
