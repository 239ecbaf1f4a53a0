"""One router per app, with list, retrieve, create and update for each model that has
pages: the same ``visible_to`` scoping and filters as the pages; the page's form parses a
payload and the row's door (``core.doors``) checks and writes it, as for the pages."""

from typing import TYPE_CHECKING

import pydantic
from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, QueryDict
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.errors import ValidationError as SchemaError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from cunqi.api import idempotency, schemas
from cunqi.core import personal
from cunqi.core.doors import door
from cunqi.core.forms import form_values
from cunqi.core.ids import BIGGEST_ID
from cunqi.core.permissions import allows
from cunqi.core.views import Action, ObjectViews, file_response, log_payment_read, may_write

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def _form_data(values: dict) -> MultiValueDict:
    """JSON values as the form expects them from a posted page."""
    data = MultiValueDict()
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data.setlist(name, [str(getattr(item, "pk", item)) for item in value])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(getattr(value, "pk", value))
    return data


def _files(file: UploadedFile | None) -> MultiValueDict:
    """The multipart upload as the page form takes it (under its one name, ``file``)."""
    return MultiValueDict({"file": [file]} if file else {})


def _permit(request: HttpRequest, action: str, model: type[Model]) -> None:
    if not allows(request.auth, action, model):
        raise PermissionDenied


def _visible(views: type[ObjectViews], request: HttpRequest, pk: int):
    if not 0 < pk <= BIGGEST_ID:  # no database holds such an id: it is nobody's row
        raise Http404
    try:
        return views.queryset(request.auth).get(pk=pk)
    except views.model.DoesNotExist:
        raise Http404 from None


def add_routes(router: Router, views: type[ObjectViews]) -> None:
    model = views.model
    name = model._meta.model_name
    with translation.override("en"):  # the schema is written once, in English
        label = str(model._meta.verbose_name_plural)
    out = schemas.output_schema(model)
    fields = schemas.output_fields(model)
    m2m = [field.name for field in fields if field.many_to_many]
    filters = schemas.filter_schema(views.filterset)
    errors = {400: schemas.Error, 403: schemas.Error, 404: schemas.Error}

    def rows(request: HttpRequest, query: Schema | None):
        _permit(request, "list", model)
        if views.payment_data:
            log_payment_read(request, model, "list")
        queryset = views.queryset(request.auth).prefetch_related(*m2m)
        if views.filterset is not None and query is not None:
            data = {key: value for key, value in query.dict().items() if value is not None}
            filterset = views.filterset(data, queryset=queryset, request=request)
            # A filter that cannot be read is refused, not silently left out.
            if not filterset.is_valid():
                raise ValidationError(filterset.errors.as_data())
            queryset = filterset.qs
        return [schemas.serialise(obj, fields) for obj in queryset.order_by("pk")]

    if filters is not None:

        def list_rows(request: HttpRequest, query: Query[filters]):  # type: ignore[valid-type]
            return rows(request, query)

    else:

        def list_rows(request: HttpRequest):
            return rows(request, None)

    list_rows.__name__ = f"list_{name}"
    router.get(
        f"/{name}/",
        response={200: list[out], **errors},
        summary=f"List {label}",
        operation_id=f"{name}_list",
    )(paginate(LimitOffsetPagination)(list_rows))

    @router.get(
        f"/{name}/{{pk}}/",
        response={200: out, **errors},
        summary=f"One of {label}",
        operation_id=f"{name}_detail",
    )
    def retrieve(request: HttpRequest, pk: int):
        _permit(request, "detail", model)
        if views.payment_data:
            log_payment_read(request, model, "detail", pk)
        return schemas.serialise(_visible(views, request, pk), fields)

    if views.file_field:

        @router.get(
            f"/{name}/{{pk}}/file/",
            response={200: None, **errors},
            summary=f"The file of one of {label}",
            operation_id=f"{name}_file",
            openapi_extra=_BINARY,
        )
        def download(request: HttpRequest, pk: int):
            _permit(request, "detail", model)
            return file_response(views, _visible(views, request, pk))

    if personal.personal_fields(model):
        _add_reveal(router, views, name, label, errors)
    for action_name, action in getattr(views.action_view, "actions", {}).items():
        _add_action(router, views, name, label, errors, action_name, action)
    if "delete" in views.pages:
        _add_delete(router, views, name, label, errors)
    if views.form is None:
        return
    upload = schemas.upload_field(views.form)
    if "add" in views.pages:
        create_schema = schemas.input_schema(model, views.form, partial=False)

        def create_row(request: HttpRequest, payload: Schema, file: UploadedFile | None = None):
            _permit(request, "create", model)
            values = payload.dict()

            def answer():
                form = views.form(_form_data(values), _files(file), user=request.auth)
                return 201, schemas.serialise(_save(model, None, form, request), fields)

            request_fingerprint = idempotency.fingerprint(request, values, [file] if file else [])
            return Status(*idempotency.once(request, request_fingerprint, answer))

        if upload:
            # A row with an upload is sent as multipart/form-data: its fields and the file.
            def create(
                request: HttpRequest, payload: Form[create_schema], file: File[UploadedFile]
            ):  # type: ignore[valid-type]
                return create_row(request, payload, file)
        else:

            def create(request: HttpRequest, payload: create_schema):  # type: ignore[valid-type]
                return create_row(request, payload)

        create.__name__ = f"create_{name}"
        router.post(
            f"/{name}/",
            response={201: out, 422: schemas.Error, **errors},
            summary=f"Add to {label}",
            operation_id=f"{name}_create",
        )(create)

    if "edit" in views.pages:
        update_schema = schemas.input_schema(model, views.form, partial=True)

        def update_row(
            request: HttpRequest, pk: int, payload: Schema | None, file: UploadedFile | None = None
        ):
            obj = _visible(views, request, pk)
            _permit(request, "edit", model)
            if reason := door(model).frozen(obj):
                raise PermissionDenied(reason)
            if not may_write(request.auth, obj):
                raise PermissionDenied
            current = _current(obj, views.form, request.auth)
            changes = payload.dict(exclude_unset=True) if payload else {}
            form = views.form(
                _form_data({**current, **changes}), _files(file), instance=obj, user=request.auth
            )
            return schemas.serialise(_save(model, obj, form, request), fields)

        if upload:

            def update(
                request: HttpRequest,
                pk: int,
                payload: Form[update_schema] = None,  # type: ignore[valid-type]
                file: File[UploadedFile] = None,
            ):
                if request.content_type == "application/json":
                    # A change without a new file may come as JSON; the form parser would
                    # see no fields in it and answer 200 having changed nothing.
                    payload = _json_payload(update_schema, request)
                return update_row(request, pk, payload, file)
        else:

            def update(request: HttpRequest, pk: int, payload: update_schema):  # type: ignore[valid-type]
                return update_row(request, pk, payload)

        update.__name__ = f"update_{name}"
        router.patch(
            f"/{name}/{{pk}}/",
            response={200: out, **errors},
            summary=f"Change one of {label}",
            operation_id=f"{name}_update",
        )(update)


