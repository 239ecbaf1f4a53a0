from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cunqi.core"
    label = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from cunqi.core import signals  # noqa: F401  (connects the receivers)
