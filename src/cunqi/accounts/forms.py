from django.contrib.auth.forms import AuthenticationForm

from cunqi.core.forms import style_field


class LoginForm(AuthenticationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_field(field)
