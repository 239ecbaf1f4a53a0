from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from cunqi.core.forms import style_field
from cunqi.exchange.kinds import Kind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("what the file holds"))
    file = forms.FileField(label=_("filled template (.xlsx)"))

    def __init__(self, *args: object, kinds: Iterable[Kind], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.code, kind.title) for kind in kinds]
        for field in self.fields.values():
            style_field(field)
