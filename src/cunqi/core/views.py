"""Generic list, detail, edit, delete and export views, written once for every model.

A model's pages are declared with ``ObjectViews`` (model, table, filters, form) and get
URL names ``<app>:<model>_<action>``. Each view checks the role (403) and then the row's
scope (404, so a row outside the user's scope never shows it exists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tables2 import RequestConfig

from cunqi.core import exports, personal
from cunqi.core.doors import door
from cunqi.core.fields import HundredthsField
from cunqi.core.forms import add_refusal, form_values
from cunqi.core.history import history_of
from cunqi.core.panels import panels_for
from cunqi.core.permissions import allows
from cunqi.core.personal import may_reveal as allows_reveal
from cunqi.core.security import log_event
from cunqi.core.tables import sort_options

PER_PAGE = 25
# Every model with pages, and its ObjectViews (filled as the URLs are built); the REST
# API serves the same models through the same querysets, filters, forms and saves.
REGISTRY: dict[type, type[ObjectViews]] = {}


def _may_follow(user: AbstractBaseUser, step: tuple[str, str] | None) -> bool:
    return step is None or allows(user, step[0], apps.get_model(step[1]))


@dataclass(frozen=True)
class Section:
    """A table of the app's own related rows on a detail page, shown as the related
    model's own list shows them (same table, same query shape), limited to the rows the
    user may see. Other apps add theirs as panels (``core.panels``)."""

    title: str
    views: Callable[[], type[ObjectViews]]  # deferred: defined further down the module
    rows: Callable  # (obj) -> queryset of the related model, before scoping
    exclude: tuple[str, ...] = ()  # columns that would only repeat the parent


class ObjectViews:
    """The pages of one model. Subclass and set the attributes; ``urls()`` wires them."""

    model = None
    table = None
    filterset = None
    form = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    detail_template = "core/object_detail.html"
    detail_fields: tuple[str, ...] | None = None
    # A subclass of ObjectEditView, where a model is edited with more than one form.
    edit_view: type | None = None
    # The write pages this model has (rows the platform writes itself have fewer).
    pages: frozenset[str] = frozenset({"add", "edit", "delete"})
    # An ObjectActionView subclass: its workflow steps at <model>/<pk>/<action>/.
    action_view: type | None = None
    # An uploaded file on the row, served at <model>/<pk>/file/ to users who see the row;
    # ``file_name_field`` holds the name the user gave it.
    file_field: str | None = None
    file_name_field: str = "file_name"
    # Rows that say what a household was paid: every read (page, export, API) is logged.
    payment_data: bool = False
    # A new row's form that fills itself in from what is chosen (a review from its
    # quarter's figures): the label of the button that reloads it with those choices.
    prefill: str | None = None

    @classmethod
    def figures(cls, obj: Model) -> list[tuple[str, object]]:
        """Computed figures shown above a row's fields (none by default)."""
        return []

    @classmethod
    def list_warnings(cls) -> list[str]:
        """What the list's reader must know before trusting it (none by default)."""
        return []

    @classmethod
    def list_links(cls) -> list[tuple[str, str]]:
        """Pages or files beside the list (label, URL), shown as buttons by its title."""
        return []

    @classmethod
    def links(cls, obj: Model) -> list[tuple[str, str]]:
        """Pages about the row (label, URL), shown as buttons beside its title."""
        return []

    @classmethod
    def extra_context(cls, obj: Model, request: HttpRequest) -> dict:
        """More for a custom detail template, computed for the request's user and query
        (nothing by default)."""
        return {}

    @classmethod
    def queryset(cls, user: AbstractBaseUser):
        queryset = cls.model.objects.visible_to(user)
        if cls.select_related:
            queryset = queryset.select_related(*cls.select_related)
        if cls.prefetch_related:
            queryset = queryset.prefetch_related(*cls.prefetch_related)
        return queryset

    @classmethod
    def urls(cls) -> list:
        REGISTRY.setdefault(cls.model, cls)
        name = cls.model._meta.model_name
        kwargs = {"views": cls}
        edit_view = cls.edit_view or ObjectEditView
        write_pages = {
            "add": path(f"{name}/add/", edit_view.as_view(**kwargs), name=f"{name}_add"),
            "edit": path(f"{name}/<id:pk>/edit/", edit_view.as_view(**kwargs), name=f"{name}_edit"),
            "delete": path(
                f"{name}/<id:pk>/delete/",
                ObjectDeleteView.as_view(**kwargs),
                name=f"{name}_delete",
            ),
        }
        return [
            path(f"{name}/", ObjectListView.as_view(**kwargs), name=f"{name}_list"),
            path(f"{name}/export/", ObjectExportView.as_view(**kwargs), name=f"{name}_export"),
            path(f"{name}/<id:pk>/", ObjectDetailView.as_view(**kwargs), name=f"{name}_detail"),
            *(page for key, page in write_pages.items() if key in cls.pages),
            *(
                [
                    path(
                        f"{name}/<id:pk>/file/",
                        ObjectFileView.as_view(**kwargs),
                        name=f"{name}_file",
                    )
                ]
                if cls.file_field
                else []
            ),
            *(
                [
                    path(
                        f"{name}/<id:pk>/reveal/<str:field>/",
                        ObjectRevealView.as_view(**kwargs),
                        name=f"{name}_reveal",
                    )
                ]
                if personal.personal_fields(cls.model)
                else []
            ),
            # After the write pages, so that "edit" and "delete" are never taken for actions.
            *(
                [
                    path(
                        f"{name}/<id:pk>/<str:action>/",
                        cls.action_view.as_view(**kwargs),
                        name=f"{name}_action",
                    )
                ]
                if cls.action_view
                else []
            ),
        ]


