from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    AuthenticationForm,
)
from django.utils.translation import gettext_lazy as _

from cunqi.accounts import services
from cunqi.accounts.models import User
from cunqi.core.forms import style_field


class LoginForm(AuthenticationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_field(field)


class PasswordChangeForm(forms.Form):
    """The user's own new password: the current one proves it is them; the policy is the
    door's (services.set_password)."""

    old_password = forms.CharField(
        label=_("current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    new_password2 = forms.CharField(
        label=_("new password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_field(field)

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your current password."))
        return password

    def clean(self) -> dict:
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class ResetPasswordForm(AdminPasswordChangeForm):
    """An administrator's reset: the user chooses their own at the next sign-in."""

    def save(self, commit: bool = True) -> User:
        if not self.cleaned_data.get("password1"):  # password sign-in switched off
            return super().save(commit)
        services.set_password(self.user, self.cleaned_data["password1"], reset=True)
        return self.user


class NewUserForm(AdminUserCreationForm):
    """An account an administrator makes: its first sign-in asks for a new password."""

    class Meta(AdminUserCreationForm.Meta):
        model = User

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
            self.save_m2m()
        return user
