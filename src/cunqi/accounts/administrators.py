"""The three administrators of protection level 3 (三权分立, GB/T 22239-2019 8.1.4.2 d):
each works in the admin site on its own part only, and none sees or changes the
programme's data (no business page lets an administrator's role in).

- the system administrator keeps the accounts: makes them, gives them a business role
  and its scope, resets their passwords; it cannot make an administrator or a superuser;
- the security administrator keeps sign-in safe: issues enrolment codes, resets second
  factors, ends sessions, lifts lock-outs; it changes no account otherwise;
- the audit administrator reads and exports the audit trail (the security events and the
  change history), and changes nothing.

Django's superuser is for installation only (``cunqi security-check`` says if there is
more than one). What each may do is this module's table, granted by its backend; the
admin site asks it through Django's permissions."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from cunqi.core.roles import Role

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSADMIN: frozenset({"accounts.view_user", "accounts.add_user", "accounts.change_user"}),
    Role.SECADMIN: frozenset(
        {
            "accounts.view_user",
            "accounts.secure_user",  # the enrolment code and second-factor reset actions
            "accounts.view_usersession",
            "accounts.delete_usersession",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accessfailurelog",
        }
    ),
    Role.AUDITOR: frozenset(
        {
            "core.view_securityevent",
            "auditlog.view_logentry",
            "admin.view_logentry",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
        }
    ),
}


class AdministratorBackend(BaseBackend):
    """Grants an administrator's role its permissions, and nothing to anyone else."""

    def get_all_permissions(self, user_obj: object, obj: object = None) -> set[str]:
        if not getattr(user_obj, "is_active", False) or not getattr(user_obj, "is_staff", False):
            return set()
        return set(PERMISSIONS.get(getattr(user_obj, "role", ""), ()))

    def has_perm(self, user_obj: object, perm: str, obj: object = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: object, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