class ObjectView(View):
    views: type[ObjectViews] = None
    action: str = ""

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # A row outside the user's scope answers 404 before any role check, so that a
        # 403 never tells them it exists.
        if "pk" in kwargs and request.user.is_authenticated:
            self.get_visible(kwargs["pk"])
        action = self.action_for(kwargs)
        if not allows(request.user, action, self.views.model):
            raise PermissionDenied
        if self.views.payment_data and action in ("list", "detail", "export"):
            log_payment_read(request, self.views.model, action, kwargs.get("pk"))
        return super().dispatch(request, *args, **kwargs)

    def action_for(self, kwargs: dict) -> str:
        return self.action

    @property
    def model(self):
        return self.views.model

    def context(self, **extra: object) -> dict:
        meta = self.model._meta
        can_add = "add" in self.views.pages and allows(self.request.user, "create", self.model)
        return {
            "model_name": meta.verbose_name,
            "model_name_plural": meta.verbose_name_plural,
            "list_url": reverse(self.model.url_name("list")),
            "can_add": can_add,
            "add_url": reverse(self.model.url_name("add")) if can_add else None,
            **extra,
        }

    def filtered(self):
        return filtered_rows(self.views, self.request)

    def get_visible(self, pk: int):
        return get_object_or_404(self.views.queryset(self.request.user), pk=pk)

    def get_editable(self, pk: int):
        obj = self.get_visible(pk)
        if reason := door(self.model).frozen(obj):
            raise PermissionDenied(reason)  # the page says why, as the API and import do
        if not may_write(self.request.user, obj):
            raise PermissionDenied
        return obj


def filtered_rows(views: type[ObjectViews], request: HttpRequest):
    """The list's filter set (or None) and the rows the request's user sees with its
    query: for the page, its export, and an export written later by a task."""
    queryset = views.queryset(request.user)
    if views.filterset is None:
        return None, queryset
    filterset = views.filterset(request.GET or None, queryset=queryset, request=request)
    return filterset, filterset.qs


class ObjectListView(ObjectView):
    action = "list"

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset, queryset = self.filtered()
        table = self.views.table(queryset, request=request)
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        context = self.context(
            table=table,
            warnings=self.views.list_warnings(),
            list_links=self.views.list_links(),
            filterset=filterset,
            # Filters other than the search box, which a phone shows folded when none is set.
            filters_in_use=sum(
                1 for name, values in query.lists() if name not in ("q", "sort") and any(values)
            ),
            export_url=f"{reverse(self.model.url_name('export'))}?{query.urlencode()}",
            sort_options=sort_options(table),
            sorted_by=request.GET.get(table.prefixed_order_by_field, ""),
        )
        template = (
            "core/object_list.html#results"
            if request.htmx and not request.htmx.boosted
            else "core/object_list.html"
        )
        return render(request, template, context)


