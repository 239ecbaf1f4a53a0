from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cunqi.core"
    label = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from django.urls import register_converter

        from cunqi.core import signals  # noqa: F401  (connects the receivers)
        from cunqi.core.converters import IdConverter, YearConverter

        register_converter(IdConverter, "id")
        register_converter(YearConverter, "year")
