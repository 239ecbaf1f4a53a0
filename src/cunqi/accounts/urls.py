from django.contrib.auth import views as auth_views
from django.urls import path

from cunqi.accounts import views
from cunqi.accounts.forms import LoginForm
from cunqi.accounts.second_factor import second_factor
from cunqi.accounts.sessions import session_state

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", second_factor, name="second_factor"),
    path("password/", views.password_change, name="password_change"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/end/", views.end_session, name="end_session"),
    path("session/state/", session_state, name="session_state"),
    path("session/still-here/", views.still_here, name="still_here"),
]
