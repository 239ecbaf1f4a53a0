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


# Roles whose scope is the whole programme (DESIGN §1).
CITY_WIDE_ROLES = frozenset({Role.TASKFORCE, Role.LEADER, Role.DEPARTMENT})
