from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cunqi.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "get_full_name",
        "role",
        "town",
        "village",
        "enterprise",
        "is_active",
    )
    list_filter = ("role", "is_active")
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
    )
    filter_horizontal = ("served_villages", "groups", "user_permissions")

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Users leave by deactivation: their names stay on the history they made, which
        # the database keeps append-only.
        return False
