from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cunqi.accounts import services
from cunqi.accounts.forms import NewUserForm, ResetPasswordForm
from cunqi.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
    readonly_fields = ("password_changed_at",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {
                "fields": (
                    "role",
                    "town",
                    "village",
                    "enterprise",
                    "department",
                    "person",
                    "served_villages",
                )
            },
        ),
        (_("Password policy"), {"fields": ("password_changed_at", "must_change_password")}),
    )
    filter_horizontal = ("served_villages", "groups", "user_permissions")
    actions = ("issue_enrolment_codes", "reset_second_factors")

    @admin.action(description=_("Issue an enrolment code for the authenticator app"))
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

    @admin.action(description=_("Reset the second factor (a lost phone)"))
    def reset_second_factors(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            services.reset_second_factor(user, by=request.user)
        self.message_user(
            request,
            _("Reset: each account binds its app again with a new enrolment code."),
            messages.SUCCESS,
        )

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Users leave by deactivation: their names stay on the history they made, which
        # the database keeps append-only.
        return False
