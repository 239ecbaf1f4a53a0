"""The audit trail in the admin site, for the audit administrator: one page of the
security events and the change history (``core.audit``), its export, and each event's
full record. Nobody changes or deletes an event here."""

from itertools import islice

from django.contrib import admin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core import audit, xlsx
from cunqi.core.models import SecurityEvent
from cunqi.core.security import log_event

PAGE = 100
# More than this waits for an archive or a narrower search: an export is built while
# its reader waits.
EXPORT_LIMIT = 100_000


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    fields = (
        "at",
        "kind",
        "category",
        "outcome",
        "username",
        "user_id",
        "address",
        "path",
        "request_id",
        "details",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # refuses, as the admin does
        form = audit.TrailFilter(request.GET or None)
        if not form.is_bound:
            search = audit.Search()
        else:  # a wrong filter shows its message, and no line
            search = audit.Search(**form.cleaned_data) if form.is_valid() else None
        if search is not None and request.GET.get("export") == "xlsx":
            return _export(request, search)
        page = None
        if search is not None:
            page = Paginator(audit.trail(search), PAGE).get_page(request.GET.get("page"))
            page.lines = audit.lines(list(page.object_list))
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Audit trail"),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "export_limit": EXPORT_LIMIT,
        }
        return TemplateResponse(request, "admin/core/audit_trail.html", context)


def _export(request: HttpRequest, search: audit.Search) -> HttpResponse:
    log_event("audit.export", request, filters=request.GET.urlencode())
    header = [
        _("when"),
        _("user"),
        _("from where"),
        _("category"),
        _("event"),
        _("outcome"),
        _("what"),
    ]
    rows = (
        (
            timezone.localtime(line.at).replace(tzinfo=None),
            line.username,
            line.address,
            line.category,
            line.what,
            line.outcome,
            line.details,
        )
        for line in islice(audit.every_line(search), EXPORT_LIMIT)
    )
    content = xlsx.write_rows(_("Audit trail"), header, rows)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.xlsx"'
    return response
