"""The doors of the reference data that need more than the plain door's rules."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cunqi.core import wordtemplates
from cunqi.core.doors import Door, register
from cunqi.core.models import DocumentTemplate


@register
class DocumentTemplateDoor(Door):
    """A Word template is kept only if Cunqi can fill it (``wordtemplates.check``)."""

    model = DocumentTemplate

    def check(
        self,
        row: DocumentTemplate,
        related: dict,
        user: AbstractBaseUser,
        *,
        previous: DocumentTemplate | None,
    ) -> None:
        if not row.file:
            return  # the field's own rule says it is required
        if not row.file.name.lower().endswith(".docx"):
            raise ValidationError({"file": _("A Word template is a .docx file.")})
        # Read without closing: an upload not yet stored is saved from the same handle.
        row.file.open("rb")
        content = row.file.read()
        row.file.seek(0)
        wordtemplates.check(row.document, content)
