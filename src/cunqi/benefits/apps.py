from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "cunqi.benefits"
    label = "benefits"
    verbose_name = _("Benefit linkage")

    def ready(self) -> None:
        from cunqi.benefits import reconcile
        from cunqi.core import backup

        backup.register_restore_check(
            "the journal's reconciliation",
            lambda: [str(problem) for problem in reconcile.problems()],
        )
