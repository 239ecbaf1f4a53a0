from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads


class ImportJob(models.Model):
    """One uploaded template: checked, shown to its user, and imported on their word."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("importing")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("cannot be read")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="+", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=30)
    file = models.FileField(_("file"), upload_to=uploads.upload_to, max_length=200)
    file_name = models.CharField(_("file name"), max_length=100)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new rows"), default=0)
    updated = models.PositiveIntegerField(_("changed rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list)  # [[row, column, message], …]
    message = models.CharField(_("message"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and self.error_count == 0 and self.rows > 0
