from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo programme and the synthetic data for benchmarks: above every domain app,
    which it fills through their doors and services."""

    name = "cunqi.demo"
    label = "demo"
    verbose_name = _("Demo data")
