from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry


class ExchangeConfig(declarations.CunqiAppConfig):
    name = "cunqi.exchange"
    label = "exchange"
    verbose_name = _("Excel exchange")
    menu = (MenuEntry("excel", _("Excel"), 10, url="exchange:index"),)

    def ready(self) -> None:
        super().ready()
        from cunqi.core import exports
        from cunqi.exchange import workbooks

        exports.register_writer(workbooks.export_workbook)
