"""Word files filled from a template an office can edit (docxtpl: Jinja tags in a .docx).

Each templated document (``declarations.TemplatedDocument``) has a ``Layout``: its built-in
template, in 公文 form, and the names a template may use. An office downloads the built-in
template, changes its layout, fonts or fixed wording in Word, and uploads it as a
``core.DocumentTemplate`` for one language; documents in that language are then filled
into it. An upload is refused unless it is a .docx whose tags parse, name only what Cunqi
fills and fill with sample values; should a stored template fail all the same, the
document is written in the built-in layout and the failure logged, so a bulletin is never
lost to a template.

The tags run in Jinja's sandbox: a template is a file from outside and may not reach into
Python through the values it is given.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from cunqi.core import gongwen
from cunqi.core.declarations import templated_documents

logger = logging.getLogger(__name__)

# What a template's values are made of: text, lists and mappings of text, and the
# pictures and sub-documents docxtpl builds on the template being filled.
Context = dict[str, object]


@dataclass(frozen=True)
class Layout:
    """A templated document: the names its template may use (documented in
    docs/templates.md), its built-in template, and sample values to try an upload with
    (built on the template being filled, as pictures and tables are)."""

    variables: tuple[str, ...]
    builtin: Callable[[], bytes]
    sample: Callable[[DocxTemplate], Context]


def layout(kind: str) -> Layout:
    return import_string(templated_documents()[kind].layout)


def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def _opened(content: bytes) -> DocxTemplate:
    template = DocxTemplate(io.BytesIO(content))
    template.init_docx()
    return template


def check(kind: str, content: bytes) -> None:
    """Refuse ``content`` as the template of ``kind`` unless it fills (ValidationError on
    the ``file`` field, in the reader's language)."""
    try:
        template = _opened(content)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ValidationError({"file": _("This is not a Word document (.docx).")}) from None
    found = layout(kind)
    known = found.variables
    try:
        names = template.get_undeclared_template_variables(environment())
    except TemplateSyntaxError as error:
        raise ValidationError(
            {
                "file": _("A tag of the template cannot be read (%(error)s) near: %(text)s")
                % {"error": error.message, "text": _text_near(error) or "…"}
            }
        ) from None
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValidationError(
            {
                "file": _(
                    "The template names %(unknown)s, which Cunqi does not fill; it may use %(known)s."
                )
                % {"unknown": ", ".join(unknown), "known": ", ".join(known)}
            }
        )
    try:
        template.render(found.sample(template), environment())
    except (TemplateError, TypeError, ValueError, AttributeError, LookupError) as error:
        raise ValidationError(
            {"file": _("The template cannot be filled: %(error)s") % {"error": error}}
        ) from None


def _text_near(error: TemplateSyntaxError) -> str:
    """The words of the document around the tag that failed (its XML line, tags stripped)."""
    if error.source is None or error.lineno is None:
        return ""
    lines = error.source.splitlines()[max(error.lineno - 2, 0) : error.lineno + 1]
    return " ".join(re.sub(r"<[^>]+>", "", line) for line in lines).strip()[:120]


def fill(
    kind: str,
    context_of: Callable[[DocxTemplate], Context],
    *,
    title: str,
    stamp: datetime,
) -> bytes:
    """The document of ``kind`` in the active language: ``context_of`` gives the values
    for a template, filled into the office's template of the language if there is one and
    it fills, else into the built-in one."""
    content = stored_template(kind)
    if content is not None:
        try:
            return _filled(content, context_of, title, stamp)
        except Exception:  # an office's file: whatever breaks, the built-in layout still serves
            logger.exception(
                "the %s template of %s failed; the built-in one is used", kind, get_language()
            )
    return _filled(builtin(kind), context_of, title, stamp)


def _filled(
    content: bytes, context_of: Callable[[DocxTemplate], Context], title: str, stamp: datetime
) -> bytes:
    template = _opened(content)
    template.render(context_of(template), environment())
    return gongwen.finish(template, title, stamp)


@cache
def builtin(kind: str) -> bytes:
    return layout(kind).builtin()


def stored_template(kind: str) -> bytes | None:
    """The office's template of ``kind`` for the active language, if it has one."""
    from cunqi.core.models import DocumentTemplate

    row = DocumentTemplate.objects.filter(document=kind, language=get_language()).first()
    if row is None:
        return None
    try:
        with row.file.open("rb") as stored:
            return stored.read()
    except OSError:
        logger.exception("the %s template of %s is missing from storage", kind, get_language())
        return None
