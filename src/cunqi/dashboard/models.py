from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """The whole programme's cockpit figures, computed by a task and read by the pages.

    At national scale the figures take seconds to compute from rows; leaders, the public
    page and departments read this instead. A write to a counted model marks it stale
    after commit and enqueues one refresh (see ``dashboard.snapshot``); the page says
    when the figures were computed and whether a refresh is under way.
    """

    key = models.CharField(_("key"), max_length=50, unique=True)
    payload = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), null=True)
    is_stale = models.BooleanField(_("being refreshed"), default=True)

    class Meta:
        verbose_name = _("cockpit snapshot")
        verbose_name_plural = _("cockpit snapshots")

    def __str__(self) -> str:
        return self.key
