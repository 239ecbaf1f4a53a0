from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, Periodic
from cunqi.core.roles import LOCAL_ROLES, Role


class ExchangeConfig(declarations.CunqiAppConfig):
    name = "cunqi.exchange"
    label = "exchange"
    verbose_name = _("Excel exchange")
    # Bulk entry is for those who keep rows; leaders, advisors and experts keep none there.
    menu = (
        MenuEntry(
            "excel",
            _("Excel"),
            10,
            url="exchange:index",
            roles=frozenset({Role.TASKFORCE, Role.DEPARTMENT, *LOCAL_ROLES}),
        ),
    )
    periodic = (
        Periodic(
            "cunqi.exchange.tasks.resume_imports",
            "*/10 * * * *",
            "queue again the imports a dead worker left",
        ),
    )

    def ready(self) -> None:
        super().ready()
        from cunqi.core import exports
        from cunqi.exchange import workbooks

        exports.register_writer(workbooks.export_workbook)
