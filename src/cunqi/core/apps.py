from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem, Periodic


class CoreConfig(declarations.CunqiAppConfig):
    name = "cunqi.core"
    label = "core"
    verbose_name = _("Reference data")
    menu = (
        MenuEntry(
            "reference",
            _("Reference data"),
            90,
            # The task force keeps the reference data; other roles meet it in their forms.
            tuple(
                MenuItem(label, readers=frozenset())
                for label in (
                    "core.Industry",
                    "core.CooperationModel",
                    "core.Dimension",
                    "core.Department",
                    "core.ResourceKind",
                    "core.CalendarDay",
                    "core.DocumentTemplate",
                )
            ),
        ),
    )
    audited = (
        "Industry",
        "CooperationModel",
        "Dimension",
        "Department",
        "ResourceKind",
        "CalendarDay",
        "DocumentTemplate",
    )
    cockpit_models = ("CooperationModel", "Industry")
    periodic = (
        Periodic(
            "cunqi.core.tasks.warn_of_missing_calendar",
            "30 7 * * *",
            "warn of a year without holidays in the calendar",
        ),
        Periodic("cunqi.core.tasks.purge_exports", "15 3 * * *", "delete exports kept long enough"),
    )

    def ready(self) -> None:
        super().ready()
        from django.urls import register_converter

        from cunqi.core import signals  # noqa: F401  (connects the receivers)
        from cunqi.core.converters import IdConverter, YearConverter

        register_converter(IdConverter, "id")
        register_converter(YearConverter, "year")
