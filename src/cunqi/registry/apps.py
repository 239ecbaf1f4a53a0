from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry


class RegistryConfig(declarations.CunqiAppConfig):
    name = "cunqi.registry"
    label = "registry"
    verbose_name = _("Registry")
    menu = (
        MenuEntry(
            "registry",
            _("Registry"),
            20,
            (
                "registry.Zone",
                "registry.Town",
                "registry.Village",
                "registry.VillageGroup",
                "registry.Household",
                "registry.VillageIncome",
                "registry.Enterprise",
                "registry.Person",
                "registry.Resource",
            ),
        ),
    )
    audited = (
        "Zone",
        "Town",
        "Village",
        "VillageIncome",
        "VillageGroup",
        "Household",
        "Enterprise",
        "Person",
        "Resource",
    )
    cockpit_models = ("Zone", "Town", "Village", "Enterprise")
