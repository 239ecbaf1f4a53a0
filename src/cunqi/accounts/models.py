from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cunqi.core import history
from cunqi.core.roles import ADMINISTRATORS, CITY_WIDE_ROLES, Role
from cunqi.core.scoping import ALL_SCOPE, NO_SCOPE, UserScope

# The field each role's scope hangs on; advisors and experts use the villages they serve.
SCOPE_FIELD_BY_ROLE = {
    Role.TOWN: "town",
    Role.VILLAGE: "village",
    Role.ENTERPRISE: "enterprise",
}


class Users(UserManager.from_queryset(history.RecordedQuerySet)):
    """Django's user manager, with the audited models' guard on bulk writes."""


class User(AbstractUser):
    objects = Users()

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    town = models.ForeignKey(
        "registry.Town", verbose_name=_("town"), null=True, blank=True, on_delete=models.PROTECT
    )
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("The leader, task-force member, advisor or expert this account belongs to."),
    )
    served_villages = models.ManyToManyField(
        "registry.Village",
        verbose_name=_("villages served"),
        blank=True,
        related_name="serving_users",
        help_text=_("For advisors and experts: the villages whose data they may see."),
    )
    password_changed_at = models.DateTimeField(
        _("password changed"), null=True, blank=True, editable=False
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Asked to choose a new password at the next sign-in (set when an administrator "
            "makes the account or resets its password)."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        field_name = SCOPE_FIELD_BY_ROLE.get(self.role)
        if field_name and getattr(self, f"{field_name}_id") is None:
            raise ValidationError(
                {field_name: _("This role needs it: it decides what the user sees.")}
            )
        if self.role == Role.DEPARTMENT and self.department_id is None:
            raise ValidationError({"department": _("A department user needs a department.")})
        if self.is_staff and not self.is_superuser and self.role not in ADMINISTRATORS:
            raise ValidationError(
                {"role": _("Only the three administrators' roles open the administration.")}
            )

    @cached_property
    def scope(self) -> UserScope:
        """The rows this user may see (cached for the request)."""
        if self.is_superuser or self.role in CITY_WIDE_ROLES:
            return ALL_SCOPE
        if field_name := SCOPE_FIELD_BY_ROLE.get(self.role):
            scoped_id = getattr(self, f"{field_name}_id")
            return UserScope(field_name, frozenset({scoped_id})) if scoped_id else NO_SCOPE
        if self.role in (Role.ADVISOR, Role.EXPERT):
            return UserScope(
                "villages", frozenset(self.served_villages.values_list("pk", flat=True))
            )
        return NO_SCOPE

    @property
    def scope_label(self) -> str:
        """The town, village or enterprise the user's scope hangs on, for the header."""
        field_name = SCOPE_FIELD_BY_ROLE.get(self.role)
        return str(getattr(self, field_name) or "") if field_name else ""


class ApiToken(models.Model):
    """A user's key to the REST API. Only its SHA-256 is stored; the key itself is shown
    once, when it is made. It acts with its user's role and scope."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="api_tokens", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordRecord(models.Model):
    """A password the user had (its hash only), so that it is not chosen again."""

    user = models.ForeignKey(User, related_name="password_records", on_delete=models.CASCADE)
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.set_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A browser where the user is signed in: what they see on “Where you are signed in”
    and may end. The session itself stays in Django's session store."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, related_name="signed_in", on_delete=models.CASCADE)
    started_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last active"))
    address = models.CharField(_("address"), max_length=45, blank=True)
    browser = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signed-in browser")
        verbose_name_plural = _("signed-in browsers")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.address or '?'}"


class EnrolmentCode(models.Model):
    """What a new account needs, besides its password, to bind an authenticator app: a
    one-time code an administrator issued, shown to them once (only its SHA-256 is kept),
    valid until it expires or is used."""

    user = models.ForeignKey(User, related_name="enrolment_codes", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"
