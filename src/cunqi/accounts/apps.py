from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations


class AccountsConfig(declarations.CunqiAppConfig):
    name = "cunqi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # A password and the last sign-in are no change of the account a reader needs.
    audited = (("User", {"exclude_fields": ["password", "last_login"]}),)
