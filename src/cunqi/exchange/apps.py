from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, Periodic


class ExchangeConfig(declarations.CunqiAppConfig):
    name = "cunqi.exchange"
    label = "exchange"
    verbose_name = _("Excel exchange")
    menu = (MenuEntry("excel", _("Excel"), 10, url="exchange:index"),)
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
