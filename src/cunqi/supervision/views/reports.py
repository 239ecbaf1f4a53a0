"""Monthly reports: writing, attaching, submitting and reviewing them; quarterly reviews."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cunqi.core.doors import door
from cunqi.core.forms import form_values
from cunqi.core.permissions import allows
from cunqi.core.views import (
    Action,
    ObjectActionView,
    ObjectEditView,
    ObjectViews,
    Section,
)
from cunqi.supervision import filtersets, forms, services, tables
from cunqi.supervision.forms import MonthlyReportForm
from cunqi.supervision.models import (
    MonthlyReport,
    QuarterlyReview,
    ReportAttachment,
)
from cunqi.supervision.rules import BY_URGENCY
from cunqi.supervision.selectors.reviews import quarter_figures


class ReportActionView(ObjectActionView):
    """Submit a report, or accept or return it with a comment."""

    actions = {
        "submit": Action(
            "submit", lambda report, request: services.submit_report(report, request.user)
        ),
        "accept": Action(
            "review",
            lambda report, request: services.review_report(report, request.user, accept=True),
        ),
        "return": Action(
            "review",
            lambda report, request: services.review_report(
                report, request.user, accept=False, comment=request.POST.get("comment", "")
            ),
        ),
    }


class ReportAttachmentViews(ObjectViews):
    model = ReportAttachment
    table = tables.ReportAttachmentTable
    filterset = filtersets.ReportAttachmentFilterSet
    form = forms.ReportAttachmentForm
    select_related = ("report__project", "report__pairing__village", "report__pairing__enterprise")
    pages = frozenset({"add", "delete"})
    file_field = "file"


class MonthlyReportEditView(ObjectEditView):
    def write(self, form: MonthlyReportForm, obj: MonthlyReport | None) -> MonthlyReport:
        return services.write_report(
            self.request.user, obj, form_values(form), form.cleaned_data["photos"]
        )


class MonthlyReportViews(ObjectViews):
    model = MonthlyReport
    table = tables.MonthlyReportTable
    filterset = filtersets.MonthlyReportFilterSet
    form = forms.MonthlyReportForm
    select_related = (
        "project",
        "pairing__village",
        "pairing__enterprise",
        "submitted_by",
        "reviewed_by",
    )
    detail_template = "supervision/monthlyreport_detail.html"
    action_view = ReportActionView
    edit_view = MonthlyReportEditView
    sections = (
        Section(
            gettext_lazy("Photos and attachments"),
            lambda: ReportAttachmentViews,
            lambda report: report.attachments.all(),
            exclude=("report",),
        ),
    )

    @classmethod
    def links(cls, report: MonthlyReport) -> list[tuple[str, str]]:
        if not door(MonthlyReport).may_change(report):
            return []
        url = f"{reverse('supervision:reportattachment_add')}?report={report.pk}"
        return [(_("Attach a photo or file"), url)]

    @classmethod
    def extra_context(cls, report: MonthlyReport, request: HttpRequest) -> dict:
        user = request.user
        can_submit = door(MonthlyReport).may_change(report) and allows(
            user, "submit", MonthlyReport
        )
        can_review = report.status == MonthlyReport.Status.SUBMITTED and allows(
            user, "review", MonthlyReport
        )
        return {"can_submit": can_submit, "can_review": can_review}


class QuarterlyReviewViews(ObjectViews):
    model = QuarterlyReview
    table = tables.QuarterlyReviewTable
    filterset = filtersets.QuarterlyReviewFilterSet
    form = forms.QuarterlyReviewForm
    select_related = ("zone", "town", "pairing__village", "pairing__enterprise")
    prefill = gettext_lazy("Fill in from the quarter's figures")

    @classmethod
    def figures(cls, review: QuarterlyReview) -> list[tuple[str, object]]:
        subject = {"zone": review.zone, "town": review.town, "pairing": review.pairing}
        found = quarter_figures(
            review.year, review.quarter, **{k: v for k, v in subject.items() if v is not None}
        )
        return [
            (_("total"), f"{review.total} / 100"),
            (
                _("Reports due / accepted / on time"),
                f"{found.reports_due} / {found.reports_accepted} / {found.reports_on_time}",
            ),
            (
                _("Investment of the quarter, completed / planned (yuan)"),
                f"{found.completed:,.2f} / {found.planned:,.2f}",
            ),
            (
                _("Cards in force (red / yellow / green)"),
                " / ".join(str(found.cards.get(colour, 0)) for colour in BY_URGENCY),
            ),
        ]
