from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "cunqi.dashboard"
    label = "dashboard"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from cunqi.dashboard import snapshot

        def on_write(**kwargs) -> None:
            snapshot.request_refresh()

        # The models the whole-programme cockpit counts.
        for label in (
            "registry.Zone",
            "registry.Town",
            "registry.Village",
            "registry.Enterprise",
            "pairing.Pairing",
            "projects.Project",
            "projects.Investment",
            "core.CooperationModel",
            "core.Industry",
            "benefits.Distribution",
            "benefits.LandTransfer",
            "supervision.Award",
        ):
            model = apps.get_model(label)
            post_save.connect(
                on_write, sender=model, weak=False, dispatch_uid=f"cockpit-save-{label}"
            )
            post_delete.connect(
                on_write, sender=model, weak=False, dispatch_uid=f"cockpit-delete-{label}"
            )
        for through in (
            apps.get_model("projects.Project").villages.through,
            apps.get_model("projects.Project").cooperation_models.through,
        ):
            m2m_changed.connect(
                on_write, sender=through, weak=False, dispatch_uid=f"cockpit-m2m-{through.__name__}"
            )
