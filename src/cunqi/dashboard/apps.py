from django.utils.translation import gettext_lazy as _

from cunqi.core import declarations
from cunqi.core.declarations import MenuEntry, Periodic
from cunqi.core.roles import CITY_WIDE_ROLES, Role


class DashboardConfig(declarations.CunqiAppConfig):
    name = "cunqi.dashboard"
    label = "dashboard"
    verbose_name = _("Cockpit")
    menu = (
        MenuEntry("home", _("My work"), -10, url="dashboard:home"),
        # Village cadres, enterprise contacts, advisors and experts have their home page.
        MenuEntry(
            "cockpit", _("Cockpit"), 0, url="dashboard:cockpit", roles=CITY_WIDE_ROLES | {Role.TOWN}
        ),
        MenuEntry("map", _("Map"), 1, url="dashboard:map", roles=CITY_WIDE_ROLES | {Role.TOWN}),
    )
    # Nightly: figures that change with the date alone (overdue, this year's) are fresh
    # each morning even where nothing was written.
    periodic = (
        Periodic("cunqi.dashboard.snapshot.refresh_cockpit", "15 0 * * *", "refresh the cockpit"),
    )

    def ready(self) -> None:
        super().ready()
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from cunqi.core import declarations, doors
        from cunqi.dashboard import snapshot

        def on_write(**kwargs: object) -> None:
            snapshot.request_refresh()

        # The models whose writes change the whole programme's cockpit, as their apps
        # declare them; bulk writes (imports) through the doors say so too.
        counted = [apps.get_model(label) for label in declarations.cockpit_models()]
        for model in counted:
            label = model._meta.label
            post_save.connect(
                on_write, sender=model, weak=False, dispatch_uid=f"cockpit-save-{label}"
            )
            post_delete.connect(
                on_write, sender=model, weak=False, dispatch_uid=f"cockpit-delete-{label}"
            )
            doors.written.connect(
                on_write, sender=model, weak=False, dispatch_uid=f"cockpit-bulk-{label}"
            )
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    on_write,
                    sender=field.remote_field.through,
                    weak=False,
                    dispatch_uid=f"cockpit-m2m-{label}-{field.name}",
                )
