from django.contrib.auth import views as auth_views
from django.urls import path

from cunqi.accounts.forms import LoginForm
from cunqi.accounts.second_factor import second_factor

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
]
