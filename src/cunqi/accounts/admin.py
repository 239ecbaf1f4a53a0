from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms import Field
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cunqi.accounts import services
from cunqi.accounts.forms import NewUserForm, ResetPasswordForm
from cunqi.accounts.models import User, UserSession
from cunqi.accounts.sessions import end_session
from cunqi.core.roles import ADMINISTRATORS

admin.site.site_header = admin.site.site_title = _("Cunqi administration")

SCOPE_FIELDS = ("role", "town", "village", "enterprise", "department", "person", "served_villages")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts, as the system administrator keeps them (cunqi.accounts.administrators):
    business roles and their scopes only; administrators and superusers are the
    installation's, and powers come from the role, never from groups or permissions."""

    add_form = NewUserForm
    change_password_form = ResetPasswordForm
    list_display = (
        "username",
        "get_full_name",
        "role",
        "town",
        "village",
        "enterprise",
        "is_active",
    )
    list_filter = ("role", "is_active", "must_change_password")
    readonly_fields = ("password_changed_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": SCOPE_FIELDS}),
        (_("Status"), {"fields": ("is_active", "must_change_password", "password_changed_at")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    installation_fieldsets = (
        (_("Installation"), {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    filter_horizontal = ("served_villages", "groups", "user_permissions")
    actions = ("issue_enrolment_codes", "reset_second_factors")

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> tuple:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return (*fieldsets, *self.installation_fieldsets)
        return fieldsets

    def formfield_for_choice_field(
        self, db_field: object, request: HttpRequest, **kwargs: object
    ) -> Field:
        if db_field.name == "role" and not request.user.is_superuser:
            # Making an administrator is the installation's, not another administrator's.
            kwargs["choices"] = [
                choice for choice in db_field.get_choices() if choice[0] not in ADMINISTRATORS
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and not request.user.is_superuser and _administers(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Users leave by deactivation: their names stay on the history they made, which
        # the database keeps append-only.
        return False

    def has_secure_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.secure_user")

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        # The admin site opens to administrators only; a business role never administers.
        obj.is_staff = obj.is_superuser or obj.role in ADMINISTRATORS
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Issue an enrolment code for the authenticator app"), permissions=["secure"]
    )
    def issue_enrolment_codes(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Shown this once: hand each code to its user in person or by a trusted channel.
        for user in queryset:
            code = services.issue_enrolment_code(user, by=request.user)
            self.message_user(
                request,
                _("Enrolment code for %(user)s (shown once): %(code)s")
                % {"user": user.username, "code": code},
                messages.WARNING,
            )

    @admin.action(description=_("Reset the second factor (a lost phone)"), permissions=["secure"])
    def reset_second_factors(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            services.reset_second_factor(user, by=request.user)
        self.message_user(
            request,
            _("Reset: each account binds its app again with a new enrolment code."),
            messages.SUCCESS,
        )


def _administers(user: User) -> bool:
    return user.is_superuser or user.role in ADMINISTRATORS


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Signed-in browsers, which the security administrator may end."""

    list_display = ("user", "address", "browser", "started_at", "last_seen_at")
    list_filter = ("user__role",)
    search_fields = ("user__username", "address")
    readonly_fields = ("session_key", "user", "address", "browser", "started_at", "last_seen_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: UserSession | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: UserSession) -> None:
        end_session(obj.session_key)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for key in queryset.values_list("session_key", flat=True):
            end_session(key)
