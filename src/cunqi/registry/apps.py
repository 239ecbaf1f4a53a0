from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, MenuItem
from cunqi.core.roles import CITY_READERS, Role


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
                MenuItem("registry.Town", readers=CITY_READERS | {Role.TOWN}),
                MenuItem("registry.Village", readers=CITY_READERS | {Role.ENTERPRISE}),
                # Households are villagers' personal data: only those who keep them.
                MenuItem("registry.VillageGroup", readers=frozenset()),
                MenuItem("registry.Household", readers=frozenset()),
                "registry.VillageIncome",
                MenuItem("registry.Enterprise", readers=CITY_READERS | {Role.TOWN, Role.VILLAGE}),
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
        ("Household", {"exclude_fields": ["id_number_hash"]}),
        "Enterprise",
        "Person",
        "Resource",
    )
    cockpit_models = ("Zone", "Town", "Village", "Enterprise", "Household")
