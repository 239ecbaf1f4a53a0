"""What each role may do to a model, before scoping decides which rows.

Reading (list, detail, export, history) is open to every role for the rows in its scope.
Writing is per model: ``edit_policy`` names the roles beside the task force that may
create, edit or delete rows in their scope (DESIGN §1).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model

from cunqi.core.roles import Role
from cunqi.core.scoping import user_scope

READ_ACTIONS = frozenset({"list", "detail", "export", "history"})
WRITE_ACTIONS = frozenset({"create", "edit", "delete"})


@dataclass(frozen=True)
class EditPolicy:
    create: frozenset[str] = frozenset()
    edit: frozenset[str] = frozenset()
    delete: frozenset[str] = frozenset()
    # Workflow actions of the model (e.g. "approve", "post") and the roles that may take them.
    actions: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def writers(cls, *roles: str, **extra: Mapping[str, frozenset[str]]) -> "EditPolicy":
        """The same roles may create, edit and delete."""
        roles = frozenset(roles)
        return cls(create=roles, edit=roles, delete=roles, **extra)

    def roles_for(self, action: str) -> frozenset[str]:
        if action in WRITE_ACTIONS:
            return getattr(self, action)
        return self.actions.get(action, frozenset())


TASKFORCE_ONLY = EditPolicy()


def allows(user: AbstractBaseUser, action: str, model: type[Model]) -> bool:
    """Whether ``user``'s role may perform ``action`` on ``model`` at all."""
    if user_scope(user).kind == "none":
        return False
    if action in READ_ACTIONS:
        return True
    if action not in WRITE_ACTIONS and action not in model.edit_policy.actions:
        raise ValueError(f"unknown action {action!r}")
    if user.is_superuser or user.role == Role.TASKFORCE:
        return True
    return user.role in model.edit_policy.roles_for(action)