class ObjectExportView(ObjectView):
    action = "export"

    def get(self, request: HttpRequest) -> HttpResponse:
        _filterset, queryset = self.filtered()
        log_event(
            "export",
            request,
            model=self.model._meta.label,
            query=request.GET.urlencode(),
            **({"personal": "masked"} if personal.personal_fields(self.model) else {}),
        )
        if queryset.count() > exports.WAIT_ROWS:
            job = exports.start(request.user, self.model, request.GET.urlencode())
            return redirect("core:exportjob", job.pk)
        # The workbook is built whole (write_only keeps that to the file's size); a
        # streaming response would only re-chunk bytes already in memory.
        return workbook_response(
            exports.workbook(self.views, queryset, request), exports.file_name(self.model)
        )


def job_page(request: HttpRequest, template: str, context: dict, *, running: bool) -> HttpResponse:
    """A background job's page (an import, an export): while the job runs, the part of the
    page that polls it (``#progress``); once it has ended, a reload of the whole page."""
    if request.htmx and running:
        return render(request, f"{template}#progress", context)
    if request.htmx:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, context)


def workbook_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ObjectDetailView(ObjectView):
    action = "detail"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_visible(pk)
        user = request.user
        editable = may_write(user, obj)
        panels = panels_for(self.model)
        sections = []
        tables_shown = [
            *(
                (section.title, section.views(), section.rows, section.exclude)
                for section in self.views.sections
            ),
            *(
                (panel.title, panel.related_views(), panel.rows, panel.exclude)
                for panel in panels
                if panel.rows is not None
            ),
        ]
        for title, related_views, related_rows, exclude in tables_shown:
            rows = related_views.queryset(user).filter(pk__in=related_rows(obj).values("pk"))
            prefix = f"{related_views.model._meta.model_name}-"
            table = related_views.table(rows, request=request, prefix=prefix, exclude=exclude)
            RequestConfig(request, paginate={"per_page": 10}).configure(table)
            sections.append((title, table))
        history = history_of(obj)
        context = self.context(
            object=obj,
            fields=field_rows(
                obj, self.views.detail_fields, may_reveal=allows_reveal(user, self.model)
            ),
            figures=[
                *self.views.figures(obj),
                *(item for panel in panels if panel.figures for item in panel.figures(obj)),
            ],
            links=[
                *self.views.links(obj),
                *(
                    item
                    for panel in panels
                    if panel.links and _may_follow(user, panel.links_for)
                    for item in panel.links(obj)
                ),
            ],
            **self.views.extra_context(obj, request),
            sections=sections,
            history=history,
            can_edit=editable and "edit" in self.views.pages and allows(user, "edit", self.model),
            can_delete=editable
            and "delete" in self.views.pages
            and allows(user, "delete", self.model),
            **{
                f"{page}_url": reverse(self.model.url_name(page), args=[obj.pk])
                for page in ("edit", "delete")
                if page in self.views.pages
            },
        )
        return render(request, self.views.detail_template, context)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why you need it in full"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Recorded in the audit trail with your name, the time and which value you read."
        ),
    )


class ObjectRevealView(ObjectView):
    """One personal value in full, once the reader has said why ("break the glass"): the
    reading is recorded with the reason (``personal.reveal``); the answer is not cached."""

    action = "detail"

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        names = {field.name for field in personal.personal_fields(self.model)}
        if kwargs.get("field") not in names:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int, field: str) -> HttpResponse:
        return self.page(self.get_visible(pk), field, RevealForm(), None)

    def post(self, request: HttpRequest, pk: int, field: str) -> HttpResponse:
        obj = self.get_visible(pk)
        form, value = RevealForm(request.POST), None
        if form.is_valid():
            try:
                value = personal.reveal(
                    request.user, obj, field, form.cleaned_data["reason"], request
                )
            except ValidationError as error:
                add_refusal(form, error)
        return self.page(obj, field, form, value)

    def page(self, obj: Model, field: str, form: forms.Form, value: str | None) -> HttpResponse:
        response = render(
            self.request,
            "core/reveal.html",
            self.context(
                object=obj,
                field=self.model._meta.get_field(field),
                shown=getattr(obj, field),
                form=form,
                value=value,
            ),
        )
        response["Cache-Control"] = "no-store"
        return response


class ObjectFileView(ObjectView):
    """The row's uploaded file, always as a download (never rendered inline, so an HTML or
    SVG file cannot run in the platform's origin)."""

    action = "detail"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return file_response(self.views, self.get_visible(pk))


def log_payment_read(
    request: HttpRequest, model: type[Model], action: str, pk: int | None = None
) -> None:
    log_event("read.payments", request, model=model._meta.label, action=action, pk=pk or "-")