def _add_reveal(
    router: Router, views: type[ObjectViews], name: str, label: str, errors: dict
) -> None:
    @router.post(
        f"/{name}/{{pk}}/reveal/",
        response={200: schemas.RevealOut, 422: schemas.Error, **errors},
        summary=f"One personal value of one of {label} in full, with the reason (audited)",
        operation_id=f"{name}_reveal",
    )
    def reveal(request: HttpRequest, pk: int, payload: schemas.RevealIn):
        obj = _visible(views, request, pk)
        value = personal.reveal(request.auth, obj, payload.field, payload.reason, request)
        return {"field": payload.field, "value": value}

    reveal.__name__ = f"reveal_{name}"


def _add_action(
    router: Router,
    views: type[ObjectViews],
    name: str,
    label: str,
    errors: dict,
    action_name: str,
    action: Action,
) -> None:
    """A workflow step of the row's page (``ObjectActionView``): the same service call
    with the same fields, JSON instead of a posted form."""

    @router.post(
        f"/{name}/{{pk}}/{action_name}/",
        response={200: schemas.ActionOut, **errors},
        summary=f"Take the step “{action_name}” on one of {label}",
        operation_id=f"{name}_{action_name}",
    )
    def take(request: HttpRequest, pk: int, payload: schemas.ActionIn):
        obj = _visible(views, request, pk)
        _permit(request, action.permission, views.model)
        fields = QueryDict(mutable=True)
        for key, value in payload.model_dump().items():
            fields[key] = "" if value is None else str(value)
        request.POST = fields  # what the step reads, as from its page's form
        with set_actor(request.auth):
            outcome = action.run(obj, request)
        return {
            "detail": str(outcome) if isinstance(outcome, str | Promise) else _("Done."),
            "id": obj.pk,
        }

    take.__name__ = f"{action_name}_{name}"


def _add_delete(
    router: Router, views: type[ObjectViews], name: str, label: str, errors: dict
) -> None:
    model = views.model

    @router.delete(
        f"/{name}/{{pk}}/",
        response={204: None, **errors},
        summary=f"Delete one of {label}",
        operation_id=f"{name}_delete",
    )
    def delete(request: HttpRequest, pk: int):
        obj = _visible(views, request, pk)
        _permit(request, "delete", model)
        if reason := door(model).frozen(obj):
            raise PermissionDenied(reason)
        with set_actor(request.auth):
            door(model).delete(request.auth, obj)
        return 204, None

    delete.__name__ = f"delete_{name}"


_BINARY = {
    "responses": {
        200: {
            "description": "The file, as an attachment",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


def _json_payload(schema: type[Schema], request: HttpRequest) -> Schema:
    try:
        return schema.model_validate_json(request.body or b"{}")
    except pydantic.ValidationError as error:
        raise SchemaError(error.errors(include_url=False)) from None


def _current(obj: Model, form_class: type[BaseForm], user: "User") -> dict:
    """The row's values as its form would post them, many-to-many links limited to the
    rows the user can see (the door keeps the others)."""
    current = model_to_dict(obj, fields=list(schemas.input_fields(form_class)))
    for field in obj._meta.many_to_many:
        target = field.related_model
        if field.name in current and hasattr(target.objects, "visible_to"):
            visible = set(
                target.objects.visible_to(user)
                .filter(pk__in=[item.pk for item in current[field.name]])
                .values_list("pk", flat=True)
            )
            current[field.name] = [item for item in current[field.name] if item.pk in visible]
    return current


def _save(model: type[Model], obj: Model | None, form: BaseForm, request: HttpRequest):
    """The form parses the payload; the row's door checks and writes it."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    # The change history names the token's user (the log middleware saw no session).
    with set_actor(request.auth):
        return door(model).save(request.auth, obj, form_values(form))
