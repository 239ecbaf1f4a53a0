from django.contrib import admin
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import set_language

from cunqi.api import views as api_views
from cunqi.core import notifications, offline

# One login page for the whole platform, with its throttling: the admin's own sends there.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    # Switching language must work before signing in, on the login page itself.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("admin/", admin.site.urls),
    path("accounts/", include("cunqi.accounts.urls")),
    path("reference/", include("cunqi.core.urls")),
    path("registry/", include("cunqi.registry.urls")),
    path("pairing/", include("cunqi.pairing.urls")),
    path("projects/", include("cunqi.projects.urls")),
    path("benefits/", include("cunqi.benefits.urls")),
    path("supervision/", include("cunqi.supervision.urls")),
    path("funds/", include("cunqi.funds.urls")),
    path("talent/", include("cunqi.talent.urls")),
    path("exchange/", include("cunqi.exchange.urls")),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/<id:pk>/", notifications.open_notification, name="notification_open"),
    path("", include("cunqi.dashboard.urls")),
    path("api-tokens/", api_views.token_list, name="api_tokens"),
    path("api-tokens/<id:pk>/revoke/", api_views.token_revoke, name="api_token_revoke"),
    path("api/v1/", include("cunqi.api.urls")),
]