def file_response(views: type[ObjectViews], obj: Model) -> FileResponse:
    """A row's uploaded file as a download under the name its uploader gave it, for pages
    and API alike; the caller has checked the row is visible."""
    stored = getattr(obj, views.file_field)
    if not stored:
        raise Http404
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=getattr(obj, views.file_name_field, "") or stored.name.rsplit("/")[-1],
    )


@dataclass(frozen=True)
class Action:
    """A workflow step on one row: the permission it needs (``EditPolicy.actions``) and
    the service call, ``run(obj, request)``; if it returns text, that is the message."""

    permission: str
    run: Callable


class ObjectActionView(ObjectView):
    """POST ``<model>/<pk>/<action>/``: take one of ``actions`` through its service, say how
    it went as a message (a ValidationError's own words), and go back to the row."""

    http_method_names = ["post"]
    actions: dict[str, Action] = {}

    def dispatch(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if kwargs["action"] not in self.actions:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def action_for(self, kwargs: dict) -> str:
        return self.actions[kwargs["action"]].permission

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        obj = self.get_visible(pk)
        try:
            outcome = self.actions[action].run(obj, request)
            messages.success(request, outcome if isinstance(outcome, str | Promise) else _("Done."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.redirect_to(obj))

    def redirect_to(self, obj: Model) -> str:
        return obj.get_absolute_url()


class ObjectEditView(ObjectView):
    template = "core/object_edit.html"

    def action_for(self, kwargs: dict) -> str:
        return "edit" if "pk" in kwargs else "create"

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(
            instance=obj, user=request.user, initial=request.GET.dict() if obj is None else None
        )
        return self.render_form(form, obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid() and (
            response := self.save_through_door(form, lambda: self.write(form, obj))
        ):
            return response
        return self.render_form(form, obj, status=400)

    def write(self, form: forms.BaseForm, obj: Model | None) -> Model:
        """Save the valid ``form``'s row through its door (or a service that calls it)."""
        return door(self.model).save(self.request.user, obj, form_values(form))

    def save_through_door(self, form: forms.BaseForm, save: Callable) -> HttpResponse | None:
        """Run ``save`` (a door's) and redirect to the saved row, or put its refusal on
        ``form``'s fields and return None with nothing kept."""
        try:
            saved = save()
        except ValidationError as error:
            add_refusal(form, error)
            return None
        messages.success(self.request, _("Saved."))
        return redirect(saved.get_absolute_url())

    def render_form(
        self, form: forms.BaseForm, obj: Model | None, status: int = 200, **extra: object
    ) -> HttpResponse:
        prefill = self.views.prefill if obj is None else None
        context = self.context(form=form, object=obj, prefill=prefill, **extra)
        return render(
            request=self.request, template_name=self.template, context=context, status=status
        )


class ObjectDeleteView(ObjectView):
    action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_editable(pk)
        return render(request, "core/object_delete.html", self.context(object=obj))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_editable(pk)
        try:
            door(self.model).delete(request.user, obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted “%(name)s”.") % {"name": obj})
        return redirect(self.model.url_name("list"))


def may_write(user: AbstractBaseUser, obj: Model) -> bool:
    """Whether ``obj``'s state still lets it change and it lies in ``user``'s write scope
    (the role is checked by the page's action)."""
    return (
        door(type(obj)).may_change(obj)
        and type(obj).objects.editable_by(user).filter(pk=obj.pk).exists()
    )


def field_rows(
    obj: Model, names: tuple[str, ...] | None, *, may_reveal: bool = False
) -> list[tuple[str, object, bool, str | None]]:
    """(label, display value, whether it is a list of rows, the page that shows a personal
    value in full) for the detail page, in the model's field order. Personal values show
    masked; the reveal page is offered to a reader who ``may_reveal``."""
    rows = []
    for field in obj._meta.get_fields():
        if not field.concrete or field.auto_created or field.name in {"created_at", "updated_at"}:
            continue
        if names is not None and field.name not in names:
            continue
        if field.many_to_many:
            value = list(getattr(obj, field.name).all())
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, HundredthsField) and getattr(obj, field.name) is not None:
            value = f"{getattr(obj, field.name):,.2f}"
        else:
            value = getattr(obj, field.name)
        reveal_url = None
        if may_reveal and isinstance(value, personal.Personal):
            reveal_url = reverse(type(obj).url_name("reveal"), args=[obj.pk, field.name])
        if isinstance(field, personal.LookupField):
            continue
        rows.append((field.verbose_name, value, field.many_to_many, reveal_url))
    return rows
