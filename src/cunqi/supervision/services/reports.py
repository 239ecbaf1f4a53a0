"""Monthly reports: written while a draft or returned, then submitted and reviewed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core.doors import Door, authorize, door, register
from cunqi.projects.services import record_reported_investment
from cunqi.supervision import notices
from cunqi.supervision.models import (
    MonthlyReport,
    ReportAttachment,
)

if TYPE_CHECKING:
    from cunqi.accounts.models import User

WRITING = (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED)


@register
class MonthlyReportDoor(Door):
    """A report is written while it is a draft or returned; submitted or accepted, its
    figures are fixed (only a return opens it again)."""

    model = MonthlyReport
    managed_fields = frozenset(
        {"status", "submitted_at", "submitted_by", "reviewed_by", "review_comment"}
    )

    def frozen(self, row: MonthlyReport) -> str | None:
        if row.status not in WRITING:
            return _("A submitted or accepted report can no longer be changed.")
        return None

    def check(
        self, row: MonthlyReport, related: dict, user: User, *, previous: MonthlyReport | None
    ) -> None:
        if row.pairing_id and row.investment_completed:
            raise ValidationError(
                {
                    "investment_completed": _(
                        "Investment is reported by project: leave it at zero in a pairing's report."
                    )
                }
            )


@register
class ReportAttachmentDoor(Door):
    """Files are attached to, or removed from, a report only while it is being written."""

    model = ReportAttachment

    def frozen(self, row: ReportAttachment) -> str | None:
        return door(MonthlyReport).frozen(row.report)


@transaction.atomic
def write_report(
    user: User, report: MonthlyReport | None, values: dict, photos: Sequence[File] = ()
) -> MonthlyReport:
    """Save a report with the photos taken for it, all or nothing: a phone sends them in
    one go, and a refused photo must not leave the report half-sent."""
    saved = door(MonthlyReport).save(user, report, values)
    for number, photo in enumerate(photos, start=1):
        try:
            door(ReportAttachment).create(user, {"report": saved, "file": photo})
        except ValidationError as error:
            raise ValidationError(
                {
                    "photos": _("Photo %(number)s (%(name)s): %(reason)s")
                    % {"number": number, "name": photo.name, "reason": " ".join(error.messages)}
                }
            ) from None
    return saved


@transaction.atomic
def submit_report(report: MonthlyReport, user: User) -> MonthlyReport:
    authorize(user, "submit", report)
    locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED):
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    locked.status = MonthlyReport.Status.SUBMITTED
    # The first submission counts for timeliness; a returned report keeps its date.
    locked.submitted_at = locked.submitted_at or timezone.now()
    locked.submitted_by = user
    locked.save()
    return locked


@transaction.atomic
def review_report(
    report: MonthlyReport, user: User, *, accept: bool, comment: str = ""
) -> MonthlyReport:
    authorize(user, "review", report)
    locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what must change before returning a report.")})
    locked.status = MonthlyReport.Status.ACCEPTED if accept else MonthlyReport.Status.RETURNED
    locked.reviewed_by, locked.review_comment = user, comment.strip()
    locked.save()
    if accept and locked.project_id:
        record_reported_investment(locked.project, locked.month, locked.investment_completed, user)
    transaction.on_commit(lambda: notices.notify_reviewed(locked))
    return locked
